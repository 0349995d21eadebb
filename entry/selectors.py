"""Reads the analyst workspace shares. Each runs a fixed number of queries, whatever the data's size."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max, OuterRef, Prefetch, QuerySet, Subquery

from accounts.services import user_can_enter_on
from indicators.models import Disagreement, Indicator, Observation, ObservationRevision
from indicators.periods import Freshness, format_period, freshness, next_due
from tasks.models import Assessment, Commitment

RECENT_OBSERVATIONS = 40


@dataclass(frozen=True)
class WorkspaceRow:
    indicator: Indicator
    latest_period_label: str
    latest_value: Decimal | None
    latest_geography: str
    next_due: datetime.date | None
    freshness: Freshness

    @property
    def overdue(self) -> bool:
        return self.freshness in (Freshness.NO_DATA, Freshness.DUE, Freshness.STALE)


def workspace_indicators(*, user, today: datetime.date) -> list[WorkspaceRow]:
    """The indicators this user may enter, overdue first (longest overdue on top), in one query."""
    latest = Observation.objects.filter(indicator=OuterRef("pk")).order_by("-period", "geography__position")
    indicators = (
        Indicator.objects.select_related("source")
        .annotate(
            latest_period=Max("observations__period"),
            latest_value=Subquery(latest.values("value")[:1]),
            latest_geography=Subquery(latest.values("geography__name_en")[:1]),
        )
        .order_by("code")
    )
    rows = []
    for indicator in indicators:
        if not user_can_enter_on(user, indicator):
            continue
        due = None
        if indicator.latest_period is not None:
            due = next_due(
                latest_period=indicator.latest_period,
                frequency=indicator.frequency,
                release_lag_days=indicator.release_lag_days,
            )
        rows.append(
            WorkspaceRow(
                indicator=indicator,
                latest_period_label=format_period(indicator.latest_period, indicator.frequency)
                if indicator.latest_period
                else "",
                latest_value=indicator.latest_value,
                latest_geography=indicator.latest_geography or "",
                next_due=due,
                freshness=freshness(
                    latest_period=indicator.latest_period,
                    frequency=indicator.frequency,
                    release_lag_days=indicator.release_lag_days,
                    today=today,
                ),
            )
        )
    rows.sort(key=lambda row: (not row.overdue, row.next_due or datetime.date.min, row.indicator.code))
    return rows


def indicator_recent_observations(*, indicator: Indicator) -> QuerySet[Observation]:
    return (
        Observation.objects.filter(indicator=indicator)
        .select_related("geography")
        .order_by("-period", "geography__position")[:RECENT_OBSERVATIONS]
    )


def observation_with_history(*, pk: int) -> Observation:
    """One observation with its indicator, geography, the people of its review and withdrawal, and every value it
    replaced, newest first: the same queries whatever state the figure is in."""
    revisions = ObservationRevision.objects.select_related("replaced_by_user", "replaced_by_run").order_by(
        "-replaced_at", "-id"
    )
    people = (
        "reviewed_by",
        "withdrawal_proposed_by",
        "withdrawal_approved_by",
        "withdrawal_declined_by",
        "restored_by",
    )
    return (
        Observation.objects.select_related("indicator", "geography", "entered_by", *people)
        .prefetch_related(Prefetch("revisions", queryset=revisions))
        .get(pk=pk)
    )


def disagreements_open() -> QuerySet[Disagreement]:
    return disagreements_with_observation().filter(resolved_at__isnull=True).order_by("-recorded_at")


def commitments_with_latest_assessment() -> QuerySet[Commitment]:
    latest = Assessment.objects.filter(commitment=OuterRef("pk")).order_by("-assessed_on", "-created_at")
    return Commitment.objects.select_related("task").annotate(
        latest_status=Subquery(latest.values("status")[:1]),
        latest_assessed_on=Subquery(latest.values("assessed_on")[:1]),
    )


def commitment_assessments(*, commitment: Commitment) -> QuerySet[Assessment]:
    return commitment.assessments.select_related("assessed_by").order_by("-assessed_on", "-created_at")


def disagreements_with_observation() -> QuerySet[Disagreement]:
    return Disagreement.objects.select_related("observation__indicator", "observation__geography", "run__source")
