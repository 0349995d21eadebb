"""The one HTTP client every connector uses, and the one place status codes become fault classes."""

import email.utils
import json
import time
from collections.abc import Callable, Iterator
from decimal import Decimal

import httpx
from django.conf import settings

from indicators.ingestion.errors import PermanentFetchError, RetryableFetchError

USER_AGENT = "NewIndustrializationTracker/1.0 (+public statistics tracker; httpx)"


def make_client(on_request: Callable[[str], None] | None = None) -> httpx.Client:
    """A client with the configured timeout and an honest user agent; `on_request` hears every URL it fetches."""
    hooks = {"request": [lambda request: on_request(str(request.url))]} if on_request else {}
    return httpx.Client(
        timeout=httpx.Timeout(settings.HTTP_TIMEOUT_SECONDS),
        headers={"User-Agent": USER_AGENT, "Accept": "application/json, text/csv;q=0.9, */*;q=0.1"},
        follow_redirects=True,
        event_hooks=hooks,
    )


class _Deadline:
    """The total time one request may take, body included (HTTP_TIMEOUT_SECONDS bounds each read only)."""

    def __init__(self, url: str):
        self.url = url
        self.seconds = settings.HTTP_DEADLINE_SECONDS
        self.ends = time.monotonic() + self.seconds

    def check(self) -> None:
        if time.monotonic() > self.ends:
            raise RetryableFetchError(
                f"{self.url} did not finish within the {self.seconds:g} s deadline (HTTP_DEADLINE_SECONDS)"
            )


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


def raise_for_status(response: httpx.Response) -> None:
    """429 and 5xx are transient; any other non-2xx is permanent."""
    status = response.status_code
    if status == 429:
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        raise RetryableFetchError(f"{response.url} answered 429 Too Many Requests", retry_after=retry_after)
    if status >= 500:
        raise RetryableFetchError(f"{response.url} answered {status} {response.reason_phrase}")
    if status >= 400 or status < 200:
        raise PermanentFetchError(f"{response.url} answered {status} {response.reason_phrase}")


def _transport_error(url: str, exc: httpx.TransportError) -> RetryableFetchError:
    if isinstance(exc, httpx.TimeoutException):
        return RetryableFetchError(f"{url} timed out after {settings.HTTP_TIMEOUT_SECONDS:g} s ({type(exc).__name__})")
    return RetryableFetchError(f"{url} could not be read: {type(exc).__name__}: {exc}")


def get_json(client: httpx.Client, url: str, params: dict[str, str | int]) -> object:
    """GET a JSON body, numbers read as Decimal so no figure passes through a float."""
    deadline = _Deadline(url)
    try:
        with client.stream("GET", url, params=params) as response:
            raise_for_status(response)
            parts = []
            for chunk in response.iter_bytes():
                parts.append(chunk)
                deadline.check()
    except httpx.TransportError as exc:
        raise _transport_error(url, exc) from exc
    body = b"".join(parts)
    if not body.strip():
        raise PermanentFetchError(f"{response.url} answered with an empty body")
    try:
        return json.loads(body, parse_float=Decimal)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PermanentFetchError(f"{response.url} answered with malformed JSON ({exc}); cut off or not JSON") from exc


def stream_text_lines(client: httpx.Client, url: str) -> Iterator[str]:
    """GET a text body line by line without holding it; a last line with no line break means it was cut off."""
    deadline = _Deadline(url)
    try:
        with client.stream("GET", url) as response:
            raise_for_status(response)
            pending = ""
            seen_any = False
            for chunk in response.iter_text():
                deadline.check()
                seen_any = seen_any or bool(chunk)
                pending += chunk
                *lines, pending = pending.split("\n")
                for line in lines:
                    yield line.rstrip("\r")
            if not seen_any:
                raise PermanentFetchError(f"{url} answered with an empty body")
            if pending:
                raise PermanentFetchError(
                    f"{url} ended in the middle of a line ({pending[:60]!r}…): the file was cut off"
                )
    except httpx.TransportError as exc:
        raise _transport_error(url, exc) from exc
