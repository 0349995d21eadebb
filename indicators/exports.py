"""Downloads of an indicator's figures as CSV and JSON.

The CSV is safe to open in a spreadsheet: a text cell that begins with =, +, -, @, tab or carriage
return is prefixed with an apostrophe so it is read as text, not run as a formula. The value column is
a number we format ourselves, so a negative figure stays a number.
"""

from __future__ import annotations

import csv
import io
import json

from indicators.models import Indicator
from indicators.selectors import ExportRow

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = [
    "indicator",
    "geography",
    "geography_name",
    "period",
    "value",
    "unit",
    "provisional",
    "estimated",
    "series_break",
    "times_revised",
    "origin",
    "vintage",
    "citation",
    "note",
]


def spreadsheet_safe(text: str) -> str:
    """Text a spreadsheet shows as typed, never evaluates."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


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
