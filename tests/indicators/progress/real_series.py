"""Real series for the progress tests: the bundled snapshot's China figures and the catalog's own specs."""

import csv
import datetime
import functools
from pathlib import Path

import yaml

from indicators.progress import Point, SeriesSpec, TargetSpec

PROJECT = Path(__file__).resolve().parents[3]
SNAPSHOT = PROJECT / "indicators" / "snapshot" / "observations.csv"
CATALOG = PROJECT / "catalog" / "data"


@functools.cache
def _catalog(name: str) -> tuple[dict, ...]:
    with (CATALOG / f"{name}.yaml").open(encoding="utf-8") as handle:
        return tuple(yaml.safe_load(handle)[name])


@functools.cache
def _snapshot() -> tuple[dict, ...]:
    with SNAPSHOT.open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


def indicator_row(code: str) -> dict:
    return next(row for row in _catalog("indicators") if row["code"] == code)


def catalog_indicators() -> tuple[dict, ...]:
    return _catalog("indicators")


def real_series(code: str, *, until: datetime.date | None = None, geography: str = "CHN") -> list[Point]:
    """The snapshot's figures for one indicator and geography, oldest first, up to `until` if given."""
    points = [
        Point(
            period=datetime.date.fromisoformat(row["period"]),
            value=float(row["value"]),
            is_break=row.get("is_break", "").lower() in ("true", "1"),
            is_estimated=row.get("is_estimated", "").lower() in ("true", "1"),
        )
        for row in _snapshot()
        if row["indicator_code"] == code and row["geography_code"] == geography
    ]
    points.sort(key=lambda point: point.period)
    return [point for point in points if until is None or point.period <= until]


def series_spec_of(code: str) -> SeriesSpec:
    row = indicator_row(code)
    return SeriesSpec(
        kind=row["kind"],
        direction=row["direction"],
        frequency=row["frequency"],
        neutral=row.get("neutral_value"),
        lower=row.get("plausible_min"),
        upper=row.get("plausible_max"),
    )


def targets_of(code: str) -> list[TargetSpec]:
    return [
        TargetSpec(
            kind=row["kind"],
            value=float(row["value"]),
            target_year=row["target_year"],
            value_high=row.get("value_high"),
            base_year=row.get("base_year"),
            qualifier=row.get("qualifier", "exact"),
            set_in_year=row["document_date"].year,
        )
        for row in _catalog("targets")
        if row["indicator"] == code and row["geography"] == "CHN"
    ]
