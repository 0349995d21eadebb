"""World Bank Indicators API v2: one paged JSON request per indicator for all its geographies.

Reply shape: `[{"page", "pages", "per_page", "total", "sourceid", "lastupdated"}, [row, ...]]`, each row
`{"indicator": {"id", "value"}, "country": {"id", "value"}, "countryiso3code", "date", "value", "unit",
"obs_status", "decimal"}`. An unknown series answers `[{"message": [{"id", "key", "value"}]}]`.
"""

import datetime
import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

import httpx
from django.conf import settings

from indicators.ingestion.connectors.geographies import geography_codes
from indicators.ingestion.connectors.time_codes import TimeCodes
from indicators.ingestion.errors import PermanentFetchError
from indicators.ingestion.http import get_json
from indicators.ingestion.records import ObservationRecord, SkippedRecord

_DATES = TimeCodes(what="World Bank date", quarters="1234", quarter_mark="Q", month_mark="M")
_UNIT_IN_NAME = re.compile(r"\(([^()]*)\)\s*$")
# obs_status codes the API uses; anything else is kept in the note.
_ESTIMATED, _PROVISIONAL = "E", "P"


# The publisher's own address, cited whatever mirror WORLDBANK_API_URL points at (the run keeps the fetched URL).
CANONICAL_API_URL = "https://api.worldbank.org/v2"


def series_url(series_code: str, countries: list[str], base: str | None = None) -> str:
    base = (base or settings.WORLDBANK_API_URL).rstrip("/")
    return f"{base}/country/{';'.join(countries)}/indicator/{series_code}"


def _number(value: object) -> Decimal | None:
    """The value as a Decimal, or None when the API gives text that is no number ("", "..")."""
    if isinstance(value, Decimal):
        return value
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def parse_date(text: str, frequency: str) -> datetime.date:
    return _DATES.period(text, frequency)


def unit_from_row(row: dict) -> str | None:
    """The unit the API states: the row's `unit`, else the parenthesised end of the indicator's name."""
    if row.get("unit"):
        return str(row["unit"])
    match = _UNIT_IN_NAME.search(str((row.get("indicator") or {}).get("value") or ""))
    return match.group(1).strip() if match else None


def _check_error_body(body: object, url: str) -> None:
    if isinstance(body, list) and len(body) == 1 and isinstance(body[0], dict) and "message" in body[0]:
        messages = body[0]["message"] or [{}]
        text = "; ".join(f"{m.get('key', '?')} ({m.get('id', '?')}): {m.get('value', '')}" for m in messages)
        raise PermanentFetchError(f"World Bank API refused {url}: {text}")


def parse_page(
    body: object, *, series_code: str, countries: list[str], frequency: str, url: str
) -> tuple[dict, list[ObservationRecord | SkippedRecord]]:
    """Validate one page's shape and turn its rows into records; returns the page's metadata too."""
    meta, rows = _page_parts(body, url)
    vintage = f"World Bank WDI, last updated {meta['lastupdated']}" if meta["lastupdated"] else "World Bank WDI"
    records = [
        _row_record(
            row,
            where=f"page {meta['page']} row {position}",
            series_code=series_code,
            countries=countries,
            frequency=frequency,
            url=url,
            vintage=vintage,
        )
        for position, row in enumerate(rows, start=1)
    ]
    return meta, records


def _page_parts(body: object, url: str) -> tuple[dict, list]:
    """The page's metadata (page, pages, per_page, total, lastupdated) and its rows, or why they are unusable."""
    _check_error_body(body, url)
    if not (isinstance(body, list) and len(body) == 2 and isinstance(body[0], dict)):
        raise PermanentFetchError(f"{url}: expected [metadata, rows], got {type(body).__name__} of another shape")
    meta, rows = body
    try:
        meta = {key: int(meta[key]) for key in ("page", "pages", "per_page", "total")} | {
            "lastupdated": str(meta.get("lastupdated") or "")
        }
    except (KeyError, TypeError, ValueError) as exc:
        raise PermanentFetchError(f"{url}: page metadata lacks {exc}") from exc
    if rows is None:
        rows = []
    if not isinstance(rows, list):
        raise PermanentFetchError(f"{url}: rows are a {type(rows).__name__}, not a list")
    return meta, rows


def _row_record(
    row: object, *, where: str, series_code: str, countries: list[str], frequency: str, url: str, vintage: str
) -> ObservationRecord | SkippedRecord:
    """One row as a record; a row for another series or country, or of another shape, refuses the page."""
    if not isinstance(row, dict):
        raise PermanentFetchError(f"{url}: {where} is not an object")
    row_series = (row.get("indicator") or {}).get("id")
    if row_series != series_code:
        raise PermanentFetchError(f"{url}: {where} is for series {row_series!r}, not {series_code!r}")
    iso3 = row.get("countryiso3code") or ""
    if iso3 not in countries:
        raise PermanentFetchError(f"{url}: {where} is for {iso3!r}, which was not asked for")
    period = parse_date(str(row.get("date") or ""), frequency)
    value = row.get("value")
    if value is None:
        return SkippedRecord(
            "the World Bank publishes no value (null)",
            f"{iso3} {row.get('date')}",
            geography_code=iso3,
            period=period,
            withdrawn=True,
        )
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        raise PermanentFetchError(f"{url}: {where} value {value!r} is not a number")
    number = _number(value)
    if number is None:
        return SkippedRecord(
            "the World Bank gives a value that is not a number", f"{series_code} {iso3} {row.get('date')}: {value!r}"
        )
    status = str(row.get("obs_status") or "")
    return ObservationRecord(
        geography_code=iso3,
        period=period,
        value=number,
        vintage=vintage,
        citation=(
            f"World Bank, World Development Indicators, {series_code}: "
            f"{series_url(series_code, [iso3], CANONICAL_API_URL)}"
        ),
        note=f"obs_status {status}" if status not in ("", _ESTIMATED, _PROVISIONAL) else "",
        is_estimated=status == _ESTIMATED,
        is_provisional=status == _PROVISIONAL,
        unit=unit_from_row(row),
    )


def fetch(indicator, client: httpx.Client) -> Iterator[ObservationRecord | SkippedRecord]:
    """Every page of the indicator's series for all its geographies, in one paged request."""
    series_code = indicator.source_series_code
    countries = geography_codes(indicator)
    url = series_url(series_code, countries)
    page, pages, first_meta = 1, 1, None
    while page <= pages:
        params = {"format": "json", "per_page": settings.WORLDBANK_PER_PAGE, "page": page}
        body = get_json(client, url, params)
        meta, records = parse_page(
            body, series_code=series_code, countries=countries, frequency=indicator.frequency, url=url
        )
        if first_meta is None:
            first_meta, pages = meta, meta["pages"]
        elif (meta["pages"], meta["total"], meta["lastupdated"]) != (
            first_meta["pages"],
            first_meta["total"],
            first_meta["lastupdated"],
        ):
            raise PermanentFetchError(f"{url}: the series changed while its pages were read (page {page})")
        if pages == 0:
            expected = 0
        elif page < pages:
            expected = meta["per_page"]
        else:
            expected = meta["total"] - meta["per_page"] * (pages - 1)
        if meta["page"] != page or len(records) != expected:
            raise PermanentFetchError(
                f"{url}: page {page} of {pages} holds {len(records)} rows, expected {expected}: truncated"
            )
        yield from records
        page += 1
