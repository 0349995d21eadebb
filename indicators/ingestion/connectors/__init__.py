"""One module per publisher's wire format. Each has `fetch(indicator, client)`: records for the shared writer."""

from collections.abc import Callable, Iterator

from indicators.ingestion.connectors import nbs, owid, worldbank
from indicators.ingestion.errors import PermanentFetchError
from indicators.ingestion.records import ObservationRecord, SkippedRecord

Fetch = Callable[..., Iterator[ObservationRecord | SkippedRecord]]
FETCHERS: dict[str, Fetch] = {"worldbank": worldbank.fetch, "nbs": nbs.fetch, "owid": owid.fetch}


def get_fetch(connector_key: str) -> Fetch:
    """The fetch function for a Source.connector value."""
    try:
        return FETCHERS[connector_key]
    except KeyError:
        raise PermanentFetchError(
            f"source has no connector {connector_key!r}; its figures are entered by analysts"
        ) from None
