"""Celery jobs: thin wrappers that take ids and keys and call the ingestion service."""

import logging

from celery import shared_task
from django.conf import settings

logger = logging.getLogger(__name__)


@shared_task(name="indicators.refresh_indicator", bind=True, max_retries=settings.HTTP_MAX_RETRIES)
def refresh_indicator(self, indicator_id: int, trigger: str = "schedule") -> str:
    """Pull one indicator's series; safe to run twice. Transient faults retry with backoff and jitter."""
    from indicators.ingestion import service
    from indicators.ingestion.errors import PermanentFetchError, RetryableFetchError
    from indicators.models import Indicator

    try:
        run = service.refresh_indicator(indicator_id=indicator_id, trigger=trigger, attempt=self.request.retries + 1)
    except RetryableFetchError as exc:
        # Automatic backoff ignores Retry-After, so the countdown is computed here.
        raise self.retry(
            exc=exc, countdown=service.retry_delay(retries=self.request.retries, retry_after=exc.retry_after)
        ) from exc
    except PermanentFetchError:
        # Recorded in the run with its reason; a retry cannot fix it.
        return "failed"
    except Indicator.DoesNotExist:
        logger.warning("indicator %s was deleted before its refresh ran", indicator_id)
        return "missing"
    return run.outcome


@shared_task(name="indicators.refresh_source")
def refresh_source(source_key: str, trigger: str = "schedule") -> int:
    """Fan out: one refresh_indicator job per indicator of the source."""
    from indicators.ingestion import service
    from indicators.ingestion.errors import PermanentFetchError

    try:
        return len(service.refresh_source(source_key=source_key, trigger=trigger))
    except PermanentFetchError as exc:
        logger.warning("refresh of source %s not started: %s", source_key, exc)
        return 0
