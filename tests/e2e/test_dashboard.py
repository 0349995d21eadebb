"""What a person clicks on the public dashboard, in Debian's Chromium."""

import re

import pytest
from playwright.sync_api import expect

from tests.dashboard.conftest import build_dataset

TRACE_COUNT = (
    "n => { const plot = document.querySelector('#chart-panel .js-plotly-plot');"
    " return plot && plot.data.length === n; }"
)


@pytest.fixture
def dashboard(transactional_db):
    return build_dataset(scale=1)


@pytest.fixture
def csp_violations(page):
    """Every Content-Security-Policy violation the page reports, read back with `page.evaluate`."""
    page.add_init_script(
        "window.__cspViolations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    return lambda: page.evaluate("window.__cspViolations")


def _trace_count(page) -> int:
    return page.evaluate("document.querySelector('#chart-panel .js-plotly-plot').data.length")


def test_a_visitor_goes_from_the_tasks_to_an_indicator_and_filters_its_chart(
    live_server, page, console_errors, csp_violations, dashboard
):
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name="The seven key tasks of new industrialization")).to_be_visible()
    expect(page.locator("#task-1 .js-plotly-plot")).to_be_visible()

    page.locator("#task-1 h2 a").click()
    expect(page).to_have_url(live_server.url + "/tasks/1/")
    page.locator("#commitment-1\\.1 figcaption a").first.click()
    expect(page).to_have_url(live_server.url + "/indicators/ind-1-1/")
    expect(page.locator("#chart-panel .js-plotly-plot")).to_be_visible()
    traces_china_only = _trace_count(page)

    # A filter change swaps the chart panel in place: the window (and this marker) survives.
    page.evaluate("window.__noFullLoad = 'kept'")
    page.get_by_label("United States").check()
    expect(page).to_have_url(re.compile(r"/indicators/ind-1-1/\?geo=CHN&geo=USA"))
    page.wait_for_function(TRACE_COUNT, arg=traces_china_only + 1)
    assert page.evaluate("window.__noFullLoad") == "kept"

    # Back restores the previous state, chart included.
    page.go_back()
    expect(page).to_have_url(live_server.url + "/indicators/ind-1-1/")
    page.wait_for_function(TRACE_COUNT, arg=traces_china_only)
    expect(page.get_by_label("United States")).not_to_be_checked()
    assert page.evaluate("window.__noFullLoad") == "kept"

    # The table view is the same numbers, without a chart.
    page.get_by_role("radio", name="Table").check()
    expect(page).to_have_url(re.compile(r"view=table"))
    expect(page.locator("#chart-panel table")).to_be_visible()
    expect(page.locator("#chart-panel .js-plotly-plot")).to_have_count(0)

    assert console_errors == []
    assert csp_violations() == []


def test_the_sector_filter_on_a_task_swaps_its_commitments_and_the_url(live_server, page, console_errors, dashboard):
    page.goto(live_server.url + "/tasks/1/")
    expect(page.locator("#commitment-1\\.1")).to_be_visible()
    page.evaluate("window.__noFullLoad = 'kept'")
    page.get_by_label("Sector").select_option("sector-0")
    expect(page).to_have_url(re.compile(r"/tasks/1/\?sector=sector-0"))
    expect(page.locator("#commitment-1\\.1")).to_have_count(0)
    expect(page.locator("#commitment-1\\.2 .js-plotly-plot")).to_be_visible()
    assert page.evaluate("window.__noFullLoad") == "kept"
    page.go_back()
    expect(page.locator("#commitment-1\\.1 .js-plotly-plot")).to_be_visible()
    assert console_errors == []


def test_the_language_switch_keeps_the_page(live_server, page, console_errors, dashboard):
    page.goto(live_server.url + "/indicators/ind-1-1/?geo=CHN")
    page.get_by_role("button", name="简体中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page).to_have_url(live_server.url + "/indicators/ind-1-1/?geo=CHN")
    expect(page.get_by_role("heading", name="关于此指标")).to_be_visible()
    expect(page.locator("#chart-panel .js-plotly-plot")).to_be_visible()
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert console_errors == []


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize(
    "path", ["/", "/tasks/1/", "/sectors/", "/sectors/sector-0/", "/indicators/", "/indicators/ind-1-1/"]
)
def test_pages_fit_the_screen_without_errors(live_server, page, console_errors, csp_violations, dashboard, width, path):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + path)
    expect(page.locator("main h1")).to_be_visible()
    if path not in ("/sectors/", "/indicators/"):
        expect(page.locator(".js-plotly-plot").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert console_errors == []
    assert csp_violations() == []


def test_filters_work_without_javascript(live_server, browser, dashboard):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/indicators/")
    page.get_by_label("Task").select_option("3")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"/indicators/\?task=3"))
    expect(page.get_by_role("link", name="Indicator ind-3-1")).to_be_visible()
    expect(page.get_by_role("link", name="Indicator ind-1-1")).to_have_count(0)
    context.close()
