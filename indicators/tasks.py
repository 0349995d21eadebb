"""Celery jobs: thin wrappers that take ids and keys and call the ingestion service."""

import logging

from celery import shared_task
from django.db import DatabaseError, transaction

from indicators.ingestion.retries import RetryPolicy

logger = logging.getLogger(__name__)


@shared_task(name="indicators.refresh_indicator", bind=True, **RetryPolicy.from_settings().task_options())
def refresh_indicator(self, indicator_id: int, trigger: str = "schedule") -> str:
    """Pull one indicator's series; safe to run twice.

    Transient faults, a lost database connection included, are retried by Celery (autoretry_for, backoff with
    jitter, bounded); a 429's Retry-After, which Celery's backoff cannot know, sets the countdown here, capped by
    the same policy.
    """
    from indicators.ingestion import service
    from indicators.ingestion.errors import PermanentFetchError, RetryableFetchError
    from indicators.models import Indicator

    try:
        run = service.refresh_indicator(indicator_id=indicator_id, trigger=trigger, attempt=self.request.retries + 1)
    except RetryableFetchError as exc:
        if exc.retry_after is None:
            raise  # autoretry_for takes it
        countdown = service.retry_delay(retries=self.request.retries, retry_after=exc.retry_after)
        raise self.retry(exc=exc, countdown=countdown) from exc
    except PermanentFetchError:
        # Recorded in the run with its reason; a retry cannot fix it.
        return "failed"
    except Indicator.DoesNotExist:
        logger.warning("indicator %s was deleted before its refresh ran", indicator_id)
        return "missing"
    except DatabaseError:
        raise  # a lost connection is retried by autoretry_for; any other database error is a failed job
    except Exception:
        # A defect, not a fault of the source: the run records it; retrying would repeat it.
        logger.exception("refresh of indicator %s failed unexpectedly", indicator_id)
        return "failed"
    record_commitment_statuses.delay_on_commit()
    return run.outcome


@shared_task(name="indicators.refresh_source")
def refresh_source(source_key: str, trigger: str = "schedule") -> int:
    """Fan out: one refresh_indicator job per pullable indicator of the source, sent once the transaction commits.

    The service says which indicators; sending jobs is this module's work, so the service never imports it.
    """
    from indicators.ingestion import service
    from indicators.ingestion.errors import PermanentFetchError

    try:
        indicator_ids = service.source_indicator_ids(source_key=source_key)
    except PermanentFetchError as exc:
        logger.warning("refresh of source %s not started: %s", source_key, exc)
        return 0
    with transaction.atomic():
        for indicator_id in indicator_ids:
            refresh_indicator.delay_on_commit(indicator_id, trigger)
    return len(indicator_ids)


@shared_task(name="indicators.record_commitment_statuses", **RetryPolicy.from_settings().task_options())
def record_commitment_statuses() -> int:
    """Record the commitments whose computed status moved; enqueued after every change to published data."""
    from indicators.services.commitment_statuses import commitment_status_changes_record

    return len(commitment_status_changes_record())
