"""What changed in the tracker, newest first: new figures, revisions, assessments, targets and early warnings.

Read for the feeds (`indicators/feeds.py`) and the /changes/ page, for the whole site, one task or one
indicator, in a fixed number of queries however much changed (five, and three more when monthly or
quarterly indicators are in scope, for their early warnings). New figures are grouped: one entry per refresh run, and
one per indicator and day for figures entered without a run (analysts, the snapshot), so a first load of
thousands of figures is a few entries, not thousands.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, Q
from django.db.models.functions import TruncDate
from django.urls import reverse

from indicators import periods, warnings
from indicators.models import CommitmentIndicator, Indicator, IngestRun, Observation, ObservationRevision, Target
from indicators.selectors import early_warnings_get
from tasks.models import Assessment

KINDS = ("figures", "revision", "assessment", "target", "warning")
FEED_LENGTH = 50


@dataclass(frozen=True)
class Scope:
    """The part of the tracker a list of changes covers: everything, one task or one indicator."""

    task: int | None = None
    indicator: str = ""
    kind: str = ""

    def indicator_filter(self, prefix: str = "indicator__") -> Q:
        """The scope's indicators, reached through `prefix` ("" for the Indicator model itself)."""
        if self.indicator:
            return Q(**{f"{prefix}code": self.indicator})
        if self.task:
            linked = CommitmentIndicator.objects.filter(commitment__task__number=self.task).values("indicator_id")
            return Q(**{f"{prefix}pk__in": linked})
        return Q()

    def commitment_filter(self) -> Q:
        if self.indicator:
            return Q(commitment__indicator_links__indicator__code=self.indicator)
        if self.task:
            return Q(commitment__task__number=self.task)
        return Q()

    def wants(self, kind: str) -> bool:
        return not self.kind or self.kind == kind


@dataclass(frozen=True)
class Change:
    kind: str
    guid: str
    when: datetime.datetime
    title: str
    description: str
    link: str


def _indicator_link(code: str) -> str:
    return reverse("indicators:detail", args=[code])


def _run_changes(scope: Scope, limit: int) -> list[Change]:
    runs = (
        IngestRun.objects.filter(scope.indicator_filter(), rows_created__gt=0, finished_at__isnull=False)
        .select_related("indicator", "source")
        .order_by("-finished_at")[:limit]
    )
    return [
        Change(
            kind="figures",
            guid=f"run-{run.pk}",
            when=run.finished_at,
            title=f"{run.indicator.name_en}: {run.rows_created} new figure(s)",
            description=f"A refresh from {run.source.name} added {run.rows_created} figure(s) "
            f"and revised {run.rows_revised}.",
            link=_indicator_link(run.indicator.code),
        )
        for run in runs
    ]


def _entered_changes(scope: Scope, limit: int) -> list[Change]:
    groups = (
        Observation.objects.public()
        .filter(scope.indicator_filter(), ingest_run__isnull=True)
        .annotate(day=TruncDate("created_at"))
        .values("indicator__code", "indicator__name_en", "day")
        .annotate(count=Count("pk"), latest=Max("created_at"), last_period=Max("period"))
        .order_by("-latest")[:limit]
    )
    return [
        Change(
            kind="figures",
            guid=f"entered-{group['indicator__code']}-{group['day']}",
            when=group["latest"],
            title=f"{group['indicator__name_en']}: {group['count']} new figure(s)",
            description=f"{group['count']} figure(s) entered from a publication, the latest for "
            f"{group['last_period']:%Y-%m}.",
            link=_indicator_link(group["indicator__code"]),
        )
        for group in groups
    ]


def _revision_changes(scope: Scope, limit: int) -> list[Change]:
    revisions = (
        ObservationRevision.objects.filter(
            scope.indicator_filter("observation__indicator__"), observation__in=Observation.objects.public()
        )
        .select_related("observation__indicator", "observation__geography")
        .order_by("-replaced_at", "-pk")[:limit]
    )
    changes = []
    for revision in revisions:
        observation = revision.observation
        indicator = observation.indicator
        period = periods.format_period(observation.period, indicator.frequency)
        changes.append(
            Change(
                kind="revision",
                guid=f"revision-{revision.pk}",
                when=revision.replaced_at,
                title=f"{indicator.name_en}, {observation.geography.name_en} {period}: "
                f"{format(revision.old_value.normalize(), 'f')} → {format(revision.new_value.normalize(), 'f')}",
                description=f"{revision.get_reason_display()}. {indicator.unit}.",
                link=_indicator_link(indicator.code),
            )
        )
    return changes


def _assessment_changes(scope: Scope, limit: int) -> list[Change]:
    assessments = (
        Assessment.objects.filter(scope.commitment_filter())
        .select_related("commitment__task")
        .order_by("-created_at", "-pk")
        .distinct()[:limit]
    )
    return [
        Change(
            kind="assessment",
            guid=f"assessment-{assessment.pk}",
            when=assessment.created_at,
            title=f"{assessment.commitment.code} {assessment.commitment.title_en}: {assessment.get_status_display()}",
            description=assessment.note,
            link=reverse("dashboard:detail", args=[assessment.commitment.task.number])
            + f"#commitment-{assessment.commitment.code}",
        )
        for assessment in assessments
    ]


def _target_changes(scope: Scope, limit: int) -> list[Change]:
    added = (
        Target.history.filter(scope.indicator_filter(), history_type="+")
        .select_related("indicator")
        .order_by("-history_date")[:limit]
    )
    return [
        Change(
            kind="target",
            guid=f"target-{target.id}",
            when=target.history_date,
            title=f"{target.indicator.name_en}: a target for {target.target_year}",
            description=f"{target.document_title} ({target.document_issuer}): {target.clause_quote}",
            link=_indicator_link(target.indicator.code),
        )
        for target in added
    ]


def _warning_changes(scope: Scope, limit: int) -> list[Change]:
    watched = Indicator.objects.filter(scope.indicator_filter(""), frequency__in=warnings.FREQUENCIES)
    found = early_warnings_get(indicators=list(watched))
    return [
        Change(
            kind="warning",
            guid=f"warning-{item.indicator.code}-{item.warning.rule}-{item.warning.figures[-1].period:%Y-%m}",
            when=item.recorded_at,
            title=f"Early warning: {item.indicator.name_en}",
            description=f"{item.warning.rule}: {item.warning.message}",
            link=_indicator_link(item.indicator.code),
        )
        for item in found
    ][:limit]


def changes_get(*, scope: Scope, limit: int = FEED_LENGTH) -> list[Change]:
    """The newest `limit` changes in the scope, newest first."""
    readers = {
        "figures": (_run_changes, _entered_changes),
        "revision": (_revision_changes,),
        "assessment": (_assessment_changes,),
        "target": (_target_changes,),
        "warning": (_warning_changes,),
    }
    found = [
        change
        for kind, kind_readers in readers.items()
        if scope.wants(kind)
        for reader in kind_readers
        for change in reader(scope, limit)
    ]
    return sorted(found, key=lambda change: change.when, reverse=True)[:limit]
