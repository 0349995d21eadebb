"""Downloads of an indicator's figures as CSV and JSON, and of everything published as one zip.

The CSV is safe to open in a spreadsheet: a text cell that begins with =, +, -, @, tab or carriage
return is prefixed with an apostrophe so it is read as text, not run as a formula (indicators.spreadsheets, the
rule the upload templates follow too). The value column is a number we format ourselves, so a negative figure
stays a number.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import zipfile
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache

from config.generations import site_generation
from indicators.export_rows import PROVENANCE_COLUMNS, BulkTable, ExportRow, bulk_tables
from indicators.models import Indicator, Source
from indicators.spreadsheets import spreadsheet_safe

CSV_COLUMNS = [
    "indicator",
    "geography",
    "geography_name",
    "period",
    "value",
    "unit",
    *PROVENANCE_COLUMNS,
]


def _value_text(row: ExportRow) -> str:
    return format(row.value.normalize(), "f")


def indicator_csv(*, indicator: Indicator, rows: list[ExportRow]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        text_cells = [
            indicator.code,
            row.geography_code,
            row.geography_name,
            row.period_label,
        ]
        trailing = [
            indicator.unit,
            "yes" if row.is_provisional else "no",
            "yes" if row.is_estimated else "no",
            "yes" if row.is_break else "no",
            str(row.revision_count),
            row.origin,
            row.vintage,
            row.citation,
            row.note,
        ]
        writer.writerow(
            [spreadsheet_safe(cell) for cell in text_cells]
            + [_value_text(row)]
            + [spreadsheet_safe(cell) for cell in trailing]
        )
    return buffer.getvalue()


def indicator_json(*, indicator: Indicator, rows: list[ExportRow]) -> str:
    document = {
        "indicator": {
            "code": indicator.code,
            "name_en": indicator.name_en,
            "name_zh": indicator.name_zh,
            "definition": indicator.definition,
            "unit": indicator.unit,
            "scale": indicator.scale,
            "frequency": indicator.frequency,
            "aggregation": indicator.aggregation,
            "direction": indicator.direction,
        },
        "source": {
            "name": indicator.source.name,
            "publisher": indicator.source.publisher,
            "url": indicator.source.url,
            "licence": indicator.source.licence,
            "attribution": indicator.source.attribution,
            "series_code": indicator.source_series_code,
        },
        "observations": [
            {
                "geography": row.geography_code,
                "period": row.period_label,
                "period_start": row.period.isoformat(),
                "value": float(row.value),
                "provisional": row.is_provisional,
                "estimated": row.is_estimated,
                "series_break": row.is_break,
                "times_revised": row.revision_count,
                "origin": row.origin,
                "vintage": row.vintage,
                "citation": row.citation,
                "note": row.note,
            }
            for row in rows
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def _bulk_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | dict):
        return spreadsheet_safe(json.dumps(value, ensure_ascii=False))
    if isinstance(value, int):
        return str(value)
    return spreadsheet_safe(str(value))


def _table_csv(table: BulkTable) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.name for column in table.columns])
    writer.writerows([_bulk_cell(value) for value in row] for row in table.rows())
    return buffer.getvalue()


def _markdown_cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def bulk_readme(*, tables: list[BulkTable], sources: list[Source]) -> str:
    """The README of the bulk zip: every table's columns, and each source's licence and attribution."""
    lines = [
        "# New Industrialization Tracker: everything published",
        "",
        "One CSV per table (UTF-8, comma-separated, CRLF line ends). A text cell that a spreadsheet would",
        "run as a formula starts with an apostrophe. Figures keep their source's licence: see Licences.",
        "",
    ]
    for table in tables:
        lines += [f"## {table.name}.csv", "", table.description, "", "| column | meaning |", "| --- | --- |"]
        lines += [f"| {column.name} | {_markdown_cell(column.description)} |" for column in table.columns]
        lines.append("")
    lines += ["## Licences", "", "| source | publisher | licence | attribution |", "| --- | --- | --- | --- |"]
    lines += [
        "| "
        + " | ".join(
            _markdown_cell(text) for text in (source.key, source.publisher, source.licence, source.attribution)
        )
        + " |"
        for source in sources
    ]
    return "\n".join(lines) + "\n"


def bulk_zip(*, tables: list[BulkTable], sources: list[Source]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.md", bulk_readme(tables=tables, sources=sources))
        for table in tables:
            archive.writestr(f"{table.name}.csv", _table_csv(table))
    return buffer.getvalue()


def bulk_download_get() -> bytes:
    """The zip of everything published, built once per data and catalog version."""
    key = f"bulk-zip:{site_generation()}"
    body = cache.get(key)
    if body is None:
        body = bulk_zip(tables=bulk_tables(), sources=list(Source.objects.order_by("key")))
        cache.set(key, body, settings.PAGE_CACHE_SECONDS)
    return body
