"""Commitments' computed statuses over time: one row each time published data moves a commitment's status.

The status is the one the pages show: each linked indicator's assessment on its published home series, the least
favourable of them deciding (`progress.commitment_status`). A commitment's first assessable status is its
baseline (a row with no `status_from`), which the feed leaves out: so neither the first run on a tracker full of
data nor the first data on an empty one (catalog, then snapshot) lists every commitment. From then on every move
is recorded, to "cannot be assessed yet" and back included. Run by the `record_commitment_statuses` job after
every change to published data; a run with nothing changed writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils import translation
from django.utils.translation import gettext_lazy

from indicators.models import CommitmentIndicator, CommitmentStatusChange
from indicators.summaries import commitment_statuses
from tasks.models import Commitment, ProgressStatus

ENGLISH, CHINESE = "en", "zh-hans"
NO_INDICATOR = gettext_lazy("No indicator measures this commitment.")


@dataclass(frozen=True)
class ComputedStatus:
    """A commitment's computed status, the indicator that decided it ("" when none measures it) and why."""

    status: str
    deciding: str  # the indicator's code
    reason: str


@transaction.atomic
def commitment_status_changes_record() -> list[CommitmentStatusChange]:
    """Record each commitment whose computed status differs from its latest record, in a fixed number of queries.

    The commitments are locked first, so two runs at once cannot both record the same change; the latest
    statuses are read after the lock, so the second run sees what the first one wrote.
    """
    commitments = _commitments_locked()
    recorded = _latest_statuses()
    with translation.override(ENGLISH):
        computed = _computed_statuses(commitments)
    changed = [commitment for commitment in commitments if _moved(recorded.get(commitment.pk), computed[commitment.pk])]
    with translation.override(CHINESE):
        in_chinese = _computed_statuses(changed)
    indicators = {link.indicator.code: link.indicator for c in changed for link in c.indicator_links.all()}
    return CommitmentStatusChange.objects.bulk_create(
        CommitmentStatusChange(
            commitment=commitment,
            status_from=recorded.get(commitment.pk, ""),
            status_to=computed[commitment.pk].status,
            deciding_indicator=indicators.get(computed[commitment.pk].deciding),
            reason_en=computed[commitment.pk].reason,
            reason_zh=in_chinese[commitment.pk].reason,
        )
        for commitment in changed
    )


def _moved(recorded: str | None, computed: ComputedStatus) -> bool:
    """Whether to record the computed status: it differs from the last record, or it is the first assessable one."""
    if recorded is None:
        return computed.status != ProgressStatus.NOT_ASSESSABLE
    return recorded != computed.status


def _commitments_locked() -> list[Commitment]:
    """Every commitment, locked until the transaction ends, with its indicator links in code order."""
    links = CommitmentIndicator.objects.select_related("indicator").order_by("indicator__code")
    return list(
        Commitment.objects.select_for_update()
        .order_by("pk")
        .prefetch_related(Prefetch("indicator_links", queryset=links))
    )


def _latest_statuses() -> dict[int, str]:
    """Each recorded commitment's latest status, in one query."""
    latest = CommitmentStatusChange.objects.values("commitment").annotate(latest=Max("pk")).values("latest")
    return dict(CommitmentStatusChange.objects.filter(pk__in=latest).values_list("commitment_id", "status_to"))


def _computed_statuses(commitments: list[Commitment]) -> dict[int, ComputedStatus]:
    """The status the pages compute for each commitment (one or two queries), and the indicator that decides it.

    Of the indicators with the least favourable status, the first by code decides.
    """
    computed = {}
    for pk, status in commitment_statuses(commitments=commitments).items():
        deciding = next((step for step in status.trace if step.status == status.computed_status), None)
        computed[pk] = ComputedStatus(
            status=status.computed_status,
            deciding=deciding.indicator if deciding else "",
            reason=deciding.reason if deciding else str(NO_INDICATOR),
        )
    return computed
