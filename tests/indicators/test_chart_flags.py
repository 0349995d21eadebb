"""Analysts' flags are drawn on the chart with their own markers and named in the legend."""

import datetime
import json

from indicators import charts


def _traces(flags):
    series = charts.Series(
        name="China",
        periods=[datetime.date(2023, 1, 1), datetime.date(2024, 1, 1), datetime.date(2025, 1, 1)],
        values=[8830.0, 9111.0, 8594.0],
        revised=[False, True, False],
        emphasised=True,
        flags=flags,
    )
    drawn = charts.indicator_figure(
        title="Crude steel output",
        unit="10k tonnes",
        source="NBS",
        frequency="annual",
        series=[series],
        overlay=charts.TargetOverlay(),
    )
    return json.loads(drawn)["data"]


def test_flagged_figures_get_their_own_marker_and_a_legend_entry():
    traces = _traces(["break", "", "provisional"])

    assert list(traces[0]["marker"]["symbol"]) == ["triangle-up", "diamond-open", "circle-open"]
    assert [trace["name"] for trace in traces[1:]] == [
        "Triangle: a break in series begins",
        "Open circle: provisional figure",
    ]


def test_a_chart_without_flags_adds_no_legend_entry():
    traces = _traces(["", "", ""])

    assert len(traces) == 1
