"""Reads for the public API: the statuses a page of commitments or indicators needs, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from indicators import progress
from indicators.models import Indicator, Observation, Source, Target
from indicators.selectors import IndicatorSummary, commitments_with_indicator_links, indicator_summaries_get
from tasks.models import Commitment, ProgressStatus, Task


@dataclass(frozen=True)
class TraceStep:
    """One indicator's part in a commitment's computed status: what it was measured against and why."""

    indicator: str
    status: str
    method: str
    reason: str
    actual_rate: float | None
    required_rate: float | None
    basis: str
    target_year: int | None


@dataclass(frozen=True)
class CommitmentStatus:
    computed_status: str
    trace: tuple[TraceStep, ...]


def task_list() -> QuerySet[Task]:
    return Task.objects.order_by("number")


def commitment_list() -> QuerySet[Commitment]:
    return commitments_with_indicator_links()


def commitment_statuses(*, commitments: list[Commitment]) -> dict[int, CommitmentStatus]:
    """Each commitment's computed status and the indicators' assessments behind it (one or two queries)."""
    indicators = {link.indicator_id: link.indicator for c in commitments for link in c.indicator_links.all()}
    summaries = indicator_summaries_get(indicators=list(indicators.values()))
    statuses = {}
    for commitment in commitments:
        steps = tuple(
            _trace_step(link.indicator.code, summaries[link.indicator_id]) for link in commitment.indicator_links.all()
        )
        computed = (
            progress.commitment_status([step.status for step in steps])
            if steps
            else ProgressStatus.NOT_ASSESSABLE.value
        )
        statuses[commitment.pk] = CommitmentStatus(computed_status=computed, trace=steps)
    return statuses


def _trace_step(code: str, summary: IndicatorSummary) -> TraceStep:
    assessment = summary.assessment
    return TraceStep(
        indicator=code,
        status=assessment.status,
        method=assessment.method,
        reason=assessment.reason,
        actual_rate=assessment.actual_rate,
        required_rate=assessment.required_rate,
        basis=assessment.basis,
        target_year=assessment.target_year,
    )


def indicator_list() -> QuerySet[Indicator]:
    return Indicator.objects.select_related("source").order_by("code")


def indicator_summaries(*, indicators: list[Indicator]) -> dict[int, IndicatorSummary]:
    return indicator_summaries_get(indicators=indicators)


def observation_list(*, indicator: Indicator) -> QuerySet[Observation]:
    """The indicator's current figures (a ChartFilters narrows them to the published ones asked for)."""
    return (
        Observation.objects.public()
        .filter(indicator=indicator)
        .select_related("geography")
        .order_by("geography__position", "geography__code", "period")
    )


def target_list() -> QuerySet[Target]:
    return Target.objects.select_related("indicator", "geography").order_by("indicator__code", "target_year", "pk")


def source_list() -> QuerySet[Source]:
    return Source.objects.order_by("key")
