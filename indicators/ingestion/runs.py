"""IngestRun bookkeeping: opened before a batch and closed after it, each in its own short transaction.

A failed batch rolls back, but its run record stays, with a readable reason.
"""

from django.utils import timezone

from indicators.models import IngestRun

ABANDONED = (
    "Abandoned: the worker stopped before this run finished (killed or timed out). Its batch was rolled back, "
    "so no partial data was written; a later run took over."
)

# A job whose worker dies every time (acks late, re-delivered) would otherwise run forever.
POISON_THRESHOLD = 3


def open_run(*, source, indicator, trigger: str, attempt: int = 1) -> IngestRun:
    return IngestRun.objects.create(source=source, indicator=indicator, trigger=trigger, attempt=attempt)


def close_abandoned(*, indicator_id: int, current_run: IngestRun) -> int:
    """Mark runs for this indicator still 'running' as failed: whoever held the indicator's lock is gone."""
    return (
        IngestRun.objects.filter(indicator_id=indicator_id, outcome=IngestRun.Outcome.RUNNING)
        .exclude(pk=current_run.pk)
        .update(outcome=IngestRun.Outcome.FAILED, finished_at=timezone.now(), error=ABANDONED)
    )


def died_repeatedly(*, indicator_id: int, before: IngestRun) -> bool:
    """Whether the indicator's latest runs before this one were all abandoned by a dying worker."""
    latest = IngestRun.objects.filter(indicator_id=indicator_id, pk__lt=before.pk).order_by("-pk")
    errors = list(latest.exclude(outcome=IngestRun.Outcome.RUNNING).values_list("error", flat=True)[:POISON_THRESHOLD])
    return len(errors) == POISON_THRESHOLD and all(error == ABANDONED for error in errors)


def succeed(run: IngestRun, result) -> IngestRun:
    run.outcome = IngestRun.Outcome.SUCCESS
    run.rows_created = result.created
    run.rows_revised = result.revised
    run.rows_unchanged = result.unchanged
    run.rows_skipped = result.skipped
    run.skipped_reasons = result.skipped_reasons()
    run.finished_at = timezone.now()
    run.save(
        update_fields=[
            "outcome",
            "rows_created",
            "rows_revised",
            "rows_unchanged",
            "rows_skipped",
            "skipped_reasons",
            "finished_at",
        ]
    )
    return run


def fail(run: IngestRun, error: str) -> IngestRun:
    run.outcome = IngestRun.Outcome.FAILED
    run.error = error
    run.finished_at = timezone.now()
    run.save(update_fields=["outcome", "error", "finished_at"])
    return run
