"""The rows the downloads hold: an indicator's figures (data.csv, data.json) and the tables of the bulk zip.

`indicators.exports` writes them out; these only read, so neither imports the other back.
"""

from __future__ import annotations

import csv
import datetime
from collections import defaultdict
from dataclasses import dataclass, fields
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from django.db.models import QuerySet

from indicators import periods
from indicators.models import Geography, Indicator, Observation, ObservationRevision, Source, Target
from indicators.selectors import ChartFilters
from tasks.models import Assessment, Commitment, Task

# A figure's flags and provenance by their public names, in the order data.csv and the API both give them.
PROVENANCE_COLUMNS = (
    "provisional",
    "estimated",
    "series_break",
    "times_revised",
    "origin",
    "vintage",
    "citation",
    "note",
)


@dataclass(frozen=True)
class ExportRow:
    geography_code: str
    geography_name: str
    period: datetime.date
    period_label: str
    value: Decimal
    is_provisional: bool
    is_estimated: bool
    is_break: bool
    revision_count: int
    origin: str
    vintage: str
    citation: str
    note: str


# Where an ExportRow's fields are read from when not from the observation's field of the same name.
_EXPORT_PATHS = {"geography_code": "geography__code", "geography_name": "geography__name_en"}
_EXPORT_READ = tuple(field.name for field in fields(ExportRow) if field.name != "period_label")


def indicator_export_rows(*, indicator: Indicator, filters: ChartFilters | None = None) -> list[ExportRow]:
    """The indicator's published figures the filters select, in one query; never who entered it."""
    rows = (
        (filters or ChartFilters())
        .observations(Observation.objects.filter(indicator=indicator))
        .order_by("geography__position", "geography__code", "period")
        .values_list(*(_EXPORT_PATHS.get(name, name) for name in _EXPORT_READ))
    )
    read = (dict(zip(_EXPORT_READ, row, strict=True)) for row in rows)
    return [ExportRow(**one, period_label=periods.format_period(one["period"], indicator.frequency)) for one in read]


# The bulk zip's data dictionary: each table's columns in order, what each means and, where it is not the
# field of the same name, the path (as values_list takes it) its value is read from.
DATA_DICTIONARY = Path(__file__).with_name("bulk_columns.csv")


class BulkColumn(NamedTuple):
    name: str
    path: str
    description: str


def _dictionary_columns() -> dict[str, tuple[BulkColumn, ...]]:
    columns: dict[str, list[BulkColumn]] = defaultdict(list)
    with DATA_DICTIONARY.open(encoding="utf-8", newline="") as file:
        for entry in csv.DictReader(file):
            columns[entry["table"]].append(
                BulkColumn(entry["column"], entry["path"] or entry["column"], entry["meaning"])
            )
    return {table: tuple(listed) for table, listed in columns.items()}


BULK_COLUMNS = _dictionary_columns()


@dataclass(frozen=True)
class BulkTable:
    """One CSV of the bulk download: what it holds, and the query that fills its columns (the data dictionary's)."""

    name: str
    description: str
    queryset: QuerySet

    @property
    def columns(self) -> tuple[BulkColumn, ...]:
        return BULK_COLUMNS[self.name]

    def rows(self) -> list[tuple]:
        return list(self.queryset.values_list(*(column.path for column in self.columns)))


def bulk_tables() -> list[BulkTable]:
    """Everything published, a table per kind; never who entered a figure, never a withdrawn one."""
    return [
        BulkTable(
            "sources",
            "Publishers of the figures, with the licence and attribution each asks for.",
            Source.objects.order_by("key"),
        ),
        BulkTable(
            "geographies",
            "China, the economies it is compared with, and regions of China.",
            Geography.objects.order_by("position", "code"),
        ),
        BulkTable("tasks", "The article's seven key tasks.", Task.objects.order_by("number")),
        BulkTable("commitments", "The commitments each task makes.", Commitment.objects.order_by("code")),
        BulkTable(
            "assessments",
            "Analysts' assessments of commitments, newest last.",
            Assessment.objects.order_by("commitment__code", "assessed_on", "pk"),
        ),
        BulkTable(
            "indicators",
            "What each indicator measures, its unit and its source.",
            Indicator.objects.order_by("code"),
        ),
        BulkTable(
            "observations",
            "Every published figure (figures the source withdrew are left out).",
            Observation.objects.public().order_by(
                "indicator__code", "geography__position", "geography__code", "period"
            ),
        ),
        BulkTable(
            "revisions",
            "Values that were replaced, oldest first.",
            ObservationRevision.objects.filter(observation__in=Observation.objects.public()).order_by(
                "replaced_at", "pk"
            ),
        ),
        BulkTable(
            "targets",
            "Targets official documents set, quoting the clause.",
            Target.objects.order_by("indicator__code", "target_year", "pk"),
        ),
    ]
