"""What changed in the tracker, newest first: new figures, revisions, assessments, commitments' status changes,
targets and early warnings.

Read for the feeds (`indicators/feeds.py`) and the /changes/ page, for the whole site, one task or one
indicator, in a fixed number of queries however much changed (five, and three more when monthly or
quarterly indicators are in scope, for their early warnings; assessments and status changes share one).
New figures are grouped: one entry per refresh run, and one per indicator and day for figures entered
without a run (analysts, the snapshot), so a first load of thousands of figures is a few entries, not thousands.
A commitment's status change is listed from its second record on: its first is the baseline.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Max, Q, QuerySet, Value
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from indicators import periods, warnings
from indicators.models import (
    CommitmentIndicator,
    CommitmentStatusChange,
    Indicator,
    IngestRun,
    Observation,
    ObservationRevision,
    Target,
)
from indicators.summaries import early_warnings_get
from tasks.models import Assessment, ProgressStatus

KINDS = ("figures", "revision", "assessment", "status", "target", "warning")
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


# What assessments and status changes are both read as, in this order, so that one UNION reads both.
COMMITMENT_COLUMNS = (
    *("kind", "entry_id", "when", "code", "title_en", "title_zh", "task_number", "status", "status_from"),
    *("text_en", "text_zh", "indicator_code", "indicator_name_en", "indicator_name_zh"),
)


def _commitment_rows(rows: QuerySet, kind: str, **columns) -> QuerySet:
    """The rows as COMMITMENT_COLUMNS, in order, "" where a row has none; prefixed apart from field names.

    The entry's id and its commitment's code, titles and task are read alike from both models.
    """
    shared = {
        "kind": Value(kind),
        "entry_id": F("pk"),
        "code": F("commitment__code"),
        "title_en": F("commitment__title_en"),
        "title_zh": F("commitment__title_zh"),
        "task_number": F("commitment__task__number"),
    }
    columns = shared | columns
    return rows.order_by().values(**{f"row_{name}": columns.get(name, Value("")) for name in COMMITMENT_COLUMNS})


def _assessment_rows(scope: Scope) -> QuerySet:
    assessments = Assessment.objects.filter(scope.commitment_filter())
    return _commitment_rows(
        assessments, "assessment", when=F("created_at"), status=F("status"), text_en=F("note"), text_zh=F("note")
    )


def _status_rows(scope: Scope) -> QuerySet:
    """Computed status changes, the commitments' baselines (no status before) left out."""
    changes = CommitmentStatusChange.objects.filter(scope.commitment_filter()).exclude(status_from="")
    return _commitment_rows(
        changes,
        "status",
        when=F("recorded_at"),
        status=F("status_to"),
        status_from=F("status_from"),
        text_en=F("reason_en"),
        text_zh=F("reason_zh"),
        indicator_code=F("deciding_indicator__code"),
        indicator_name_en=F("deciding_indicator__name_en"),
        indicator_name_zh=F("deciding_indicator__name_zh"),
    )


def _commitment_changes(scope: Scope, limit: int) -> list[Change]:
    """Analysts' assessments and computed status changes, what happened to commitments, read in one query."""
    parts = [
        rows(scope) for kind, rows in (("assessment", _assessment_rows), ("status", _status_rows)) if scope.wants(kind)
    ]
    rows = parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0].distinct()
    found = rows.order_by("-row_when", "-row_entry_id")[:limit]
    rows = [{name.removeprefix("row_"): value for name, value in row.items()} for row in found]
    return [_assessment_change(row) if row["kind"] == "assessment" else _status_change(row) for row in rows]


def _commitment_link(row: dict) -> str:
    return reverse("dashboard:detail", args=[row["task_number"]]) + f"#commitment-{row['code']}"


def _assessment_change(row: dict) -> Change:
    return Change(
        kind="assessment",
        guid=f"assessment-{row['entry_id']}",
        when=row["when"],
        title=f"{row['code']} {row['title_en']}: {ProgressStatus(row['status']).label}",
        description=row["text_en"],
        link=_commitment_link(row),
    )


def _localized(row: dict, name: str) -> str:
    """The Chinese text for Chinese readers when there is one, else the English (as `bilingual.localized`)."""
    chinese = (translation.get_language() or "").startswith("zh")
    return (chinese and row[f"{name}_zh"]) or row[f"{name}_en"]


def _status_change(row: dict) -> Change:
    """A commitment's computed status moved: from what to what, and the indicator whose assessment moved it."""
    title = _("Commitment %(code)s %(title)s: %(old)s → %(new)s") % {
        "code": row["code"],
        "title": _localized(row, "title"),
        "old": ProgressStatus(row["status_from"]).label,
        "new": ProgressStatus(row["status"]).label,
    }
    reason = _localized(row, "text")
    if row["indicator_code"]:
        reason = _("Decided by %(name)s (%(code)s): %(reason)s") % {
            "name": _localized(row, "indicator_name"),
            "code": row["indicator_code"],
            "reason": reason,
        }
    return Change(
        kind="status",
        guid=f"status-{row['entry_id']}",
        when=row["when"],
        title=title,
        description=reason,
        link=_commitment_link(row),
    )


def _target_changes(scope: Scope, limit: int) -> list[Change]:
    added = (
        Target.history.filter(scope.indicator_filter(), history_type="+")
        .select_related("indicator")
        .order_by("-history_date")[:limit]
    )
    return [_target_change(target) for target in added]


def _target_change(target) -> Change:
    """A target was added (`target` is its history record), quoting the clause that sets it."""
    indicator = target.indicator
    return Change(
        kind="target",
        guid=f"target-{target.id}",
        when=target.history_date,
        title=f"{indicator.name_en}: a target for {target.target_year}",
        description=f"{target.document_title} ({target.document_issuer}): {target.clause_quote}",
        link=_indicator_link(indicator.code),
    )


def _warning_changes(scope: Scope, limit: int) -> list[Change]:
    watched = Indicator.objects.filter(scope.indicator_filter(""), frequency__in=warnings.FREQUENCIES)
    found = early_warnings_get(indicators=list(watched))
    return [_warning_change(item) for item in found][:limit]


def _warning_guid(item) -> str:
    """A warning is one entry per indicator, rule and latest period the rule flags: a later flagged period is news."""
    return f"warning-{item.indicator.code}-{item.warning.rule}-{item.warning.figures[-1].period:%Y-%m}"


def _warning_change(item) -> Change:
    return Change(
        kind="warning",
        guid=_warning_guid(item),
        when=item.recorded_at,
        title=f"Early warning: {item.indicator.name_en}",
        description=f"{item.warning.rule}: {item.warning.message}",
        link=_indicator_link(item.indicator.code),
    )


# Each reader and the kinds of change it reads.
READERS = (
    (("figures",), _run_changes),
    (("figures",), _entered_changes),
    (("revision",), _revision_changes),
    (("assessment", "status"), _commitment_changes),
    (("target",), _target_changes),
    (("warning",), _warning_changes),
)


def changes_get(*, scope: Scope, limit: int = FEED_LENGTH) -> list[Change]:
    """The newest `limit` changes in the scope, newest first."""
    found = [
        change
        for kinds, reader in READERS
        if any(scope.wants(kind) for kind in kinds)
        for change in reader(scope, limit)
    ]
    return sorted(found, key=lambda change: change.when, reverse=True)[:limit]
