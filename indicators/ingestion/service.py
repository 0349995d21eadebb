"""Refresh workflows shared by the Celery jobs and the foreground command."""

import logging
import time
from collections.abc import Callable

from django.db import DatabaseError

from indicators.ingestion import runs
from indicators.ingestion.connectors import get_fetch
from indicators.ingestion.errors import FetchError, PermanentFetchError, RetryableFetchError
from indicators.ingestion.http import make_client
from indicators.ingestion.retries import DATABASE_FAULTS, RetryPolicy
from indicators.ingestion.writer import write_observations
from indicators.models import Indicator, IngestRun, Observation, Source

logger = logging.getLogger(__name__)
MANUAL = "manual"  # the trigger of a foreground refresh; a person is watching it


def describe(exc: BaseException) -> str:
    """A reason a person can read in the admin."""
    if isinstance(exc, FetchError):
        kind = "Retryable fault" if isinstance(exc, RetryableFetchError) else "Permanent fault"
        return f"{kind}: {exc}"
    if isinstance(exc, DATABASE_FAULTS):
        return f"Database unavailable (the job retries): {type(exc).__name__}: {exc}"
    return f"Unexpected error: {type(exc).__name__}: {exc}"


def retry_delay(*, retries: int, retry_after: float | None = None) -> float:
    """Seconds before the next attempt, as the retry policy says: Retry-After (capped), else Celery's backoff."""
    return RetryPolicy.from_settings().delay(retries=retries, retry_after=retry_after)


def pullable_indicators(source_key: str | None = None):
    """Indicators whose figures arrive from a source's API through one of our connectors."""
    indicators = Indicator.objects.filter(arrival=Indicator.Arrival.API).exclude(source__connector="")
    if source_key:
        indicators = indicators.filter(source__key=source_key)
    return indicators.select_related("source").order_by("code")


def refresh_indicator(*, indicator_id: int, trigger: str, attempt: int = 1) -> IngestRun:
    """Pull one indicator's series and write it as one batch; the run records the outcome either way.

    Raises the fault after recording it, so the caller can decide whether to retry.
    """
    indicator = Indicator.objects.select_related("source").get(pk=indicator_id)
    run = runs.open_run(source=indicator.source, indicator=indicator, trigger=trigger, attempt=attempt)
    fetched: list[str] = []
    try:
        if indicator.arrival != Indicator.Arrival.API:
            raise PermanentFetchError(f"indicator {indicator.code} is entered by analysts, not pulled")
        if trigger != MANUAL and runs.died_repeatedly(indicator_id=indicator.pk, before=run):
            raise PermanentFetchError(
                f"the last {runs.POISON_THRESHOLD} runs of {indicator.code} died mid-batch (killed, out of memory or "
                f"over the time limit); scheduled runs stop here until someone looks. Try it in the foreground: "
                f"manage.py refresh_indicators --indicator {indicator.code}"
            )
        fetch = get_fetch(indicator.source.connector)
        with make_client(on_request=fetched.append) as client:
            result = write_observations(
                indicator=indicator, records=fetch(indicator, client), run=run, origin=Observation.Origin.API
            )
    except Exception as exc:
        try:
            _record_failure(run, exc, fetched)
        except DatabaseError:
            # Still down after the reconnects: the next attempt closes this run as abandoned.
            logger.exception("run %s of %s could not be recorded as failed", run.pk, indicator.code)
        logger.warning("refresh of %s failed (attempt %s): %s", indicator.code, attempt, describe(exc))
        raise
    runs.succeed(run, result, fetched_urls=fetched)
    logger.info("refreshed %s: %s", indicator.code, result.summary())
    return run


def _record_failure(run: IngestRun, exc: Exception, fetched: list[str]) -> None:
    """Fail the run with its reason; a Retry-After the policy cuts short is recorded as asked and as waited."""
    policy = RetryPolicy.from_settings()
    retry_after = getattr(exc, "retry_after", None)
    error = describe(exc)
    capped_from = None
    if isinstance(exc, RetryableFetchError) and policy.is_capped(retry_after):
        capped_from = retry_after
        error += (
            f" (Retry-After {retry_after:g} s capped to {policy.retry_after_max_seconds:g} s, "
            "HTTP_RETRY_AFTER_MAX_SECONDS)"
        )
    runs.fail(run, error, fetched_urls=fetched, retry_after_capped_from=capped_from)


def refresh_indicator_now(*, indicator_id: int, trigger: str, sleep: Callable[[float], None] = time.sleep) -> IngestRun:
    """Refresh in the foreground with the jobs' retry policy: bounded attempts, backoff, Retry-After capped."""
    policy = RetryPolicy.from_settings()
    for retries in range(policy.max_retries + 1):
        try:
            return refresh_indicator(indicator_id=indicator_id, trigger=trigger, attempt=retries + 1)
        except RetryableFetchError as exc:
            if retries == policy.max_retries:
                raise
            sleep(policy.delay(retries=retries, retry_after=exc.retry_after))
    raise AssertionError("unreachable: the loop returns or raises")


def source_indicator_ids(*, source_key: str) -> list[int]:
    """The pullable indicators of a source, each to be refreshed by a job of its own (the job module fans out)."""
    if not Source.objects.filter(key=source_key).exists():
        raise PermanentFetchError(f"no source with key {source_key!r}")
    return list(pullable_indicators(source_key).values_list("pk", flat=True))
