"""The one retry policy: the Celery job's options and the foreground command's waits come from here.

Backoff is Celery's own (2ⁿ × the first wait, full jitter, capped); a 429's Retry-After replaces it, but never
beyond HTTP_RETRY_AFTER_MAX_SECONDS, which stays under the broker's visibility timeout so Redis does not
re-deliver a job that is only waiting. A lost database connection (PostgreSQL restarted or failing over) is
transient too: the job retries on a fresh connection.
"""

from dataclasses import dataclass

from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.db import InterfaceError, OperationalError

from indicators.ingestion.errors import RetryableFetchError

# Raised when the database goes away under a job; Celery's Django fixup reopens the connection before the retry.
DATABASE_FAULTS = (OperationalError, InterfaceError)


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int
    backoff_seconds: float
    backoff_max_seconds: float
    retry_after_max_seconds: float

    @classmethod
    def from_settings(cls) -> "RetryPolicy":
        return cls(
            max_retries=settings.HTTP_MAX_RETRIES,
            backoff_seconds=settings.HTTP_RETRY_BACKOFF_SECONDS,
            backoff_max_seconds=settings.HTTP_RETRY_BACKOFF_MAX_SECONDS,
            retry_after_max_seconds=settings.HTTP_RETRY_AFTER_MAX_SECONDS,
        )

    def task_options(self) -> dict:
        """Options for @shared_task: Celery retries transient faults itself, bounded, with jittered backoff."""
        return {
            "autoretry_for": (RetryableFetchError, *DATABASE_FAULTS),
            "retry_backoff": self.backoff_seconds,
            "retry_backoff_max": int(self.backoff_max_seconds),
            "retry_jitter": True,
            "max_retries": self.max_retries,
        }

    def backoff(self, retries: int) -> float:
        """The wait Celery's autoretry computes for these options (no wait when backoff is off)."""
        if not self.backoff_seconds:
            return 0.0
        return float(
            get_exponential_backoff_interval(
                factor=int(max(1.0, self.backoff_seconds)),
                retries=retries,
                maximum=int(self.backoff_max_seconds),
                full_jitter=True,
            )
        )

    def is_capped(self, retry_after: float | None) -> bool:
        return retry_after is not None and retry_after > self.retry_after_max_seconds

    def delay(self, *, retries: int, retry_after: float | None = None) -> float:
        """Seconds before the next attempt: the Retry-After, capped, else the backoff."""
        if retry_after is not None:
            return min(retry_after, self.retry_after_max_seconds)
        return self.backoff(retries)
