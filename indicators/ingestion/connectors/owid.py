"""Our World in Data CSV files: `{OWID_BASE_URL}/{dataset}/master/owid-{dataset}.csv`, read as a stream.

Series codes are `<dataset>:<column>` (`co2-data:co2`). Rows carry country, year and iso_code; the format
states no unit (the codebook does), so the writer has no unit to compare for these figures.
"""

import csv
import datetime
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

import httpx
from django.conf import settings
from django.utils import timezone

from indicators.ingestion.connectors.geographies import geography_codes
from indicators.ingestion.errors import PermanentFetchError
from indicators.ingestion.http import stream_text_lines
from indicators.ingestion.records import ObservationRecord, SkippedRecord

_KEY_COLUMNS = ("country", "year", "iso_code")


def split_series_code(series_code: str) -> tuple[str, str]:
    dataset, _, column = series_code.partition(":")
    if not dataset or not column or "/" in dataset:
        raise PermanentFetchError(f"OWID series code {series_code!r} is not '<dataset>:<column>' (co2-data:co2)")
    return dataset, column


# The publisher's own address, cited whatever mirror OWID_BASE_URL points at (the run keeps the fetched URL).
CANONICAL_BASE_URL = "https://raw.githubusercontent.com/owid"


def dataset_url(dataset: str, base: str | None = None) -> str:
    return f"{(base or settings.OWID_BASE_URL).rstrip('/')}/{dataset}/master/owid-{dataset}.csv"


def parse_rows(
    lines: Iterator[str], *, column: str, countries: set[str], url: str, retrieved: datetime.date
) -> Iterator[ObservationRecord | SkippedRecord]:
    """Records for the wanted countries from a CSV stream; a short row means the file was cut off."""
    reader = csv.reader(lines)
    header = next(reader, None)
    if not header:
        raise PermanentFetchError(f"{url} has no header row")
    header = [name.lstrip("\ufeff") for name in header]
    missing = [name for name in (*_KEY_COLUMNS, column) if name not in header]
    if missing:
        raise PermanentFetchError(f"{url} has no column {', '.join(map(repr, missing))}: unknown series")
    index = {name: header.index(name) for name in (*_KEY_COLUMNS, column)}
    dataset = url.rsplit("/", 1)[-1]
    for line_number, row in enumerate(reader, start=2):
        if len(row) != len(header):
            raise PermanentFetchError(
                f"{url} line {line_number} has {len(row)} fields, the header {len(header)}: cut off or malformed"
            )
        iso3 = row[index["iso_code"]]
        if iso3 not in countries:
            continue
        year, text = row[index["year"]], row[index[column]]
        if not year.isdigit():
            raise PermanentFetchError(f"{url} line {line_number}: year {year!r} is not a year")
        if text == "":
            yield SkippedRecord(f"OWID has no {column} value", f"{iso3} {year}")
            continue
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise PermanentFetchError(f"{url} line {line_number}: {column} {text!r} is not a number") from None
        yield ObservationRecord(
            geography_code=iso3,
            period=datetime.date(int(year), 1, 1),
            value=value,
            vintage=f"OWID {dataset}, retrieved {retrieved.isoformat()}",
            citation=f"Our World in Data, {dataset}, column {column} ({dataset_url(dataset, CANONICAL_BASE_URL)})",
        )


def fetch(indicator, client: httpx.Client) -> Iterator[ObservationRecord | SkippedRecord]:
    dataset, column = split_series_code(indicator.source_series_code)
    if indicator.frequency != "annual":
        raise PermanentFetchError(f"OWID series are annual but indicator {indicator.code} is {indicator.frequency}")
    url = dataset_url(dataset)
    yield from parse_rows(
        stream_text_lines(client, url),
        column=column,
        countries=set(geography_codes(indicator)),
        url=url,
        retrieved=timezone.localdate(),
    )
