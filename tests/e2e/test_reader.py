"""What a reader sees (issue 14): layout, charts, the Back button and accessibility, at desktop and phone widths."""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from indicators.models import Indicator, Observation, Source
from tasks.models import Task
from tests.dashboard.conftest import build_dataset
from tests.factories import CommitmentIndicatorFactory, IndicatorFactory

WIDTHS = [1280, 390]
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
LONG_TASK_TITLE = (
    "Promote the high-end, intelligent and green development of the manufacturing industry and build a modern "
    "industrial system with advanced manufacturing as its backbone"
)

# The boxes of a chart's title, subtitle, axis titles and annotations (unit, source), as drawn.
CHART_LABEL_BOXES = """plot => Array.from(
  plot.querySelectorAll('.gtitle, .gtitle-subtitle, .ytitle, .annotation-text-g')
).map(el => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })
 .filter(([l, t, r, b]) => r > l && b > t)"""

# Words split across two lines: a Range over each word reports one box per line it covers.
BROKEN_WORDS = """root => {
  const broken = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    for (const match of node.data.matchAll(/\\S+/g)) {
      if (match[0].includes("://")) continue;  // an address may wrap anywhere
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top)));
      if (lines.size > 1) broken.push(match[0]);
    }
  }
  return broken;
}"""


@pytest.fixture
def reader_data(transactional_db):
    """The dashboard dataset, with the real catalog's awkward cases: long titles, units and source names, a
    year-to-date monthly series, an indicator with no figure yet and one with no revised figure."""
    dataset = build_dataset(scale=1)
    Task.objects.filter(number=1).update(title_en=LONG_TASK_TITLE)
    Source.objects.filter(key="test-source").update(
        name="World Development Indicators (World Bank DataBank, national accounts series)",
        publisher="World Bank, Development Data Group",
    )
    Indicator.objects.filter(code="ind-2-1").update(
        name_en="Share of renewable energy in total final energy consumption, all sources",
        unit="% of total final energy consumption, excl. trad. biomass",  # a long unit, within the 60 the field holds
        source_series_code="NV.IND.MANF.ZS",
    )
    ytd = IndicatorFactory(
        code="electricity-secondary-ytd",
        name_en="Electricity consumption of secondary industry, year to date",
        unit="100 million kWh",
        frequency=Indicator.Frequency.MONTHLY,
        aggregation=Indicator.Aggregation.YEAR_TO_DATE,
        source=Source.objects.get(key="test-source"),
    )
    ytd.geographies.add(dataset.indicators[0].geographies.get(code="CHN"))
    Observation.objects.bulk_create(
        Observation(
            indicator=ytd,
            geography=ytd.geographies.get(),
            period=datetime.date(year, month, 1),
            value=Decimal(100 * month),
            origin=Observation.Origin.API,
            citation="https://example.org/ytd-series",
        )
        for year in (2022, 2023, 2024)
        for month in range(1, 13)
    )
    Indicator.objects.filter(code="ind-4-1").update(
        name_en="Manufacturing purchasing managers' index",
        unit="index",
        kind=Indicator.Kind.DIFFUSION_INDEX,
        neutral_value=Decimal("50"),
    )
    empty = IndicatorFactory(code="no-figures-yet", source=Source.objects.get(key="test-source"))
    CommitmentIndicatorFactory(commitment=dataset.commitments[0], indicator=empty)
    return dataset


def _open(page, url: str, width: int, path: str):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(url + path)
    expect(page.locator("main h1")).to_be_visible()


def _overlapping(boxes: list[list[float]]) -> list[tuple[int, int]]:
    return [
        (i, j)
        for i, a in enumerate(boxes)
        for j, b in enumerate(boxes)
        if i < j and a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
    ]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", ["/", "/tasks/2/", "/indicators/ind-2-1/"])
def test_chart_titles_units_and_sources_never_overlap(live_server, page, reader_data, width, path):
    _open(page, live_server.url, width, path)
    expect(page.locator(".js-plotly-plot").first).to_be_visible()
    for plot in page.locator(".js-plotly-plot").all():
        boxes = plot.evaluate(CHART_LABEL_BOXES)
        assert _overlapping(boxes) == []
        right = plot.bounding_box()["x"] + plot.bounding_box()["width"]
        assert [box for box in boxes if box[2] > right + 1] == []  # nothing clipped at the chart's edge


@pytest.mark.parametrize("width", WIDTHS)
def test_a_chart_card_prints_its_source_once(live_server, page, reader_data, width):
    _open(page, live_server.url, width, "/tasks/2/")
    cards = page.locator(".chart-card:has(.js-plotly-plot)")
    expect(cards.first).to_be_visible()
    for card in cards.all():
        assert card.evaluate("c => (c.textContent.match(/Source:/g) || []).length") == 1


@pytest.mark.parametrize("width", WIDTHS)
def test_the_indicator_sidebar_breaks_no_word_and_keeps_the_freshness_badge_on_one_line(
    live_server, page, reader_data, width
):
    _open(page, live_server.url, width, "/indicators/ind-2-1/")
    facts = page.locator(".facts")
    assert facts.evaluate(BROKEN_WORDS) == []
    badge = page.locator(".facts .freshness")
    line_height = badge.evaluate("b => parseFloat(getComputedStyle(b).lineHeight)")
    assert badge.bounding_box()["height"] < 2 * line_height


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", ["/indicators/", "/", "/tasks/1/", "/sectors/"])
def test_pages_with_long_titles_fit_the_screen(live_server, page, reader_data, width, path):
    _open(page, live_server.url, width, path)
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", WIDTHS)
def test_a_year_to_date_series_is_drawn_as_one_line_per_year(live_server, page, reader_data, width):
    _open(page, live_server.url, width, "/indicators/electricity-secondary-ytd/")
    series = page.locator("#chart-panel .scatterlayer .trace").first
    expect(series).to_be_attached()
    # Plotly draws each unbroken run as its own path: one per year, never December joined to January.
    expect(series.locator(".js-line")).to_have_count(3)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", ["/indicators/ind-4-1/", "/tasks/4/"])
def test_a_diffusion_index_is_drawn_with_its_neutral_line(live_server, page, reader_data, width, path):
    _open(page, live_server.url, width, path)
    plot = page.locator(".js-plotly-plot").first
    expect(plot.locator(".shapelayer path")).to_have_count(1)
    expect(plot.locator(".annotation-text-g", has_text="Neutral line 50")).to_have_count(1)
    assert _overlapping(plot.evaluate(CHART_LABEL_BOXES)) == []


@pytest.mark.parametrize("width", WIDTHS)
def test_the_open_diamonds_are_explained_only_where_a_figure_was_revised(live_server, page, reader_data, width):
    _open(page, live_server.url, width, "/indicators/ind-1-1/")
    expect(page.locator("#chart-panel figcaption")).to_contain_text("Open diamonds mark revised figures")
    _open(page, live_server.url, width, "/indicators/electricity-secondary-ytd/")
    expect(page.locator("#chart-panel .js-plotly-plot")).to_be_visible()
    expect(page.locator("#chart-panel figcaption")).not_to_contain_text("Open diamonds")


@pytest.mark.parametrize("width", WIDTHS)
def test_a_page_without_figures_says_no_data_yet_once(live_server, page, reader_data, width):
    _open(page, live_server.url, width, "/indicators/no-figures-yet/")
    assert page.locator("main").evaluate("m => (m.innerText.match(/no data yet/gi) || []).length") == 1


@pytest.mark.parametrize("width", WIDTHS)
def test_back_restores_the_geography_boxes_of_the_url(live_server, page, console_errors, reader_data, width):
    _open(page, live_server.url, width, "/indicators/ind-1-1/")
    china, usa = page.get_by_label("China"), page.get_by_label("United States")
    usa.check()
    expect(page).to_have_url(re.compile(r"/indicators/ind-1-1/\?geo=CHN&geo=USA(&|$)"))
    china.uncheck()
    expect(page).to_have_url(re.compile(r"/indicators/ind-1-1/\?geo=USA(&|$)"))
    page.go_back()
    expect(page).to_have_url(re.compile(r"/indicators/ind-1-1/\?geo=CHN&geo=USA(&|$)"))
    expect(page.get_by_label("China")).to_be_checked()
    expect(page.get_by_label("United States")).to_be_checked()
    page.go_back()
    expect(page).to_have_url(live_server.url + "/indicators/ind-1-1/")
    expect(page.get_by_label("United States")).not_to_be_checked()
    expect(page.get_by_label("China")).to_be_checked()
    # The next tick starts from what the boxes show, and drops no geography.
    page.get_by_label("United States").check()
    expect(page).to_have_url(re.compile(r"/indicators/ind-1-1/\?geo=CHN&geo=USA(&|$)"))
    assert console_errors == []


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", ["/", "/indicators/ind-1-1/"])
def test_without_javascript_a_chart_shows_its_table_in_its_place(live_server, browser, reader_data, width, path):
    context = browser.new_context(java_script_enabled=False, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + path)
    chart = page.locator("[data-chart]").first
    expect(chart.locator(".chart-plot")).to_be_hidden()
    expect(chart.locator("table")).to_be_visible()
    expect(chart.locator("table tbody tr").first).to_contain_text("2012")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("path", ["/", "/tasks/1/", "/indicators/ind-1-1/", "/sectors/", "/method/"])
def test_axe_finds_no_serious_or_critical_violation(live_server, browser, reader_data, language, path):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.goto(live_server.url + path)
    expect(page.locator("main h1")).to_be_visible()
    if path != "/sectors/" and path != "/method/":
        expect(page.locator(".js-plotly-plot").first).to_be_visible()
    page.evaluate(AXE.read_text())  # evaluated by the browser's debugger, so the page's CSP does not apply
    violations = page.evaluate(
        """async () => (await axe.run()).violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))"""
    )
    assert violations == []
    context.close()
