"""Every fault a fetch can meet, classified once: retry it, or record it and stop."""


class FetchError(Exception):
    """A fetch or a validation failed; the message says what and where, for the run record."""


class RetryableFetchError(FetchError):
    """A transient fault (timeout, connection error, 5xx, 429): the job retries with backoff.

    `retry_after` is the publisher's Retry-After in seconds (a 429), or None to let backoff decide.
    """

    def __init__(self, message: str, *, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class PermanentFetchError(FetchError):
    """A fault a retry cannot fix (other 4xx, a malformed or truncated body, an unknown series, bad values)."""
