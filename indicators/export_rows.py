"""The rows the downloads hold: an indicator's figures (data.csv, data.json) and the tables of the bulk zip.

`indicators.exports` writes them out; these only read, so neither imports the other back.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

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


def indicator_export_rows(*, indicator: Indicator, filters: ChartFilters | None = None) -> list[ExportRow]:
    """The indicator's published figures the filters select, in one query; never who entered it."""
    rows = (
        (filters or ChartFilters())
        .observations(Observation.objects.filter(indicator=indicator))
        .order_by("geography__position", "geography__code", "period")
        .values_list(
            "geography__code",
            "geography__name_en",
            "period",
            "value",
            "is_provisional",
            "is_estimated",
            "is_break",
            "revision_count",
            "origin",
            "vintage",
            "citation",
            "note",
        )
    )
    return [
        ExportRow(
            geography_code=row[0],
            geography_name=row[1],
            period=row[2],
            period_label=periods.format_period(row[2], indicator.frequency),
            value=row[3],
            is_provisional=row[4],
            is_estimated=row[5],
            is_break=row[6],
            revision_count=row[7],
            origin=row[8],
            vintage=row[9],
            citation=row[10],
            note=row[11],
        )
        for row in rows
    ]


@dataclass(frozen=True)
class BulkColumn:
    name: str
    path: str
    description: str


@dataclass(frozen=True)
class BulkTable:
    """One CSV of the bulk download: what it holds, its columns and the query that fills them."""

    name: str
    description: str
    columns: tuple[BulkColumn, ...]
    queryset: QuerySet

    def rows(self) -> list[tuple]:
        return list(self.queryset.values_list(*(column.path for column in self.columns)))


def _columns(*specs: tuple[str, str, str]) -> tuple[BulkColumn, ...]:
    return tuple(BulkColumn(*spec) for spec in specs)


SOURCE_COLUMNS = _columns(
    ("key", "key", "The source's short name, used in indicators.csv."),
    ("publisher", "publisher", "Who publishes it."),
    ("name", "name", "The publication or database."),
    ("url", "url", "Where it is published."),
    ("licence", "licence", "The licence of its figures ('unverified' where not yet checked)."),
    ("attribution", "attribution", "The attribution the publisher asks for."),
)

GEOGRAPHY_COLUMNS = _columns(
    ("code", "code", "The tracker's code (ISO3 where one exists)."),
    ("iso3", "iso3", "ISO 3166-1 alpha-3 code, if any."),
    ("name_en", "name_en", "English name."),
    ("name_zh", "name_zh", "Chinese name."),
    ("kind", "kind", "country, aggregate or region."),
)

TASK_COLUMNS = _columns(
    ("number", "number", "The task's number, 1 to 7."),
    ("title_en", "title_en", "English title."),
    ("title_zh", "title_zh", "Chinese title."),
)

COMMITMENT_COLUMNS = _columns(
    ("code", "code", "Task number, dot, position: 1.1."),
    ("task", "task__number", "The task's number."),
    ("title_en", "title_en", "English title."),
    ("title_zh", "title_zh", "Chinese title."),
    ("kind", "kind", "How progress on it is judged."),
    ("article_quote", "article_quote", "The sentence of the article it comes from."),
)

ASSESSMENT_COLUMNS = _columns(
    ("commitment", "commitment__code", "The commitment's code."),
    ("status", "status", "The assessed status."),
    ("assessed_on", "assessed_on", "The date of the assessment (YYYY-MM-DD)."),
    ("note", "note", "The reasoning."),
    ("evidence_links", "evidence_links", "The evidence, as a JSON list of URLs."),
)

INDICATOR_COLUMNS = _columns(
    ("code", "code", "The indicator's code, used in the other tables."),
    ("name_en", "name_en", "English name."),
    ("name_zh", "name_zh", "Chinese name."),
    ("definition", "definition", "What it measures."),
    ("unit", "unit", "The unit, as the source publishes it."),
    ("scale", "scale", "The power of ten the unit is multiplied by."),
    ("frequency", "frequency", "annual, quarterly or monthly."),
    ("aggregation", "aggregation", "level, ytd (year to date), index or rate."),
    ("kind", "kind", "What a figure measures: level, share, count, growth_yoy, growth_ytd, an index."),
    ("neutral_value", "neutral_value", "A diffusion index's or an index's neutral line, if any."),
    ("direction", "direction", "increase, decrease or stable: the desired direction."),
    ("source", "source__key", "The source's key (sources.csv)."),
    ("source_series_code", "source_series_code", "The series' code at the source."),
    ("arrival", "arrival", "api (pulled from the source) or analyst (entered from a publication)."),
)

OBSERVATION_COLUMNS = _columns(
    ("indicator", "indicator__code", "The indicator's code (indicators.csv)."),
    ("geography", "geography__code", "The geography's code (geographies.csv)."),
    ("period", "period", "The first day of the period the figure describes (YYYY-MM-DD)."),
    ("value", "value", "The figure, in the indicator's unit."),
    ("provisional", "is_provisional", "yes if the source marks it provisional."),
    ("estimated", "is_estimated", "yes if the source marks it estimated."),
    ("series_break", "is_break", "yes if a break in series begins at this period."),
    ("times_revised", "revision_count", "How many times the figure was replaced."),
    ("origin", "origin", "api, snapshot (bundled published figures) or analyst."),
    ("vintage", "vintage", "The source's release the figure comes from."),
    ("citation", "citation", "The source URL or document reference."),
    ("note", "note", "Caveats."),
)

REVISION_COLUMNS = _columns(
    ("indicator", "observation__indicator__code", "The indicator's code."),
    ("geography", "observation__geography__code", "The geography's code."),
    ("period", "observation__period", "The period's first day (YYYY-MM-DD)."),
    ("old_value", "old_value", "The value before."),
    ("new_value", "new_value", "The value after."),
    ("reason", "reason", "source_revision, analyst_correction, revert or source_withdrawal."),
    ("replaced_at", "replaced_at", "When it was replaced (UTC)."),
)

TARGET_COLUMNS = _columns(
    ("indicator", "indicator__code", "The indicator's code."),
    ("geography", "geography__code", "The geography's code."),
    ("kind", "kind", "level, percent_change or band."),
    ("value", "value", "The level; the percentage change; the band's low end."),
    ("value_high", "value_high", "The band's high end."),
    ("qualifier", "qualifier", "about, at_least, at_most or exact, as the clause words it."),
    ("base_year", "base_year", "The base year of a percentage change."),
    ("target_year", "target_year", "The year the target is for."),
    ("document_title", "document_title", "The document that sets it."),
    ("document_issuer", "document_issuer", "Who issued the document."),
    ("document_date", "document_date", "The document's date (YYYY-MM-DD)."),
    ("document_url", "document_url", "Where the document is published."),
    ("clause_quote", "clause_quote", "The clause, quoted."),
)


def bulk_tables() -> list[BulkTable]:
    """Everything published, a table per kind; never who entered a figure, never a withdrawn one."""
    return [
        BulkTable(
            "sources",
            "Publishers of the figures, with the licence and attribution each asks for.",
            SOURCE_COLUMNS,
            Source.objects.order_by("key"),
        ),
        BulkTable(
            "geographies",
            "China, the economies it is compared with, and regions of China.",
            GEOGRAPHY_COLUMNS,
            Geography.objects.order_by("position", "code"),
        ),
        BulkTable("tasks", "The article's seven key tasks.", TASK_COLUMNS, Task.objects.order_by("number")),
        BulkTable(
            "commitments", "The commitments each task makes.", COMMITMENT_COLUMNS, Commitment.objects.order_by("code")
        ),
        BulkTable(
            "assessments",
            "Analysts' assessments of commitments, newest last.",
            ASSESSMENT_COLUMNS,
            Assessment.objects.order_by("commitment__code", "assessed_on", "pk"),
        ),
        BulkTable(
            "indicators",
            "What each indicator measures, its unit and its source.",
            INDICATOR_COLUMNS,
            Indicator.objects.order_by("code"),
        ),
        BulkTable(
            "observations",
            "Every published figure (figures the source withdrew are left out).",
            OBSERVATION_COLUMNS,
            Observation.objects.public().order_by(
                "indicator__code", "geography__position", "geography__code", "period"
            ),
        ),
        BulkTable(
            "revisions",
            "Values that were replaced, oldest first.",
            REVISION_COLUMNS,
            ObservationRevision.objects.filter(observation__in=Observation.objects.public()).order_by(
                "replaced_at", "pk"
            ),
        ),
        BulkTable(
            "targets",
            "Targets official documents set, quoting the clause.",
            TARGET_COLUMNS,
            Target.objects.order_by("indicator__code", "target_year", "pk"),
        ),
    ]
