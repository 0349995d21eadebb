"""Two runs for one indicator never write at the same time (PostgreSQL row lock on the indicator)."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection

from indicators.ingestion.errors import RetryableFetchError
from indicators.ingestion.records import ObservationRecord
from indicators.ingestion.writer import write_observations
from indicators.models import Observation
from tests.factories import GeographyFactory, IndicatorFactory, IngestRunFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
# China, research and development expenditure (% of GDP), 2021 and 2022, from the World Bank bulk file
# wb_bulk_API_GB.XPD.RSDV.GD.ZS_DS2_en_csv_v2_232.csv (Last Updated 2026-07-13).
FIGURES = {2021: Decimal("2.38165"), 2022: Decimal("2.4945")}


@pytest.fixture
def indicator():
    indicator = IndicatorFactory(unit="% of GDP")
    indicator.geographies.set([GeographyFactory(code="CHN")])
    return indicator


def records():
    for year, value in FIGURES.items():
        yield ObservationRecord("CHN", datetime.date(year, 1, 1), value, citation="World Bank WDI GB.XPD.RSDV.GD.ZS")


class HeldBatch(threading.Thread):
    """A batch that takes the indicator's lock, writes its first figure, then waits until released."""

    def __init__(self, indicator):
        super().__init__(daemon=True)
        self.indicator = indicator
        self.locked = threading.Event()
        self.release = threading.Event()
        self.error = None

    def held_records(self):
        first, *rest = list(records())
        yield first
        self.locked.set()
        self.release.wait(timeout=30)
        yield from rest

    def run(self):
        try:
            run = IngestRunFactory(source=self.indicator.source, indicator=self.indicator)
            write_observations(indicator=self.indicator, records=self.held_records(), run=run, origin="api")
        except Exception as exc:  # reported to the test
            self.error = exc
        finally:
            connection.close()


def test_a_second_run_waits_for_the_first_and_gives_up_after_the_lock_timeout(indicator, settings):
    settings.INGEST_LOCK_TIMEOUT = 1
    first = HeldBatch(indicator)
    first.start()
    assert first.locked.wait(timeout=30)

    with pytest.raises(RetryableFetchError, match="being written by another run"):
        write_observations(
            indicator=indicator,
            records=records(),
            run=IngestRunFactory(source=indicator.source, indicator=indicator),
            origin="api",
        )

    first.release.set()
    first.join(timeout=30)
    assert first.error is None
    assert dict(Observation.objects.values_list("period__year", "value")) == FIGURES


def test_a_second_run_that_waited_finds_the_first_runs_figures(indicator, settings):
    settings.INGEST_LOCK_TIMEOUT = 30
    first = HeldBatch(indicator)
    first.start()
    assert first.locked.wait(timeout=30)
    threading.Timer(1.0, first.release.set).start()

    result = write_observations(
        indicator=indicator,
        records=records(),
        run=IngestRunFactory(source=indicator.source, indicator=indicator),
        origin="api",
    )

    first.join(timeout=30)
    assert first.error is None
    assert (result.created, result.unchanged) == (0, 2)
