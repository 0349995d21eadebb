"""The one shared writer, directly: created, revised, unchanged, skipped, refused, rolled back."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection

from indicators.ingestion.errors import PermanentFetchError, RetryableFetchError
from indicators.ingestion.records import ObservationRecord, SkippedRecord
from indicators.ingestion.writer import write_observations
from indicators.models import Disagreement, Indicator, IngestRun, Observation, ObservationRevision
from tests.factories import GeographyFactory, IndicatorFactory, IngestRunFactory, ObservationFactory, UserFactory

pytestmark = pytest.mark.django_db
API, SNAPSHOT, ANALYST = Observation.Origin.API, Observation.Origin.SNAPSHOT, Observation.Origin.ANALYST


@pytest.fixture
def indicator():
    china = GeographyFactory(code="CHN")
    indicator = IndicatorFactory(unit="% of GDP", frequency=Indicator.Frequency.ANNUAL)
    indicator.geographies.set([china])
    return indicator


@pytest.fixture
def run(indicator):
    return IngestRunFactory(source=indicator.source, indicator=indicator)


def record(year: int, value: str, **extra) -> ObservationRecord:
    return ObservationRecord(
        geography_code="CHN",
        period=datetime.date(year, 1, 1),
        value=Decimal(value),
        vintage=extra.pop("vintage", "WDI 2026-07-13"),
        citation="https://data.worldbank.org/indicator/TEST",
        **extra,
    )


def write(indicator, run, records, origin=API):
    return write_observations(indicator=indicator, records=records, run=run, origin=origin)


def existing(indicator, year: int, value: str, origin=API) -> Observation:
    return ObservationFactory(
        indicator=indicator,
        geography=indicator.geographies.get(),
        period=datetime.date(year, 1, 1),
        value=Decimal(value),
        origin=origin,
    )


def test_new_figures_are_created_and_the_indicator_marks_the_change(indicator, run):
    result = write(indicator, run, [record(2020, "25.7"), record(2021, "26.1")])

    assert (result.created, result.revised, result.unchanged, result.skipped) == (2, 0, 0, 0)
    observation = Observation.objects.get(period=datetime.date(2021, 1, 1))
    assert (observation.value, observation.origin, observation.version, observation.ingest_run) == (
        Decimal("26.1"),
        API,
        1,
        run,
    )
    indicator.refresh_from_db()
    assert indicator.data_version == 1
    assert indicator.last_success_at is not None


def test_a_revised_figure_keeps_the_old_value_in_history(indicator, run):
    old = existing(indicator, 2021, "26.1")

    result = write(indicator, run, [record(2021, "26.4", vintage="WDI 2026-12-01")])

    assert (result.created, result.revised) == (0, 1)
    old.refresh_from_db()
    assert (old.value, old.version, old.revision_count, old.vintage) == (Decimal("26.4"), 2, 1, "WDI 2026-12-01")
    revision = ObservationRevision.objects.get()
    assert (revision.old_value, revision.new_value, revision.old_version) == (Decimal("26.1"), Decimal("26.4"), 1)
    assert revision.old_vintage == "test vintage"
    assert revision.reason == ObservationRevision.Reason.SOURCE_REVISION
    assert revision.replaced_by_run == run


def test_an_unchanged_rerun_writes_no_row(indicator, run, django_assert_num_queries):
    write(indicator, run, [record(2020, "25.7"), record(2021, "26.1")])
    indicator.refresh_from_db()
    before = list(Observation.objects.values_list("pk", "value", "version", "updated_at"))
    second = IngestRunFactory(source=indicator.source, indicator=indicator)

    # savepoint, lock the indicator, close abandoned runs, geographies, current values, last_success_at, release;
    # PostgreSQL adds the bounded lock wait.
    with django_assert_num_queries(7 + (connection.vendor == "postgresql")):
        result = write(indicator, second, [record(2020, "25.7"), record(2021, "26.1")])

    assert (result.created, result.revised, result.unchanged) == (0, 0, 2)
    assert list(Observation.objects.values_list("pk", "value", "version", "updated_at")) == before
    assert not ObservationRevision.objects.exists()
    data_version = indicator.data_version
    indicator.refresh_from_db()
    assert indicator.data_version == data_version  # page caches stay valid


def test_current_values_are_read_once_per_chunk(indicator, run, settings, django_assert_num_queries):
    settings.INGEST_CHUNK_SIZE = 2
    records = [record(year, "1.5") for year in range(2015, 2021)]
    write(indicator, run, records)
    second = IngestRunFactory(source=indicator.source, indicator=indicator)

    with django_assert_num_queries(6 + 3 + (connection.vendor == "postgresql")):
        result = write(indicator, second, records)

    assert result.unchanged == 6


def test_an_analysts_value_wins_and_the_disagreement_is_recorded_once(indicator, run):
    analyst_value = existing(indicator, 2021, "26.0", origin=ANALYST)

    result = write(indicator, run, [record(2021, "26.4")])
    write(indicator, IngestRunFactory(source=indicator.source, indicator=indicator), [record(2021, "26.4")])

    assert (result.revised, result.skipped) == (0, 1)
    assert result.skipped_reasons() == [{"reason": "an analyst's value is kept", "count": 1, "examples": ["CHN 2021"]}]
    analyst_value.refresh_from_db()
    assert (analyst_value.value, analyst_value.origin, analyst_value.version) == (Decimal("26.0"), ANALYST, 1)
    disagreement = Disagreement.objects.get()
    assert (disagreement.source_value, disagreement.analyst_value, disagreement.run) == (
        Decimal("26.4"),
        Decimal("26.0"),
        run,
    )


def test_a_resolved_disagreement_is_not_raised_again(indicator, run):
    analyst_value = existing(indicator, 2021, "26.0", origin=ANALYST)
    write(indicator, run, [record(2021, "26.4")])
    Disagreement.objects.update(resolution="kept_analyst", resolved_by=UserFactory(), resolved_at=run.started_at)

    write(indicator, IngestRunFactory(source=indicator.source, indicator=indicator), [record(2021, "26.4")])

    assert Disagreement.objects.count() == 1
    analyst_value.refresh_from_db()
    assert analyst_value.value == Decimal("26.0")


def test_an_analyst_value_the_source_agrees_with_is_unchanged(indicator, run):
    existing(indicator, 2021, "26.0", origin=ANALYST)

    result = write(indicator, run, [record(2021, "26.0")])

    assert result.unchanged == 1
    assert not Disagreement.objects.exists()


def test_a_changed_unit_is_refused_and_nothing_is_written(indicator, run):
    with pytest.raises(PermanentFetchError, match="unit changed: the source states '% of GNI'"):
        write(indicator, run, [record(2020, "25.7", unit="% of GDP"), record(2021, "26.1", unit="% of GNI")])

    assert not Observation.objects.exists()


def test_a_unit_differing_only_in_spacing_or_case_is_the_same_unit(indicator, run):
    assert write(indicator, run, [record(2021, "26.1", unit=" % OF  gdp")]).created == 1


def test_a_failure_mid_batch_leaves_the_previous_data_whole(indicator, run, settings):
    settings.INGEST_CHUNK_SIZE = 2
    kept = existing(indicator, 2019, "24.0")

    def records_then_a_dropped_connection():
        yield record(2019, "24.9")  # a revision, written with the first chunk
        yield record(2020, "25.7")
        yield record(2021, "26.1")
        raise RetryableFetchError("connection dropped on page 2")

    with pytest.raises(RetryableFetchError):
        write(indicator, run, records_then_a_dropped_connection())

    assert list(Observation.objects.values_list("pk", "value", "version")) == [(kept.pk, Decimal("24.0"), 1)]
    assert not ObservationRevision.objects.exists()
    indicator.refresh_from_db()
    assert (indicator.data_version, indicator.last_success_at) == (0, None)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (ObservationRecord("CHN", datetime.date(2020, 4, 1), Decimal(1), citation="x"), "frequency"),
        (ObservationRecord("CHN", datetime.date(2020, 1, 1), "n/a", citation="x"), "is not a number"),
        (ObservationRecord("CHN", datetime.date(2020, 1, 1), Decimal("NaN"), citation="x"), "not a finite number"),
        (ObservationRecord("CHN", datetime.date(2020, 1, 1), Decimal("1e20"), citation="x"), "too large"),
        (ObservationRecord("CHN", datetime.date(2020, 1, 1), Decimal(1)), "cites no source"),
        ({"geography": "CHN", "value": 1}, "not a record"),
    ],
)
def test_invalid_records_fail_the_whole_batch(indicator, run, bad, message):
    with pytest.raises(PermanentFetchError, match=message):
        write(indicator, run, [record(2019, "24.0"), bad])

    assert not Observation.objects.exists()


def test_a_figure_given_twice_is_refused(indicator, run):
    with pytest.raises(PermanentFetchError, match="gives this figure twice"):
        write(indicator, run, [record(2021, "26.1"), record(2021, "26.2")])


def test_skips_are_counted_with_reasons(indicator, run):
    indicator.plausible_min, indicator.plausible_max = Decimal(0), Decimal(100)
    indicator.save()

    result = write(
        indicator,
        run,
        [
            SkippedRecord("the World Bank publishes no value (null)", "CHN 2024"),
            ObservationRecord("ATL", datetime.date(2020, 1, 1), Decimal(1), citation="x"),
            record(2021, "250"),
            record(2022, "26.2"),
        ],
    )

    assert (result.created, result.skipped) == (1, 3)
    assert [reason["reason"] for reason in result.skipped_reasons()] == [
        "the World Bank publishes no value (null)",
        "geography ATL is not in the catalogue",
        "outside the indicator's plausible range; held for review",
    ]


def test_a_snapshot_load_never_overrides_pulled_or_analyst_values(indicator, run):
    pulled = existing(indicator, 2019, "24.0", origin=API)
    entered = existing(indicator, 2020, "25.0", origin=ANALYST)
    bundled = existing(indicator, 2021, "26.0", origin=SNAPSHOT)

    result = write(
        indicator,
        run,
        [record(2019, "23.0"), record(2020, "23.0"), record(2021, "26.5"), record(2022, "27.0")],
        origin=SNAPSHOT,
    )

    assert (result.created, result.revised, result.skipped) == (1, 1, 2)
    values = dict(Observation.objects.values_list("pk", "value"))
    assert values[pulled.pk] == Decimal("24.0")
    assert values[entered.pk] == Decimal("25.0")
    assert values[bundled.pk] == Decimal("26.5")
    assert not Disagreement.objects.exists()
    indicator.refresh_from_db()
    assert indicator.last_success_at is None  # a snapshot is not a successful pull
    assert indicator.data_version == 1


def test_a_pull_revises_a_snapshot_value(indicator, run):
    bundled = existing(indicator, 2021, "26.0", origin=SNAPSHOT)

    assert write(indicator, run, [record(2021, "26.5")]).revised == 1

    bundled.refresh_from_db()
    assert (bundled.value, bundled.origin) == (Decimal("26.5"), API)
    assert bundled.revisions.get().old_origin == SNAPSHOT


def test_a_flag_change_alone_updates_the_figure(indicator, run):
    figure = existing(indicator, 2021, "26.0")

    assert write(indicator, run, [record(2021, "26.0", is_provisional=True)]).revised == 1

    figure.refresh_from_db()
    assert (figure.is_provisional, figure.version) == (True, 2)


def test_runs_left_running_by_a_dead_worker_are_closed(indicator, run):
    dead = IngestRunFactory(source=indicator.source, indicator=indicator)

    write(indicator, run, [record(2021, "26.0")])

    dead.refresh_from_db()
    assert dead.outcome == IngestRun.Outcome.FAILED
    assert dead.error.startswith("Abandoned")
    run.refresh_from_db()
    assert run.outcome == IngestRun.Outcome.RUNNING  # the service closes its own run


def test_the_writer_does_not_write_analysts_values(indicator, run):
    with pytest.raises(ValueError, match="not 'analyst'"):
        write(indicator, run, [record(2021, "26.0")], origin=ANALYST)
