"""The public pages: both renderings, a fixed number of queries, escaping, no usernames, caching."""

import datetime
import json
from decimal import Decimal

import pytest
from django.contrib import admin
from django.core.cache import cache
from django.test import RequestFactory

from indicators.models import Indicator, Observation
from indicators.services.observation_writes import data_version_bump
from tests.dashboard.conftest import ANALYST_USERNAME, build_dataset
from tests.factories import (
    CommitmentFactory,
    CommitmentIndicatorFactory,
    GeographyFactory,
    IndicatorFactory,
    ObservationFactory,
    SectorFactory,
    SourceFactory,
    TaskFactory,
    UserFactory,
)

# Queries per page on a cold cache; the same however large the dataset. The views select before rendering and
# the title reads what was selected, so an htmx fragment runs as many queries as its page; the site generation
# that keys the page data is read from the cache, not the database (config/generations.py). A `geo` filter
# costs one query more: the codes it may name are the indicator's own (so `?geo=<random>` cannot grow the
# cache). Commitment pages prefetch the aims without a number (PolicyClause) of their indicators, and the
# indicator page reads its own: one query each.
PAGES = {
    "/": 7,
    "/tasks/1/": 7,
    "/tasks/1/?sector=sector-1": 7,
    "/sectors/": 10,
    "/sectors/sector-1/": 8,
    "/indicators/": 7,
    "/indicators/?task=2&sector=sector-1&source=test-source&freshness=stale": 7,
    "/indicators/ind-1-1/": 12,
    "/indicators/ind-1-1/?geo=CHN&start=2015&end=2020&view=table": 13,
    "/indicators/ind-1-1/data.csv": 2,
    "/indicators/ind-1-1/data.json": 2,
    "/sources/": 1,
    "/method/": 2,
}

# The fragments' URLs that are not in PAGES run as many queries as the pages they come from.
FRAGMENT_QUERIES = {"/indicators/?task=1": 7, "/indicators/ind-1-1/?geo=CHN&view=table": 13}

# Each filtered view, the htmx target its filters name, and the id the fragment starts with.
FRAGMENTS = [
    ("/tasks/1/?sector=sector-1", "commitments"),
    ("/indicators/?task=1", "indicator-results"),
    ("/indicators/ind-1-1/?geo=CHN&view=table", "chart-panel"),
]


@pytest.mark.parametrize("scale", [1, 10], ids=["seeded", "ten-times"])
@pytest.mark.django_db
def test_every_page_runs_the_same_number_of_queries_at_any_data_size(client, django_assert_num_queries, scale):
    build_dataset(scale=scale)
    for url, queries in PAGES.items():
        cache.clear()
        with django_assert_num_queries(queries):
            response = client.get(url)
        assert response.status_code == 200, url
    for url, target in FRAGMENTS:
        cache.clear()
        with django_assert_num_queries(PAGES.get(url, FRAGMENT_QUERIES.get(url))):
            client.get(url, headers={"HX-Request": "true", "HX-Target": target})


@pytest.mark.django_db
def test_a_warm_cache_spares_the_series_queries_of_the_indicator_page(client, django_assert_num_queries, dataset):
    client.get("/indicators/ind-1-1/")
    # Another view of the same figures misses the page data but finds the summary and the chart panel.
    with django_assert_num_queries(9):
        client.get("/indicators/ind-1-1/?view=table")


@pytest.mark.parametrize(("url", "target"), FRAGMENTS)
def test_a_plain_request_gets_the_whole_page(client, dataset, url, target):
    response = client.get(url)
    html = response.content.decode()
    assert "<html" in html
    assert f'id="{target}"' in html
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize(("url", "target"), FRAGMENTS)
def test_an_htmx_request_gets_only_the_fragment_its_target_names(client, dataset, url, target):
    response = client.get(url, headers={"HX-Request": "true", "HX-Target": target})
    html = response.content.decode().strip()
    assert "<html" not in html
    assert "<header" not in html
    assert html.startswith(f'<section id="{target}"')
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize(("url", "target"), FRAGMENTS)
def test_an_htmx_request_for_an_unknown_target_gets_the_whole_page(client, dataset, url, target):
    response = client.get(url, headers={"HX-Request": "true", "HX-Target": "something-else"})
    assert "<html" in response.content.decode()


def test_a_history_restore_gets_the_whole_page(client, dataset):
    response = client.get(
        "/indicators/ind-1-1/?geo=CHN",
        headers={"HX-Request": "true", "HX-Target": "chart-panel", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in response.content.decode()


def test_the_sector_filter_keeps_only_commitments_touching_the_sector(client, dataset):
    commitment_codes = {commitment.code for commitment in dataset.commitments if commitment.task.number == 1}
    response = client.get("/tasks/1/?sector=sector-0", headers={"HX-Request": "true", "HX-Target": "commitments"})
    html = response.content.decode()
    shown = {code for code in commitment_codes if f'id="commitment-{code}"' in html}
    assert shown and shown != commitment_codes


def test_the_indicator_filters_narrow_the_list(client, dataset):
    html = client.get("/indicators/?task=3").content.decode()
    assert "ind-3-1" in html
    assert "ind-1-1" not in html


def test_the_freshness_filter_keeps_only_indicators_that_fresh(client, dataset):
    assert "ind-1-1" in client.get("/indicators/?freshness=stale").content.decode()
    assert "ind-1-1" not in client.get("/indicators/?freshness=current").content.decode()


def test_the_period_range_limits_the_table(client, dataset):
    html = client.get("/indicators/ind-1-1/?view=table&start=2015&end=2016&geo=CHN").content.decode()
    assert "<td>2015</td>" in html
    assert "<td>2016</td>" in html
    assert "<td>2014</td>" not in html
    assert "<td>2017</td>" not in html


def test_switching_a_geography_off_drops_it_from_chart_and_table(client, dataset):
    fragment = {"HX-Request": "true", "HX-Target": "chart-panel"}
    both = client.get("/indicators/ind-1-1/?view=table&geo=CHN&geo=USA", headers=fragment).content.decode()
    china_only = client.get("/indicators/ind-1-1/?view=table&geo=CHN", headers=fragment).content.decode()
    assert "<td>United States</td>" in both
    assert "<td>United States</td>" not in china_only


def test_the_indicator_page_shows_source_dates_downloads_and_revisions(client, dataset):
    html = client.get("/indicators/ind-1-1/").content.decode()
    assert "https://example.org/" in html  # the source's page
    assert "Next figure due" in html
    assert "Last changed in the tracker" in html
    assert "/indicators/ind-1-1/data.csv" in html
    assert "/indicators/ind-1-1/data.json" in html
    assert "Revised figures" in html
    assert "entered by an analyst" in html.lower()
    assert "https://example.org/analyst-publication" in html


def test_the_indicator_page_shows_the_status_and_its_inputs(client, dataset):
    html = client.get("/indicators/ind-1-1/").content.decode()
    assert "Ratio achieved / required" in html
    assert "Trend before the article" in html  # the data ends in 2023
    assert "2015–2023" in html


def test_a_page_without_data_says_so(client, db):
    IndicatorFactory(code="empty-indicator")
    html = client.get("/indicators/empty-indicator/").content.decode()
    assert "No data yet" in html
    assert "data-figure" not in html


def test_unknown_task_sector_and_indicator_are_not_found(client, db):
    assert client.get("/tasks/5/").status_code == 404
    assert client.get("/sectors/no-such-sector/").status_code == 404
    assert client.get("/indicators/no-such-indicator/").status_code == 404


def test_pages_refuse_writes(client, dataset):
    assert client.post("/indicators/").status_code == 405


@pytest.mark.parametrize("url", [url for url in PAGES if "data." not in url])
def test_no_public_page_shows_who_entered_a_figure(client, dataset, url):
    assert ANALYST_USERNAME not in client.get(url).content.decode()


@pytest.mark.parametrize("url", ["/indicators/ind-1-1/data.csv", "/indicators/ind-1-1/data.json"])
def test_no_download_names_who_entered_a_figure(client, dataset, url):
    assert ANALYST_USERNAME not in client.get(url).content.decode()


SCRIPT = "<script>alert(1)</script>"


def test_admin_typed_text_is_escaped_in_pages_and_figures(client, db):
    policy_task = TaskFactory(number=1, title_en=f"Task {SCRIPT}", summary_en=SCRIPT, article_text=SCRIPT)
    sector = SectorFactory(slug="steel", name_en=f"Steel {SCRIPT}")
    commitment = CommitmentFactory(task=policy_task, position=1, title_en=SCRIPT, article_quote=SCRIPT)
    commitment.sectors.add(sector)
    source = SourceFactory(key="evil", name=f"Source {SCRIPT}", attribution=SCRIPT, licence=SCRIPT)
    indicator = IndicatorFactory(
        code="evil-indicator",
        name_en=f"Name {SCRIPT}",
        unit=f"unit {SCRIPT}",
        definition=SCRIPT,
        source=source,
        headline_for=policy_task,
    )
    indicator.sectors.add(sector)
    CommitmentIndicatorFactory(commitment=commitment, indicator=indicator, reason=SCRIPT)
    geography = GeographyFactory(code="CHN", name_en=f"China {SCRIPT}")
    indicator.geographies.add(geography)
    for year in (2020, 2021, 2022):
        ObservationFactory(indicator=indicator, geography=geography, period=datetime.date(year, 1, 1))
    for url in ["/", "/tasks/1/", "/sectors/", "/sectors/steel/", "/indicators/", "/indicators/evil-indicator/"]:
        html = client.get(url).content.decode()
        assert SCRIPT not in html, url
        assert "<script>alert" not in html, url
    for url in ["/sources/"]:
        assert SCRIPT not in client.get(url).content.decode()


def test_a_data_version_bump_invalidates_the_cached_chart(client, dataset):
    indicator = Indicator.objects.get(code="ind-1-1")
    first = client.get("/indicators/ind-1-1/?view=table&geo=CHN").content.decode()
    assert "<td>2012</td>" in first
    # A write that forgets the bump is not seen: the page is served from the cache.
    Observation.objects.filter(indicator=indicator, period__year=2012, geography__code="CHN").update(
        value=Decimal("987654")
    )
    assert "987,654" not in client.get("/indicators/ind-1-1/?view=table&geo=CHN").content.decode()
    # The writer bumps the version in its transaction: every cache key moves with it.
    data_version_bump(indicator.pk)
    assert "987,654" in client.get("/indicators/ind-1-1/?view=table&geo=CHN").content.decode()


def test_a_data_version_bump_invalidates_the_cached_progress_on_the_home_page(client, dataset):
    indicator = Indicator.objects.get(code="ind-1-1")
    assert "987,654" not in client.get("/indicators/?task=1").content.decode()
    Observation.objects.filter(indicator=indicator, period__year=2023, geography__code="CHN").update(
        value=Decimal("987654")
    )
    data_version_bump(indicator.pk)
    assert "987,654" in client.get("/indicators/?task=1").content.decode()


def test_the_cache_key_holds_the_language(client, dataset):
    english = client.get("/indicators/ind-1-1/").content.decode()
    client.cookies["django_language"] = "zh-hans"
    chinese = client.get("/indicators/ind-1-1/").content.decode()
    assert "Source: Test source" in english
    assert "来源" in chinese


def test_the_language_switch_keeps_the_page(client, dataset):
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/indicators/ind-1-1/?geo=CHN"})
    assert response.status_code == 302
    assert response["Location"] == "/indicators/ind-1-1/?geo=CHN"
    html = client.get(response["Location"]).content.decode()
    assert 'lang="zh-Hans"' in html
    assert "指标" in html


def test_pages_link_with_real_hrefs(client, dataset):
    html = client.get("/").content.decode()
    assert 'href="/tasks/1/"' in html
    assert 'href="/indicators/ind-1-1/"' in html


def test_pages_that_chart_load_plotly_and_others_do_not(client, dataset):
    assert "plotly-basic-3.7.0.min.js" in client.get("/indicators/ind-1-1/").content.decode()
    assert "plotly-basic-3.7.0.min.js" not in client.get("/sources/").content.decode()


def test_no_page_carries_an_inline_script(client, dataset):
    for url in [url for url in PAGES if "data." not in url]:
        html = client.get(url).content.decode()
        for chunk in html.split("<script")[1:]:
            attributes = chunk.split(">", 1)[0]
            assert "src=" in attributes or 'type="application/json"' in attributes, (url, attributes)
        assert " onclick=" not in html and "hx-on" not in html


def test_the_method_page_counts_what_has_data(client, dataset):
    html = client.get("/method/").content.decode()
    assert "<strong>14</strong> of 14 indicators have data" in html
    assert "0.95" in html  # the on-track ratio, read from indicators.progress


def test_pages_are_served_uncached_while_redis_is_down(client, dataset, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    for url in ["/", "/tasks/1/", "/indicators/ind-1-1/", "/sectors/sector-0/"]:
        assert client.get(url).status_code == 200, url


def test_an_admin_renaming_an_indicator_is_seen_in_its_cached_chart(client, dataset):
    client.get("/indicators/ind-1-1/")
    indicator = Indicator.objects.get(code="ind-1-1")
    indicator.name_en = "Renamed by an admin"
    request = RequestFactory().post("/admin/indicators/indicator/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    admin.site._registry[Indicator].save_model(request, indicator, form=None, change=True)
    fragment = client.get("/indicators/ind-1-1/", headers={"HX-Request": "true", "HX-Target": "chart-panel"})
    figure_json = fragment.content.decode().split("data-figure>", 1)[1].split("</script>", 1)[0]
    assert json.loads(figure_json)["layout"]["title"]["text"] == "Renamed by an admin"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "current"),
    [("/", "Tasks"), ("/sectors/", "Sectors"), ("/indicators/", "Indicators"), ("/sources/", "Sources")],
)
def test_the_navigation_marks_only_the_section_being_read(client, path, current):
    html = client.get(path).content.decode()
    nav = html.split('class="site-nav"', 1)[1].split("</nav>", 1)[0]
    marked = [chunk.split("</a>")[0].rsplit(">", 1)[-1] for chunk in nav.split('aria-current="page"')[1:]]
    assert marked == [current]
