"""Loading the bundled snapshot of published figures through the one shared writer (origin snapshot).

The CSV is written by scripts/build_snapshot.py. A snapshot load creates missing figures and revises only
figures that themselves came from the snapshot; pulled and analysts' values are left alone.
"""

import csv
import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings

from indicators.ingestion import runs
from indicators.ingestion.errors import PermanentFetchError
from indicators.ingestion.records import SNAPSHOT_COLUMNS as COLUMNS
from indicators.ingestion.records import ObservationRecord, SkippedRecord
from indicators.ingestion.service import describe
from indicators.ingestion.writer import WriteResult, write_observations
from indicators.models import Indicator, IngestRun, Observation

DEFAULT_PATH = Path(settings.BASE_DIR) / "indicators" / "snapshot" / "observations.csv"
_TRUE, _FALSE = {"true", "1", "yes"}, {"false", "0", "no", ""}


@dataclass
class IndicatorLoad:
    code: str
    run: IngestRun | None
    result: WriteResult | None
    error: str = ""


def _flag(text: str, column: str, where: str) -> bool:
    cleaned = text.strip().lower()
    if cleaned in _TRUE:
        return True
    if cleaned in _FALSE:
        return False
    raise PermanentFetchError(f"{where}: {column} is {text!r}; write true or false")


def _records(rows: list[tuple[int, dict]], path: Path) -> Iterator[ObservationRecord | SkippedRecord]:
    for line, row in rows:
        where = f"{path.name} line {line}"
        if not row["value"].strip():
            yield SkippedRecord("the snapshot states no figure (a known gap)", f"{row['geography_code']} line {line}")
            continue
        try:
            period = datetime.date.fromisoformat(row["period"].strip())
        except ValueError:
            raise PermanentFetchError(f"{where}: period {row['period']!r} is not a date (YYYY-MM-DD)") from None
        try:
            value = Decimal(row["value"].strip())
        except InvalidOperation:
            raise PermanentFetchError(f"{where}: value {row['value']!r} is not a number") from None
        yield ObservationRecord(
            geography_code=row["geography_code"].strip(),
            period=period,
            value=value,
            vintage=row["vintage"].strip(),
            citation=row["citation"].strip(),
            note=row["note"].strip(),
            is_provisional=_flag(row["is_provisional"], "is_provisional", where),
            is_estimated=_flag(row["is_estimated"], "is_estimated", where),
            is_break=_flag(row["is_break"], "is_break", where),
        )


def read_groups(path: Path) -> dict[str, list[tuple[int, dict]]]:
    """The snapshot's rows by indicator code, with their line numbers; the header must be exactly COLUMNS."""
    if not path.exists():
        raise PermanentFetchError(f"{path} does not exist; scripts/build_snapshot.py writes it")
    groups: dict[str, list[tuple[int, dict]]] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != COLUMNS:
            raise PermanentFetchError(f"{path}: columns are {reader.fieldnames}, expected exactly {COLUMNS}")
        for row in reader:
            if None in row or any(value is None for value in row.values()):
                raise PermanentFetchError(f"{path} line {reader.line_num}: wrong number of fields")
            groups.setdefault(row["indicator_code"].strip(), []).append((reader.line_num, row))
    return groups


def load_snapshot(path: Path = DEFAULT_PATH) -> list[IndicatorLoad]:
    """Load each indicator's rows as one batch with its own run; a bad group fails alone and writes nothing."""
    loads = []
    indicators = Indicator.objects.select_related("source").in_bulk(field_name="code")
    for code, rows in read_groups(path).items():
        indicator = indicators.get(code)
        if indicator is None:
            loads.append(IndicatorLoad(code, None, None, f"no indicator with code {code!r} in the catalogue"))
            continue
        run = runs.open_run(source=indicator.source, indicator=indicator, trigger=IngestRun.Trigger.SNAPSHOT)
        try:
            result = write_observations(
                indicator=indicator, records=_records(rows, path), run=run, origin=Observation.Origin.SNAPSHOT
            )
        except Exception as exc:
            runs.fail(run, describe(exc))
            loads.append(IndicatorLoad(code, run, None, describe(exc)))
            continue
        runs.succeed(run, result)
        loads.append(IndicatorLoad(code, run, result))
    return loads
