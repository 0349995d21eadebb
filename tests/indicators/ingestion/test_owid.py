"""The OWID connector against a local server replaying the real China rows of owid-co2-data.csv (2020-12)."""

import datetime
from decimal import Decimal

import pytest

from indicators.ingestion import service
from indicators.ingestion.connectors import owid
from indicators.ingestion.errors import PermanentFetchError
from indicators.models import IngestRun, Observation
from tests.indicators.ingestion.conftest import OWID_PATH, value_of
from tests.indicators.ingestion.replay import Reply, recorded

pytestmark = pytest.mark.django_db
CO2 = "owid/co2-data__master__owid-co2-data.csv.china-rows.csv"
CO2_PATH = OWID_PATH.format(dataset="co2-data")


def refresh(indicator) -> IngestRun:
    return service.refresh_indicator(indicator_id=indicator.pk, trigger="test")


def test_series_code_names_dataset_and_column(settings):
    settings.OWID_BASE_URL = "https://raw.githubusercontent.com/owid"
    assert owid.split_series_code("co2-data:co2") == ("co2-data", "co2")
    assert owid.dataset_url("co2-data") == "https://raw.githubusercontent.com/owid/co2-data/master/owid-co2-data.csv"


def test_success_reads_the_china_rows(replay, owid_co2):
    replay.add(CO2_PATH, Reply(body=recorded(CO2), content_type="text/csv"))

    run = refresh(owid_co2)

    assert run.rows_created == 266  # 1751-2018
    # China CO2 (PROVENANCE.md): 2005 5,771 Mt, 2015 9,716 Mt, 2018 10,065 Mt.
    assert value_of(owid_co2, "CHN", 2005) == Decimal("5771.168")
    assert value_of(owid_co2, "CHN", 2015) == Decimal("9716.468")
    assert value_of(owid_co2, "CHN", 2018) == Decimal("10064.686")
    assert owid_co2.observations.get(period=datetime.date(2018, 1, 1)).citation.startswith(
        "Our World in Data, owid-co2-data.csv, column co2"
    )


def test_rows_of_other_countries_are_left_out(replay, owid_co2, usa):
    owid_co2.geographies.set([usa])
    replay.add(CO2_PATH, Reply(body=recorded(CO2)))

    run = refresh(owid_co2)

    assert (run.outcome, run.rows_created, run.rows_skipped) == (IngestRun.Outcome.SUCCESS, 0, 0)
    assert not Observation.objects.exists()


def test_an_unknown_column_is_an_unknown_series(replay, owid_co2):
    owid_co2.source_series_code = "co2-data:no_such_column"
    owid_co2.save()
    replay.add(CO2_PATH, Reply(body=recorded(CO2)))

    with pytest.raises(PermanentFetchError, match="has no column 'no_such_column': unknown series"):
        refresh(owid_co2)


def test_an_unknown_dataset_is_a_permanent_404(replay, owid_co2):
    owid_co2.source_series_code = "no-such-data:co2"
    owid_co2.save()

    with pytest.raises(PermanentFetchError, match="404"):
        refresh(owid_co2)


def test_a_file_cut_inside_its_last_line_is_refused(replay, owid_co2):
    body = recorded(CO2)
    replay.add(CO2_PATH, Reply(body=body[: len(body) - 30]))

    with pytest.raises(PermanentFetchError, match="cut off"):
        refresh(owid_co2)

    assert not Observation.objects.exists()


def test_a_file_cut_inside_an_earlier_line_is_refused(replay, owid_co2):
    body = recorded(CO2)
    cut = body.index(b"\n", len(body) // 2) - 20
    replay.add(CO2_PATH, Reply(body=body[:cut] + b"\r\n"))

    with pytest.raises(PermanentFetchError, match="fields, the header 38: cut off or malformed"):
        refresh(owid_co2)


def test_a_file_with_only_its_header_deletes_nothing(replay, owid_co2):
    replay.add(CO2_PATH, Reply(body=recorded(CO2)))
    refresh(owid_co2)
    header = recorded(CO2).split(b"\n", 1)[0] + b"\n"
    replay.add(CO2_PATH, Reply(body=header))

    run = refresh(owid_co2)

    assert (run.outcome, run.rows_created) == (IngestRun.Outcome.SUCCESS, 0)
    assert Observation.objects.filter(indicator=owid_co2).count() == 266
