"""The NBS connector against a local server replaying real easyquery replies (see tests/recorded/README.md)."""

import datetime
import json
from decimal import Decimal

import pytest

from indicators.ingestion import service
from indicators.ingestion.connectors import nbs
from indicators.ingestion.errors import PermanentFetchError
from indicators.models import IngestRun, Observation
from tests.indicators.ingestion.conftest import NBS_PATH, value_of
from tests.indicators.ingestion.replay import Reply, recorded

pytestmark = pytest.mark.django_db
QUARTERLY = "nbs/QueryData__dbcode-hgjd__zb-A0103.json"
MONTHLY = "nbs/QueryData__dbcode-hgyd__zb-A0601.json"


def refresh(indicator) -> IngestRun:
    return service.refresh_indicator(indicator_id=indicator.pk, trigger="test")


@pytest.mark.parametrize(
    ("code", "frequency", "period"),
    [
        ("2019B", "quarterly", datetime.date(2019, 4, 1)),
        ("2018D", "quarterly", datetime.date(2018, 10, 1)),
        ("201909", "monthly", datetime.date(2019, 9, 1)),
        ("2019", "annual", datetime.date(2019, 1, 1)),
    ],
)
def test_time_codes_become_period_starts(code, frequency, period):
    assert nbs.parse_sj(code, frequency) == period


def test_a_time_code_of_another_frequency_is_refused():
    with pytest.raises(PermanentFetchError, match="not a monthly period"):
        nbs.parse_sj("2019B", "monthly")


def test_series_codes_name_a_known_database():
    assert nbs.split_series_code("hgjd:A010301") == ("hgjd", "A010301")
    with pytest.raises(PermanentFetchError, match="dbcode one of"):
        nbs.split_series_code("A010301")


def test_quarterly_success_asks_for_the_series_and_reads_it(replay, nbs_gdp_index):
    replay.add(NBS_PATH, Reply(body=recorded(QUARTERLY)), m="QueryData", dbcode="hgjd")

    run = refresh(nbs_gdp_index)

    ((path, query),) = replay.requests
    assert path == NBS_PATH
    assert query["rowcode"] == "zb" and query["colcode"] == "sj" and query["wds"] == "[]"
    assert json.loads(query["dfwds"])[0] == {"wdcode": "zb", "valuecode": "A010301"}
    assert run.rows_created == 6
    # GDP index, same quarter last year = 100: 2019Q2 106.2, 2019Q1 106.4, 2018Q4 106.4 (PROVENANCE.md).
    assert value_of(nbs_gdp_index, "CHN", 2019, 4) == Decimal("106.2")
    assert value_of(nbs_gdp_index, "CHN", 2019, 1) == Decimal("106.4")
    assert value_of(nbs_gdp_index, "CHN", 2018, 10) == Decimal("106.4")
    assert value_of(nbs_gdp_index, "CHN", 2018, 1) == Decimal("106.8")


def test_monthly_success_skips_figures_flagged_absent(replay, nbs_real_estate):
    replay.add(NBS_PATH, Reply(body=recorded(MONTHLY)), m="QueryData", dbcode="hgyd")

    run = refresh(nbs_real_estate)

    assert (run.rows_created, run.rows_skipped) == (11, 2)
    assert run.skipped_reasons == [
        {"reason": "NBS marks the figure absent (hasdata false)", "count": 2, "examples": ["CHN 201909", "CHN 201901"]}
    ]
    assert value_of(nbs_real_estate, "CHN", 2019, 8) == Decimal("84589.06")  # Jan-Aug 2019, 亿元
    assert not nbs_real_estate.observations.filter(period=datetime.date(2019, 9, 1)).exists()


def test_a_changed_unit_is_refused_for_review(replay, nbs_real_estate):
    nbs_real_estate.unit = "万元"
    nbs_real_estate.save()
    replay.add(NBS_PATH, Reply(body=recorded(MONTHLY)), m="QueryData", dbcode="hgyd")

    with pytest.raises(PermanentFetchError, match="unit changed: the source states '亿元'"):
        refresh(nbs_real_estate)

    assert not Observation.objects.exists()


def test_an_unknown_series_is_refused(replay, nbs_gdp_index):
    nbs_gdp_index.source_series_code = "hgjd:A0103ZZ"
    nbs_gdp_index.save()
    replay.add(NBS_PATH, Reply(body=recorded(QUARTERLY)), m="QueryData", dbcode="hgjd")

    with pytest.raises(PermanentFetchError, match="NBS does not know series 'A0103ZZ'"):
        refresh(nbs_gdp_index)

    assert IngestRun.objects.get().outcome == IngestRun.Outcome.FAILED


def test_a_database_of_another_frequency_is_refused(replay, nbs_gdp_index):
    nbs_gdp_index.source_series_code = "hgyd:A060101"
    nbs_gdp_index.save()

    with pytest.raises(PermanentFetchError, match="hgyd is monthly but indicator gdp-index-quarterly is quarterly"):
        refresh(nbs_gdp_index)

    assert replay.requests == []


def test_an_error_returncode_is_refused(replay, nbs_gdp_index):
    replay.add(NBS_PATH, Reply(body=b'{"returncode":501,"returndata":"error"}'), m="QueryData")

    with pytest.raises(PermanentFetchError, match="returncode 501"):
        refresh(nbs_gdp_index)
