"""Open data in a browser: the chart's PNG download under our CSP, and the early-warning banner."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from indicators.models import Indicator
from tests.dashboard.conftest import build_dataset
from tests.factories import GeographyFactory, IndicatorFactory, ObservationFactory

# The PMI's neutral line, given by this fixture: the code reads it from the indicator.
PMI_NEUTRAL = Decimal("50")


@pytest.fixture
def csp_violations(page):
    """Every Content-Security-Policy violation the page reports, read back with `page.evaluate`."""
    page.add_init_script(
        "window.__cspViolations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    return lambda: page.evaluate("window.__cspViolations")


@pytest.fixture
def dashboard(transactional_db):
    return build_dataset(scale=1)


def test_the_charts_png_button_downloads_an_image_with_no_csp_violation(
    live_server, page, console_errors, csp_violations, dashboard
):
    page.goto(live_server.url + "/indicators/ind-1-1/")
    chart = page.locator("#chart-panel .js-plotly-plot")
    expect(chart).to_be_visible()
    chart.hover()
    with page.expect_download() as download_info:
        page.locator("#chart-panel .modebar-btn[data-title='Download plot as a PNG']").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".png")
    with open(download.path(), "rb") as image:
        assert image.read(8) == b"\x89PNG\r\n\x1a\n"
    assert csp_violations() == []
    assert console_errors == []


def test_the_charts_svg_button_downloads_an_svg_carrying_title_source_and_licence(
    live_server, page, console_errors, csp_violations, dashboard
):
    page.goto(live_server.url + "/indicators/ind-1-1/")
    chart = page.locator("#chart-panel .js-plotly-plot")
    expect(chart).to_be_visible()
    chart.hover()
    with page.expect_download() as download_info:
        page.locator("#chart-panel .modebar-btn[data-title='Download plot as SVG']").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".svg")
    with open(download.path(), encoding="utf-8") as image:
        svg = image.read()
    assert svg.startswith("<svg")
    indicator = Indicator.objects.get(code="ind-1-1")
    assert indicator.name_en in svg
    assert indicator.source.name in svg and "licence" in svg
    assert csp_violations() == []
    assert console_errors == []


@pytest.fixture
def falling_pmi(transactional_db):
    china = GeographyFactory(code="CHN")
    indicator = IndicatorFactory(
        code="manufacturing-pmi",
        name_en="Manufacturing PMI",
        unit="index",
        frequency=Indicator.Frequency.MONTHLY,
        aggregation=Indicator.Aggregation.INDEX,
        kind=Indicator.Kind.DIFFUSION_INDEX,
        neutral_value=PMI_NEUTRAL,
        direction=Indicator.Direction.INCREASE,
    )
    indicator.geographies.add(china)
    for month, value in ((3, "50.5"), (4, "49.0"), (5, "49.5"), (6, "49.7")):
        ObservationFactory(indicator=indicator, geography=china, period=datetime.date(2025, month, 1), value=value)
    return indicator


def test_the_pmi_page_shows_an_early_warning_banner_naming_rule_and_figures(
    live_server, page, console_errors, falling_pmi
):
    page.goto(live_server.url + "/indicators/manufacturing-pmi/")
    banner = page.get_by_role("alert", name="Early warnings")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Below the neutral line of 50 for 3 periods running")
    expect(banner).to_contain_text("2025-04: 49, 2025-05: 49.5, 2025-06: 49.7")
    banner.get_by_role("link", name="The rule").click()
    expect(page.locator("#below-neutral-line")).to_be_visible()
    assert console_errors == []


def test_the_api_docs_render_from_our_static_files_under_the_csp(
    live_server, page, console_errors, csp_violations, dashboard
):
    page.goto(live_server.url + "/api/v1/docs/")
    expect(page.get_by_text("New Industrialization Tracker API").first).to_be_visible()
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/indicators/{code}/observations/")).to_be_visible()
    assert csp_violations() == []
    assert console_errors == []
