"""The World Bank connector against a local server replaying v2 replies built from the real WDI figures."""

import datetime
from decimal import Decimal

import pytest

from indicators.ingestion import service
from indicators.ingestion.connectors import worldbank
from indicators.ingestion.errors import PermanentFetchError, RetryableFetchError
from indicators.models import IngestRun, Observation, ObservationRevision
from tests.indicators.ingestion.conftest import WB_PATH, value_of
from tests.indicators.ingestion.replay import Reply, recorded

pytestmark = pytest.mark.django_db
SERIES = "GB.XPD.RSDV.GD.ZS"


def built(series, countries, per_page, page, origin="wdi-bulk") -> bytes:
    return recorded(
        f"worldbank/{series}__country-{'-'.join(countries)}__per_page-{per_page}__page-{page}.{origin}.built.json"
    )


def serve(replay, *replies, countries=("CHN", "USA"), series=SERIES, **query):
    replay.add(WB_PATH.format(countries=";".join(countries), series=series), *replies, **query)


def refresh(indicator) -> IngestRun:
    return service.refresh_indicator(indicator_id=indicator.pk, trigger="test")


def test_parse_date_reads_each_frequency():
    assert worldbank.parse_date("2021", "annual") == datetime.date(2021, 1, 1)
    assert worldbank.parse_date("2021Q3", "quarterly") == datetime.date(2021, 7, 1)
    assert worldbank.parse_date("2021M11", "monthly") == datetime.date(2021, 11, 1)
    with pytest.raises(PermanentFetchError, match="not a quarterly period"):
        worldbank.parse_date("2021", "quarterly")


def test_unit_comes_from_the_series_name():
    row = {"indicator": {"id": SERIES, "value": "Research and development expenditure (% of GDP)"}, "unit": ""}
    assert worldbank.unit_from_row(row) == "% of GDP"
    assert worldbank.unit_from_row({"indicator": {"value": "Patent applications, residents"}, "unit": ""}) is None


def test_success_fills_every_geography_in_one_request(replay, worldbank_rd):
    serve(replay, Reply(body=built(SERIES, ("CHN", "USA"), 1000, 1)))

    run = refresh(worldbank_rd)

    assert run.outcome == IngestRun.Outcome.SUCCESS
    assert replay.requests == [
        ("/v2/country/CHN;USA/indicator/GB.XPD.RSDV.GD.ZS", {"format": "json", "per_page": "1000", "page": "1"})
    ]
    # Figures from wb_bulk_API_GB.XPD.RSDV.GD.ZS_DS2_en_csv_v2_232.csv (Last Updated 2026-07-13).
    assert value_of(worldbank_rd, "CHN", 2021) == Decimal("2.38165")
    assert value_of(worldbank_rd, "CHN", 2015) == Decimal("2.01703")
    assert value_of(worldbank_rd, "USA", 2021) == Decimal("3.4689")
    china_2021 = worldbank_rd.observations.get(geography__code="CHN", period=datetime.date(2021, 1, 1))
    assert china_2021.vintage == "World Bank WDI, last updated 2026-07-13"
    assert china_2021.origin == Observation.Origin.API
    assert china_2021.ingest_run == run
    assert "GB.XPD.RSDV.GD.ZS" in china_2021.citation
    assert run.rows_created == worldbank_rd.observations.count() == 56  # 1996-2023 for each
    assert run.rows_skipped == 132 - 56  # the nulls: years the World Bank has no figure for
    assert run.skipped_reasons[0]["reason"] == "the World Bank publishes no value (null)"


def test_several_pages_are_all_read(replay, worldbank_rd, settings):
    settings.WORLDBANK_PER_PAGE = 50
    for page in (1, 2, 3):
        serve(replay, Reply(body=built(SERIES, ("CHN", "USA"), 50, page)), page=str(page))

    run = refresh(worldbank_rd)

    assert [query["page"] for _, query in replay.requests] == ["1", "2", "3"]
    assert run.rows_created + run.rows_skipped == 132
    assert value_of(worldbank_rd, "USA", 1996) == Decimal("2.45013")  # on page 3


def test_a_page_shorter_than_announced_is_refused_and_nothing_is_written(replay, worldbank_rd, settings):
    settings.WORLDBANK_PER_PAGE = 50
    serve(replay, Reply(body=built(SERIES, ("CHN", "USA"), 50, 1)), page="1")
    serve(replay, Reply(body=built(SERIES, ("CHN", "USA"), 50, 3)), page="2")  # 32 rows where 50 are due

    with pytest.raises(PermanentFetchError, match="truncated"):
        refresh(worldbank_rd)

    assert not Observation.objects.exists()


def test_a_revised_figure_keeps_both_values_in_history(replay, worldbank_rd, china):
    worldbank_rd.geographies.set([china])
    older = built(SERIES, ("CHN",), 1000, 1, origin="wdi-v2025-extract")
    newer = built(SERIES, ("CHN",), 1000, 1)
    serve(replay, Reply(body=older), Reply(body=newer), countries=("CHN",))
    first = refresh(worldbank_rd)
    assert value_of(worldbank_rd, "CHN", 2021) == Decimal("2.4326")

    second = refresh(worldbank_rd)

    observation = worldbank_rd.observations.get(period=datetime.date(2021, 1, 1))
    assert observation.value == Decimal("2.381650")
    assert observation.version == 2
    assert observation.revision_count == 1
    revision = observation.revisions.get()
    assert (revision.old_value, revision.new_value) == (Decimal("2.432600"), Decimal("2.381650"))
    assert revision.old_vintage == "World Bank WDI, last updated 2025-05-30"
    assert revision.reason == ObservationRevision.Reason.SOURCE_REVISION
    assert revision.replaced_by_run == second
    assert revision.old_origin == Observation.Origin.API
    # The 2025 extract holds 2003-2022; the 2026 bulk file revises all twenty and adds 1996-2002 and 2023.
    assert (first.rows_created, first.rows_revised) == (20, 0)
    assert (second.rows_created, second.rows_revised, second.rows_unchanged) == (8, 20, 0)
    assert ObservationRevision.objects.count() == 20


def test_a_changed_unit_is_refused_for_review(replay, worldbank_rd):
    worldbank_rd.unit = "% of GNI"
    worldbank_rd.save()
    serve(replay, Reply(body=built(SERIES, ("CHN", "USA"), 1000, 1)))

    with pytest.raises(PermanentFetchError, match="unit changed"):
        refresh(worldbank_rd)

    run = IngestRun.objects.get()
    assert run.outcome == IngestRun.Outcome.FAILED
    assert "'% of GDP'" in run.error and "'% of GNI'" in run.error
    assert not Observation.objects.exists()


def test_an_unknown_series_reports_the_apis_error(replay, worldbank_rd):
    worldbank_rd.source_series_code = "NO.SUCH.SERIES"
    worldbank_rd.save()
    serve(replay, Reply(body=recorded("worldbank/error__invalid-value-120.json")), series="NO.SUCH.SERIES")

    with pytest.raises(PermanentFetchError, match=r"Invalid value \(120\): The provided parameter value is not valid"):
        refresh(worldbank_rd)

    assert IngestRun.objects.get().outcome == IngestRun.Outcome.FAILED


def test_a_reply_for_another_series_is_refused(replay, worldbank_rd):
    serve(replay, Reply(body=built("SP.POP.SCIE.RD.P6", ("CHN", "USA"), 1000, 1)))

    with pytest.raises(PermanentFetchError, match=r"is for series 'SP\.POP\.SCIE\.RD\.P6'"):
        refresh(worldbank_rd)


def test_the_5xx_retry_path_is_a_retryable_fault(replay, worldbank_rd):
    serve(replay, Reply(status=503, body=b"Service Unavailable"))

    with pytest.raises(RetryableFetchError, match="503"):
        refresh(worldbank_rd)


def test_a_reply_with_no_rows_deletes_nothing(replay, worldbank_rd):
    serve(replay, Reply(body=built(SERIES, ("CHN", "USA"), 1000, 1)))
    refresh(worldbank_rd)
    before = list(Observation.objects.values_list("pk", "value", "version"))
    # The API's shape when a series has nothing for the asked geographies: no pages and null rows.
    empty = b'[{"page":1,"pages":0,"per_page":1000,"total":0,"sourceid":"2","lastupdated":"2026-07-13"},null]'
    serve(replay, Reply(body=empty))

    run = refresh(worldbank_rd)

    assert (run.outcome, run.rows_created, run.rows_unchanged) == (IngestRun.Outcome.SUCCESS, 0, 0)
    assert list(Observation.objects.values_list("pk", "value", "version")) == before


def test_obs_status_flags_estimates():
    body = [
        {"page": 1, "pages": 1, "per_page": 50, "total": 2, "lastupdated": "2026-07-13"},
        [
            {
                "indicator": {"id": SERIES, "value": "Research and development expenditure (% of GDP)"},
                "countryiso3code": "CHN",
                "date": "2023",
                "value": Decimal("2.57729"),
                "obs_status": status,
            }
            for status in ("E", "")
        ],
    ]
    body[1][1]["date"] = "2022"
    body[1][1]["value"] = Decimal("2.4945")

    _, (estimate, plain) = worldbank.parse_page(
        body, series_code=SERIES, countries=["CHN"], frequency="annual", url="https://api.worldbank.org/v2"
    )

    assert (estimate.is_estimated, plain.is_estimated) == (True, False)
    assert estimate.unit == "% of GDP"
