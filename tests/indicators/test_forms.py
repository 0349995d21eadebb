"""The GET filter forms: ASCII digits, slugs and closed choices only; a bad value is ignored or refused, never a 500."""

import csv
import datetime
import io

import pytest
from django.utils import timezone

from indicators import periods
from indicators.changes import KINDS
from indicators.forms import FRESHNESS_LABELS, KIND_LABELS, IndicatorListFilterForm, SeriesFilterForm
from indicators.models import Observation
from tests.dashboard.conftest import build_dataset

HOME_ONLY = ["CHN", "USA"]


def _series(data: dict) -> dict:
    return SeriesFilterForm(data, geographies=lambda: HOME_ONLY).valid_data()


@pytest.fixture
def dataset(db):
    return build_dataset(scale=1)


@pytest.mark.parametrize("digits", ["²", "①", "١٢", "۳", "３"])
def test_the_task_filter_ignores_digits_that_are_not_ascii(digits):
    assert "task" not in IndicatorListFilterForm({"task": digits}).valid_data()


def test_the_task_filter_keeps_a_task_number():
    assert IndicatorListFilterForm({"task": "3"}).valid_data()["task"] == 3


@pytest.mark.parametrize("number", ["0", "8", "-1", "99999"])
def test_the_task_filter_ignores_numbers_outside_the_seven_tasks(number):
    assert "task" not in IndicatorListFilterForm({"task": number}).valid_data()


@pytest.mark.parametrize("field", ["sector", "source"])
def test_a_nul_byte_in_a_slug_filter_is_ignored(field):
    assert field not in IndicatorListFilterForm({field: "sector\x00-1"}).valid_data()


def test_an_unknown_freshness_is_ignored():
    assert "freshness" not in IndicatorListFilterForm({"freshness": "rotten"}).valid_data()


@pytest.mark.parametrize("year", ["①", "²⁰²⁰", "٢٠٢٠", "1799", "2201", "20200"])
def test_the_period_filters_accept_ascii_years_from_1800_to_2200_only(year):
    assert "start" not in _series({"start": year})
    assert "end" not in _series({"end": year})


def test_the_period_filters_keep_a_plain_year():
    assert _series({"start": "2015", "end": "2020"}) == {
        "start": 2015,
        "end": 2020,
        "geo": [],
        "view": "",
    }


def test_an_end_before_the_start_is_refused():
    form = SeriesFilterForm({"start": "2020", "end": "2010"}, geographies=lambda: HOME_ONLY)
    assert not form.is_valid()
    assert "end" in form.errors


def test_the_geography_filter_accepts_only_the_indicators_geographies():
    assert _series({"geo": ["USA"]})["geo"] == ["USA"]
    assert "geo" not in _series({"geo": ["ZZZ"]})


def test_a_request_without_geo_reads_no_geographies():
    def unreadable():
        raise AssertionError("the geographies were read")

    assert SeriesFilterForm({"start": "2015"}, geographies=unreadable).valid_data()["start"] == 2015


@pytest.mark.parametrize(
    "query",
    ["?task=%C2%B2", "?task=%D9%A1", "?sector=a%00b", "?source=%00", "?freshness=%00"],
)
def test_the_indicator_list_ignores_a_bad_filter(client, dataset, query):
    assert client.get(f"/indicators/{query}").status_code == 200


@pytest.mark.parametrize("query", ["?start=%E2%91%A0", "?end=%C2%B2", "?geo=%00", "?view=%00", "?start=2020&end=2010"])
def test_the_indicator_page_ignores_a_bad_filter(client, dataset, query):
    assert client.get(f"/indicators/ind-1-1/{query}").status_code == 200


@pytest.mark.parametrize("query", ["?start=%E2%91%A0", "?geo=ZZZ", "?geo=%00", "?start=2020&end=2010"])
@pytest.mark.parametrize("extension", ["csv", "json"])
def test_a_download_refuses_a_bad_filter_with_its_message(client, dataset, query, extension):
    response = client.get(f"/indicators/ind-1-1/data.{extension}{query}")
    assert response.status_code == 400
    assert response.json()["errors"]


def test_random_geographies_are_served_the_default_pages_cached_fragments(client, dataset, django_assert_num_queries):
    client.get("/indicators/ind-1-1/")
    for attempt in range(3):
        # The geographies' codes: nothing is selected or cached for the random code.
        with django_assert_num_queries(1):
            client.get(f"/indicators/ind-1-1/?geo=RANDOM{attempt}")


def _csv(client, url):
    return list(csv.DictReader(io.StringIO(client.get(url).content.decode())))


def test_the_csv_holds_only_the_geography_and_years_asked_for(client, dataset):
    rows = _csv(client, "/indicators/ind-1-1/data.csv?geo=USA&start=2020")
    assert {row["geography"] for row in rows} == {"USA"}
    assert [row["period"] for row in rows] == ["2020", "2021", "2022", "2023"]


def test_the_json_holds_only_the_years_asked_for(client, dataset):
    document = client.get("/indicators/ind-1-1/data.json?start=2014&end=2015").json()
    assert {(row["geography"], row["period"]) for row in document["observations"]} == {
        ("CHN", "2014"),
        ("CHN", "2015"),
        ("USA", "2014"),
        ("USA", "2015"),
    }


def test_the_unfiltered_csv_holds_every_figure(client, dataset):
    assert len(_csv(client, "/indicators/ind-1-1/data.csv")) == 24


@pytest.fixture
def withdrawn(dataset):
    Observation.objects.filter(indicator__code="ind-1-1", period=datetime.date(2016, 1, 1)).update(
        withdrawn_by_source_at=timezone.now()
    )


def test_figures_the_source_withdrew_are_left_out_of_the_csv(client, withdrawn):
    assert "2016" not in {row["period"] for row in _csv(client, "/indicators/ind-1-1/data.csv")}


def test_figures_the_source_withdrew_are_left_out_of_the_json(client, withdrawn):
    document = client.get("/indicators/ind-1-1/data.json").json()
    assert "2016" not in {row["period"] for row in document["observations"]}


def test_figures_the_source_withdrew_are_left_out_of_the_period_choices(client, withdrawn):
    assert '<option value="2016"' not in client.get("/indicators/ind-1-1/?view=table").content.decode()


def test_every_freshness_and_change_kind_has_a_label_in_its_filter():
    assert set(FRESHNESS_LABELS) == set(periods.Freshness)
    assert set(KIND_LABELS) == set(KINDS)


def test_the_filter_selects_show_the_chosen_freshness_and_kind(client, dataset):
    indicators_page = client.get("/indicators/?freshness=stale").content.decode()
    assert '<option value="stale" selected>Behind: two or more figures due</option>' in indicators_page
    changes_page = client.get("/changes/?kind=revision").content.decode()
    assert '<option value="revision" selected>Revisions</option>' in changes_page
    unknown_kind = client.get("/changes/?kind=rotten").content.decode()
    assert " selected>" not in unknown_kind.split('name="kind"', 1)[1].split("</select>", 1)[0]


def test_the_task_sector_and_source_selects_offer_what_the_page_lists_in_the_visitors_language(client, dataset):
    english = client.get("/indicators/?task=2&sector=sector-1").content.decode()
    assert '<select name="task" id="id_task">' in english
    assert '<option value="2" selected>2. ' in english
    assert '<option value="sector-1" selected>' in english
    chinese = client.get("/indicators/?task=2", headers={"Accept-Language": "zh-hans"}).content.decode()
    task = dataset.tasks[1]
    assert f'<option value="2" selected>2. {task.title_zh}</option>' in chinese
