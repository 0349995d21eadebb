"""IngestRun bookkeeping: opened before a batch and closed after it, each in its own short transaction.

A failed batch rolls back, but its run record stays, with a readable reason. A run left 'running' is abandoned
only when the process that ran it is gone; a run still waiting for the indicator's lock is alive.
"""

import datetime
import os
import socket
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.db.models import BooleanField, Expression, F, Func
from django.db.models.expressions import RawSQL
from django.utils import timezone

from indicators.models import IngestRun

ABANDONED = (
    "Abandoned: the worker stopped before this run finished (killed or timed out). Its batch was rolled back, "
    "so no partial data was written; a later run took over."
)

# A job whose worker dies every time (acks late, re-delivered) would otherwise run forever.
POISON_THRESHOLD = 3
# First key of the session advisory lock a run holds while its process lives (PostgreSQL); the second is its id.
_ALIVE_NAMESPACE = 7302
_MAX_FETCHED_URLS = 50
# Closing a run after a lost connection: tries 1 s, 2 s and 4 s apart, enough for a PostgreSQL restart.
_RECORD_ATTEMPTS = 4


def this_worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def open_run(*, source, indicator, trigger: str, attempt: int = 1) -> IngestRun:
    """Record the run, with its process, and on PostgreSQL hold a lock that dies with that process."""
    run = IngestRun.objects.create(
        source=source, indicator=indicator, trigger=trigger, attempt=attempt, worker=this_worker()
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [_ALIVE_NAMESPACE, run.pk])
    return run


def _release(run: IngestRun) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [_ALIVE_NAMESPACE, run.pk])


def _process_alive(worker: str, started_at) -> bool:
    """Elsewhere than PostgreSQL: a process on this host is checked; one on another host lives its time limit."""
    host, _, pid = (worker or "").rpartition(":")
    if not host or not pid.isdecimal():
        return False
    if host != socket.gethostname():
        if isinstance(started_at, str):
            started_at = datetime.datetime.fromisoformat(started_at).replace(tzinfo=datetime.UTC)
        return timezone.now() - started_at < datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _worker_alive() -> Expression | None:
    """A condition true for runs whose process still lives, evaluated inside the one UPDATE that closes the rest.

    PostgreSQL: the run's session lock is held (a dead worker's connection released it). SQLite: the process
    check above, registered as an SQL function. Other databases: None, every other running run counts as gone.
    """
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(IngestRun._meta.db_table)  # the model's own table, no user input
        held = (
            "EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2 "  # noqa: S608
            f"AND classid::bigint = %s AND objid::bigint = {table}.id "
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))"
        )
        return RawSQL(  # noqa: S611
            held,
            [_ALIVE_NAMESPACE],
            output_field=BooleanField(),
        )
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        connection.connection.create_function("tracker_worker_alive", 2, _process_alive)
        return Func(F("worker"), F("started_at"), function="tracker_worker_alive", output_field=BooleanField())
    return None


def close_abandoned(*, indicator_id: int, current_run: IngestRun) -> int:
    """Mark this indicator's other 'running' runs failed when their worker is gone; waiting ones are left be."""
    running = IngestRun.objects.filter(indicator_id=indicator_id, outcome=IngestRun.Outcome.RUNNING).exclude(
        pk=current_run.pk
    )
    alive = _worker_alive()
    gone = running if alive is None else running.filter(~alive)
    return gone.update(outcome=IngestRun.Outcome.FAILED, finished_at=timezone.now(), error=ABANDONED)


def died_repeatedly(*, indicator_id: int, before: IngestRun) -> bool:
    """Whether the indicator's latest finished runs before this one were all abandoned by a dying worker."""
    latest = IngestRun.objects.filter(indicator_id=indicator_id, pk__lt=before.pk).order_by("-pk")
    finished = list(
        latest.exclude(outcome=IngestRun.Outcome.RUNNING).values_list("outcome", "error")[:POISON_THRESHOLD]
    )
    return len(finished) == POISON_THRESHOLD and all(
        outcome == IngestRun.Outcome.FAILED and error == ABANDONED for outcome, error in finished
    )


def _distinct(urls: list[str]) -> list[str]:
    return list(dict.fromkeys(urls))[:_MAX_FETCHED_URLS]


def _save_outcome(run: IngestRun, fields: list[str]) -> None:
    """Save the run's outcome on a live connection, reconnecting a few times if the database went away.

    Without this a job whose connection died with a PostgreSQL restart left its run 'running' for good.
    Inside an outer transaction (tests, a caller's atomic block) the connection is not ours to replace.
    """
    for attempt in range(_RECORD_ATTEMPTS):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()
        try:
            run.save(update_fields=fields)
            return
        except (OperationalError, InterfaceError):
            if attempt == _RECORD_ATTEMPTS - 1 or connection.in_atomic_block:
                raise
            time.sleep(2**attempt)


def succeed(run: IngestRun, result, *, fetched_urls: list[str] = ()) -> IngestRun:
    run.outcome = IngestRun.Outcome.SUCCESS
    run.error = ""  # a run wrongly closed as abandoned while it waited has now finished
    run.rows_created = result.created
    run.rows_revised = result.revised
    run.rows_unchanged = result.unchanged
    run.rows_skipped = result.skipped
    run.skipped_reasons = result.skipped_reasons()
    run.fetched_urls = _distinct(list(fetched_urls))
    run.finished_at = timezone.now()
    _save_outcome(
        run,
        [
            "outcome",
            "error",
            "rows_created",
            "rows_revised",
            "rows_unchanged",
            "rows_skipped",
            "skipped_reasons",
            "fetched_urls",
            "finished_at",
        ],
    )
    _release(run)
    return run


def fail(
    run: IngestRun, error: str, *, fetched_urls: list[str] = (), retry_after_capped_from: float | None = None
) -> IngestRun:
    run.outcome = IngestRun.Outcome.FAILED
    run.error = error
    run.fetched_urls = _distinct(list(fetched_urls))
    run.retry_after_capped_from = retry_after_capped_from
    run.finished_at = timezone.now()
    _save_outcome(run, ["outcome", "error", "fetched_urls", "retry_after_capped_from", "finished_at"])
    _release(run)
    return run
