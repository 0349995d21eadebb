"""The table a chart shows in its place when JavaScript is off: the same figure JSON, read back as rows."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django import template

register = template.Library()

# How many characters of an ISO date the chart's tick format shows: "%Y" is the year, "%Y-%m" the month.
_LABEL_LENGTH = {"%Y": 4, "%Y-%m": 7}


@dataclass(frozen=True)
class FigureTable:
    columns: list[str]
    rows: list[tuple[str, list[float | None]]]


def _tabled_traces(figure: dict) -> list[dict]:
    """The traces a reader would read off the chart: named, drawn and not a fill's invisible edge."""
    return [trace for trace in figure.get("data", []) if trace.get("name") and trace.get("hoverinfo") != "skip"]


@register.filter
def figure_table(figure_json: str) -> FigureTable:
    """Rows by period, a column per trace; the names stay escaped as the figure holds them."""
    figure = json.loads(figure_json)
    length = _LABEL_LENGTH.get(figure.get("layout", {}).get("xaxis", {}).get("tickformat", ""), 10)
    traces = _tabled_traces(figure)
    cells: dict[str, dict[int, float]] = {}
    for column, trace in enumerate(traces):
        for period, value in zip(trace.get("x", []), trace.get("y", []), strict=False):
            if value is not None:
                cells.setdefault(period[:length], {})[column] = value
    rows = [(period, [cells[period].get(column) for column in range(len(traces))]) for period in sorted(cells)]
    return FigureTable(columns=[trace["name"] for trace in traces], rows=rows)
