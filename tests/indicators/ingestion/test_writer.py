"""The one shared writer, directly: created, revised, unchanged, skipped, refused, rolled back."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from indicators.ingestion import writer
from indicators.ingestion.errors import PermanentFetchError, RetryableFetchError
from indicators.ingestion.records import ObservationRecord, SkippedRecord
from indicators.ingestion.writer import write_observations
from indicators.models import Disagreement, Indicator, IngestRun, Observation, ObservationRevision
from indicators.services import observation_writes
from tests.factories import GeographyFactory, IndicatorFactory, IngestRunFactory, ObservationFactory, UserFactory

pytestmark = pytest.mark.django_db
API, SNAPSHOT, ANALYST = Observation.Origin.API, Observation.Origin.SNAPSHOT, Observation.Origin.ANALYST
# China, manufacturing value added (% of GDP): the current WDI vintage
# (shared/data/wdi_china_opennumbers_ddf_extract.csv)
# and the December 2013 vintage (shared/data/wdi_china_1960-2012_ronnywang_v2013.csv), which the census revisions
# changed. Real figures, so a revision in these tests is one the World Bank actually made.
MANF = {
    2009: "31.06115",
    2010: "31.0749",
    2015: "28.389",
    2016: "27.52376",
    2017: "27.59986",
    2018: "27.34342",
    2019: "26.25947",
    2020: "25.74414",
    2021: "26.97012",
    2022: "26.42377",
}
MANF_2013 = {2009: "32.302020", 2010: "32.458494"}  # 32.302020410629 and 32.4584937939712, stored to six places


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
    result = write(indicator, run, [record(2020, MANF[2020]), record(2021, MANF[2021])])

    assert (result.created, result.revised, result.unchanged, result.skipped) == (2, 0, 0, 0)
    observation = Observation.objects.get(period=datetime.date(2021, 1, 1))
    assert (observation.value, observation.origin, observation.version, observation.ingest_run) == (
        Decimal(MANF[2021]),
        API,
        1,
        run,
    )
    indicator.refresh_from_db()
    assert indicator.data_version == 1
    assert indicator.last_success_at is not None


def test_a_revised_figure_keeps_the_old_value_in_history(indicator, run):
    old = existing(indicator, 2010, MANF_2013[2010])

    result = write(indicator, run, [record(2010, MANF[2010], vintage="WDI via open-numbers")])

    assert (result.created, result.revised) == (0, 1)
    old.refresh_from_db()
    assert (old.value, old.version, old.revision_count, old.vintage) == (
        Decimal(MANF[2010]),
        2,
        1,
        "WDI via open-numbers",
    )
    revision = ObservationRevision.objects.get()
    assert (revision.old_value, revision.new_value, revision.old_version) == (
        Decimal(MANF_2013[2010]),
        Decimal(MANF[2010]),
        1,
    )
    assert revision.old_vintage == "test vintage"
    assert revision.reason == ObservationRevision.Reason.SOURCE_REVISION
    assert revision.replaced_by_run == run


def test_an_unchanged_rerun_writes_no_row(indicator, run, django_assert_num_queries):
    write(indicator, run, [record(2020, MANF[2020]), record(2021, MANF[2021])])
    indicator.refresh_from_db()
    before = list(Observation.objects.values_list("pk", "value", "version", "updated_at"))
    second = IngestRunFactory(source=indicator.source, indicator=indicator)

    # savepoint, read the indicator, close abandoned runs, geographies, current values, last_success_at, release;
    # PostgreSQL adds the bounded lock wait and the advisory lock.
    with django_assert_num_queries(7 + 2 * (connection.vendor == "postgresql")):
        result = write(indicator, second, [record(2020, MANF[2020]), record(2021, MANF[2021])])

    assert (result.created, result.revised, result.unchanged) == (0, 0, 2)
    assert list(Observation.objects.values_list("pk", "value", "version", "updated_at")) == before
    assert not ObservationRevision.objects.exists()
    data_version = indicator.data_version
    indicator.refresh_from_db()
    assert indicator.data_version == data_version  # page caches stay valid


def test_current_values_are_read_once_per_chunk(indicator, run, settings, django_assert_num_queries):
    settings.INGEST_CHUNK_SIZE = 2
    records = [record(year, MANF[year]) for year in range(2015, 2021)]
    write(indicator, run, records)
    second = IngestRunFactory(source=indicator.source, indicator=indicator)

    with django_assert_num_queries(6 + 3 + 2 * (connection.vendor == "postgresql")):
        result = write(indicator, second, records)

    assert result.unchanged == 6


def test_an_analysts_value_wins_and_the_disagreement_is_recorded_once(indicator, run):
    analyst_value = existing(indicator, 2010, MANF_2013[2010], origin=ANALYST)

    result = write(indicator, run, [record(2010, MANF[2010])])
    write(indicator, IngestRunFactory(source=indicator.source, indicator=indicator), [record(2010, MANF[2010])])

    assert (result.revised, result.skipped) == (0, 1)
    assert result.skipped_reasons() == [{"reason": "an analyst's value is kept", "count": 1, "examples": ["CHN 2010"]}]
    analyst_value.refresh_from_db()
    assert (analyst_value.value, analyst_value.origin, analyst_value.version) == (Decimal(MANF_2013[2010]), ANALYST, 1)
    disagreement = Disagreement.objects.get()
    assert (disagreement.source_value, disagreement.analyst_value, disagreement.run) == (
        Decimal(MANF[2010]),
        Decimal(MANF_2013[2010]),
        run,
    )


def test_a_resolved_disagreement_is_not_raised_again(indicator, run):
    analyst_value = existing(indicator, 2010, MANF_2013[2010], origin=ANALYST)
    write(indicator, run, [record(2010, MANF[2010])])
    Disagreement.objects.update(resolution="kept_analyst", resolved_by=UserFactory(), resolved_at=run.started_at)

    write(indicator, IngestRunFactory(source=indicator.source, indicator=indicator), [record(2010, MANF[2010])])

    assert Disagreement.objects.count() == 1
    analyst_value.refresh_from_db()
    assert analyst_value.value == Decimal(MANF_2013[2010])


def test_an_analyst_value_the_source_agrees_with_is_unchanged(indicator, run):
    existing(indicator, 2010, MANF[2010], origin=ANALYST)

    result = write(indicator, run, [record(2010, MANF[2010])])

    assert result.unchanged == 1
    assert not Disagreement.objects.exists()


def test_a_changed_unit_is_refused_and_nothing_is_written(indicator, run):
    with pytest.raises(PermanentFetchError, match="unit changed: the source states '% of GNI'"):
        write(indicator, run, [record(2020, MANF[2020], unit="% of GDP"), record(2021, MANF[2021], unit="% of GNI")])

    assert not Observation.objects.exists()


def test_a_unit_differing_only_in_spacing_or_case_is_the_same_unit(indicator, run):
    assert write(indicator, run, [record(2021, MANF[2021], unit=" % OF  gdp")]).created == 1


def test_a_failure_mid_batch_leaves_the_previous_data_whole(indicator, run, settings):
    settings.INGEST_CHUNK_SIZE = 2
    kept = existing(indicator, 2010, MANF_2013[2010])

    def records_then_a_dropped_connection():
        yield record(2010, MANF[2010])  # a revision, written with the first chunk
        yield record(2020, MANF[2020])
        yield record(2021, MANF[2021])
        raise RetryableFetchError("connection dropped on page 2")

    with pytest.raises(RetryableFetchError):
        write(indicator, run, records_then_a_dropped_connection())

    assert list(Observation.objects.values_list("pk", "value", "version")) == [(kept.pk, Decimal(MANF_2013[2010]), 1)]
    assert not ObservationRevision.objects.exists()
    indicator.refresh_from_db()
    assert (indicator.data_version, indicator.last_success_at) == (0, None)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (ObservationRecord("CHN", datetime.date(2020, 4, 1), Decimal(MANF[2020]), citation="x"), "frequency"),
        (ObservationRecord("CHN", datetime.date(2020, 1, 1), "n/a", citation="x"), "is not a number"),
        (ObservationRecord("CHN", datetime.date(2020, 1, 1), Decimal("NaN"), citation="x"), "not a finite number"),
        (ObservationRecord("CHN", datetime.date(2020, 1, 1), Decimal("1e20"), citation="x"), "too large"),
        (ObservationRecord("CHN", datetime.date(2020, 1, 1), Decimal(MANF[2020])), "cites no source"),
        ({"geography": "CHN", "value": MANF[2020]}, "not a record"),
    ],
)
def test_invalid_records_fail_the_whole_batch(indicator, run, bad, message):
    with pytest.raises(PermanentFetchError, match=message):
        write(indicator, run, [record(2019, MANF[2019]), bad])

    assert not Observation.objects.exists()


def test_a_figure_given_twice_is_refused(indicator, run):
    with pytest.raises(PermanentFetchError, match="gives this figure twice"):
        write(indicator, run, [record(2021, MANF[2021]), record(2021, MANF[2022])])


def test_skips_are_counted_with_reasons(indicator, run):
    indicator.plausible_min, indicator.plausible_max = Decimal(0), Decimal(32)
    indicator.save()

    result = write(
        indicator,
        run,
        [
            SkippedRecord("the World Bank publishes no value (null)", "CHN 2024"),
            ObservationRecord("ATL", datetime.date(2020, 1, 1), Decimal(MANF[2020]), citation="x"),
            record(2010, MANF_2013[2010]),
            record(2022, MANF[2022]),
        ],
    )

    assert (result.created, result.skipped) == (1, 3)
    assert [reason["reason"] for reason in result.skipped_reasons()] == [
        "the World Bank publishes no value (null)",
        "geography ATL is not in the catalogue",
        "outside the indicator's plausible range; held for review",
    ]


def test_a_snapshot_load_never_overrides_pulled_or_analyst_values(indicator, run):
    pulled = existing(indicator, 2009, MANF[2009], origin=API)
    entered = existing(indicator, 2010, MANF[2010], origin=ANALYST)

    result = write(
        indicator,
        run,
        [record(2009, MANF_2013[2009]), record(2010, MANF_2013[2010]), record(2022, MANF[2022])],
        origin=SNAPSHOT,
    )

    assert (result.created, result.revised, result.skipped) == (1, 0, 2)
    values = dict(Observation.objects.values_list("pk", "value"))
    assert values[pulled.pk] == Decimal(MANF[2009])
    assert values[entered.pk] == Decimal(MANF[2010])
    assert not Disagreement.objects.exists()
    indicator.refresh_from_db()
    assert indicator.last_success_at is None  # a snapshot is not a successful pull
    assert indicator.data_version == 1


def test_a_snapshot_load_revises_its_own_earlier_values(indicator, run):
    bundled = existing(indicator, 2010, MANF_2013[2010], origin=SNAPSHOT)

    assert write(indicator, run, [record(2010, MANF[2010])], origin=SNAPSHOT).revised == 1

    bundled.refresh_from_db()
    assert (bundled.value, bundled.origin, bundled.version) == (Decimal(MANF[2010]), SNAPSHOT, 2)


def test_a_pull_revises_a_snapshot_value(indicator, run):
    bundled = existing(indicator, 2010, MANF_2013[2010], origin=SNAPSHOT)

    assert write(indicator, run, [record(2010, MANF[2010])]).revised == 1

    bundled.refresh_from_db()
    assert (bundled.value, bundled.origin) == (Decimal(MANF[2010]), API)
    assert bundled.revisions.get().old_origin == SNAPSHOT


def test_a_flag_change_alone_updates_the_figure(indicator, run):
    figure = existing(indicator, 2021, MANF[2021])

    assert write(indicator, run, [record(2021, MANF[2021], is_provisional=True)]).revised == 1

    figure.refresh_from_db()
    assert (figure.is_provisional, figure.version) == (True, 2)


def test_runs_left_running_by_a_dead_worker_are_closed(indicator, run):
    dead = IngestRunFactory(source=indicator.source, indicator=indicator)

    write(indicator, run, [record(2021, MANF[2021])])

    dead.refresh_from_db()
    assert dead.outcome == IngestRun.Outcome.FAILED
    assert dead.error.startswith("Abandoned")
    run.refresh_from_db()
    assert run.outcome == IngestRun.Outcome.RUNNING  # the service closes its own run


def test_the_writer_does_not_write_analysts_values(indicator, run):
    with pytest.raises(ValueError, match="not 'analyst'"):
        write(indicator, run, [record(2021, MANF[2021])], origin=ANALYST)


def test_a_figure_stored_by_someone_else_during_the_batch_is_refused_by_the_constraint(indicator, run):
    figure = existing(indicator, 2021, MANF[2021])
    row = (indicator.pk, figure.geography_id, figure.period, Decimal(MANF[2021]), False, False, False, "", 1)
    row += (API, run.pk, "World Bank WDI", "", 0, run.started_at, run.started_at, "published", "", "", None, None)

    with pytest.raises(IntegrityError), transaction.atomic():
        observation_writes.observations_insert([row])


def test_a_constraint_violation_in_a_batch_is_retried(indicator, run, monkeypatch):
    def collide(*args):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(writer, "_write_batch", collide)

    with pytest.raises(RetryableFetchError, match="stored by someone else during the batch"):
        write(indicator, run, [record(2021, MANF[2021])])


def test_an_analyst_edit_between_compare_and_lock_is_respected(indicator, run, monkeypatch):
    figure = existing(indicator, 2010, MANF_2013[2010])
    revise = writer._Batch._revise

    def analyst_edits_first(batch, to_revise, conflicts):
        Observation.objects.filter(pk=figure.pk).update(origin=ANALYST, value=Decimal(MANF_2013[2010]), version=2)
        return revise(batch, to_revise, conflicts)

    monkeypatch.setattr(writer._Batch, "_revise", analyst_edits_first)

    result = write(indicator, run, [record(2010, MANF[2010])])

    assert (result.revised, result.skipped) == (0, 1)
    figure.refresh_from_db()
    assert (figure.origin, figure.value, figure.version) == (ANALYST, Decimal(MANF_2013[2010]), 2)
    assert Disagreement.objects.get().source_value == Decimal(MANF[2010])
