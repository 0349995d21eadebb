"""One module per publisher's wire format. Each has `fetch(indicator, client)`: records for the shared writer."""

from collections.abc import Callable, Iterator

from indicators.ingestion.errors import PermanentFetchError
from indicators.ingestion.records import ObservationRecord, SkippedRecord

Fetch = Callable[..., Iterator[ObservationRecord | SkippedRecord]]


def get_fetch(connector_key: str) -> Fetch:
    """The fetch function for a Source.connector value."""
    from indicators.ingestion.connectors import nbs, owid, worldbank

    fetchers: dict[str, Fetch] = {"worldbank": worldbank.fetch, "nbs": nbs.fetch, "owid": owid.fetch}
    try:
        return fetchers[connector_key]
    except KeyError:
        raise PermanentFetchError(
            f"source has no connector {connector_key!r}; its figures are entered by analysts"
        ) from None


def geography_codes(indicator) -> list[str]:
    """The ISO3 codes the indicator is pulled for (China when none are chosen)."""
    codes = [geo.iso3 or geo.code for geo in indicator.geographies.all()]
    return sorted(codes) or ["CHN"]
