"""The one observation write core: what a value may be, what "unchanged" means, and its writers agreeing on both."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from indicators.ingestion.records import ObservationRecord
from indicators.ingestion.writer import write_observations
from indicators.models import Observation, ObservationRevision
from indicators.services.observation_writes import (
    Figure,
    ValueRefused,
    figure_apply,
    figure_unchanged,
    source_value_reader,
    value_parse,
)
from indicators.services.observations import Outcome, observation_record, observation_revert
from indicators.services.review import observation_reject
from indicators.services.uploads import RowStatus, observations_upload_preview
from tests.entry import conftest as entry_fixtures
from tests.factories import IndicatorFactory, IngestRunFactory, ObservationFactory

# The analyst-entered indicator, its figure and the users who work on it, shared with tests/entry.
china = entry_fixtures.china
entered_indicator = entry_fixtures.entered_indicator
entered_observation = entry_fixtures.entered_observation
analyst = entry_fixtures.analyst
admin_user = entry_fixtures.admin_user
ANALYST, API, SNAPSHOT = Observation.Origin.ANALYST, Observation.Origin.API, Observation.Origin.SNAPSHOT
CITATION = "https://example.org/list-2022"


def stored(**fields) -> Observation:
    """An unsaved analyst figure: figure_unchanged reads only its columns."""
    defaults = {"value": Decimal("1200"), "citation": CITATION, "note": "", "origin": ANALYST}
    return Observation(**{**defaults, **fields})


def analyst_figure(**fields) -> Figure:
    return Figure(**{"value": Decimal("1200"), "citation": CITATION, "origin": ANALYST, **fields})


@pytest.mark.parametrize(
    ("row", "figure", "unchanged"),
    [
        (stored(), analyst_figure(), True),
        (stored(), analyst_figure(value=Decimal("1201")), False),
        (stored(), analyst_figure(is_provisional=True), False),  # a flag alone is a change
        (stored(is_break=True), analyst_figure(), False),
        (stored(), analyst_figure(citation="https://example.org/list-2022b"), False),
        (stored(), analyst_figure(note="from the yearbook"), False),
        (stored(origin=API), analyst_figure(), False),  # the analyst takes the figure over
        (stored(review_state=Observation.ReviewState.REJECTED), analyst_figure(), False),  # submitted again
        (stored(withdrawn_by_source_at=timezone.now()), analyst_figure(), False),  # current again
        (stored(), analyst_figure(vintage="2023 edition"), True),  # when it was retrieved is no part of it
        (stored(origin=SNAPSHOT, citation="a republished copy"), analyst_figure(origin=API), True),
        (stored(origin=API, note="obs_status F"), analyst_figure(origin=API), True),
        (stored(origin=API), analyst_figure(origin=API, is_estimated=True), False),
        (stored(), analyst_figure(origin=API), False),  # a source's figure over an analyst's is never a no-op
    ],
)
def test_one_definition_of_unchanged(row, figure, unchanged):
    assert figure_unchanged(row, figure) is unchanged


def test_a_figure_applied_keeps_what_it_replaces_in_its_revision():
    row = stored(pk=7, version=3, revision_count=2, vintage="old", is_provisional=True)
    now = timezone.now()

    revision = figure_apply(
        row, analyst_figure(value=Decimal("1250")), reason=ObservationRevision.Reason.ANALYST_CORRECTION, now=now
    )

    assert (revision.old_value, revision.new_value, revision.old_version, revision.old_is_provisional) == (
        Decimal("1200"),
        Decimal("1250"),
        3,
        True,
    )
    assert (row.value, row.version, row.revision_count, row.is_provisional, row.updated_at) == (
        Decimal("1250"),
        4,
        3,
        False,
        now,
    )


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("n/a", "is not a number"),
        (Decimal("NaN"), "is not a finite number"),
        (Decimal("1e18"), "too large"),
        (True, "not a number"),
    ],
)
def test_a_value_the_column_cannot_hold_is_refused_with_its_reason(raw, reason):
    with pytest.raises(ValueRefused, match=reason):
        source_value_reader()(raw)
    with pytest.raises(ValidationError):
        value_parse(raw if not isinstance(raw, bool) else "true")


@pytest.mark.django_db
def test_a_source_figure_is_rounded_to_the_column_and_a_typed_one_is_refused_instead():
    value_from_source = source_value_reader()
    assert value_from_source(Decimal("1.00000049")) == Decimal("1.000000")
    with pytest.raises(ValidationError, match="6 decimal places"):
        value_parse("1.00000049")
    expected = Decimal("17734062645371.4") if connection.vendor == "sqlite" else Decimal("17734062645371.396")
    assert value_from_source(Decimal("17734062645371.396")) == expected


@pytest.mark.django_db
def test_an_upload_repeating_a_rejected_figure_submits_it_again(entered_observation, entered_indicator, admin_user):
    """The single edit always treated a rejected figure as changed; the upload preview called it unchanged."""
    Observation.objects.filter(pk=entered_observation.pk).update(review_state=Observation.ReviewState.PENDING)
    observation_reject(observation_id=entered_observation.pk, user=admin_user, reason="the list was a draft")

    preview = observations_upload_preview(
        indicator=entered_indicator,
        rows=[{"geography": "CHN", "period": "2022", "value": "1200", "citation": CITATION, "note": ""}],
    )

    assert [row.status for row in preview.rows] == [RowStatus.CHANGED]


@pytest.mark.django_db
def test_an_analyst_saving_a_figure_the_source_withdrew_makes_it_current_again(
    entered_indicator, entered_observation, analyst
):
    Observation.objects.filter(pk=entered_observation.pk).update(withdrawn_by_source_at=timezone.now())

    result = observation_record(
        indicator=entered_indicator,
        geography=entered_observation.geography,
        period=entered_observation.period,
        value=Decimal("1200"),
        citation=CITATION,
        user=analyst,
        expected_version=1,
    )

    assert result.outcome == Outcome.CORRECTED
    entered_observation.refresh_from_db()
    assert (entered_observation.withdrawn_by_source_at, entered_observation.version) == (None, 2)


@pytest.mark.django_db
def test_a_pull_that_agrees_with_the_snapshot_rewrites_nothing_and_a_flag_change_is_reverted_whole(china, admin_user):
    indicator = IndicatorFactory()
    indicator.geographies.add(china)
    bundled = ObservationFactory(
        indicator=indicator,
        geography=china,
        period=datetime.date(2021, 1, 1),
        value=Decimal("26.97012"),
        origin=SNAPSHOT,
        citation="A republished copy of WDI",
    )
    run = IngestRunFactory(source=indicator.source, indicator=indicator)

    def pull(**flags):
        record = ObservationRecord("CHN", bundled.period, Decimal("26.97012"), citation="World Bank WDI", **flags)
        return write_observations(indicator=indicator, records=[record], run=run, origin=API)

    assert (pull().unchanged, ObservationRevision.objects.count()) == (1, 0)
    assert pull(is_provisional=True).revised == 1

    revision = ObservationRevision.objects.get()
    observation_revert(revision=revision, user=admin_user, expected_version=2)  # the value never moved: flags did

    bundled.refresh_from_db()
    assert (bundled.is_provisional, bundled.origin, bundled.citation, bundled.version) == (
        False,
        SNAPSHOT,
        "A republished copy of WDI",
        3,
    )
