"""A chart's figures read back as a table (shown in its place without JavaScript), and year-to-date breaks."""

import datetime
import json

from indicators import charts
from indicators.templatetags.chart_tables import figure_table


def _compact(**kwargs) -> str:
    return charts.compact_figure(
        title="Output <b>", unit="%", source="S", frequency="annual", **{"periods": [], "values": [], **kwargs}
    )


def test_the_table_has_a_row_per_period_and_a_column_per_trace():
    figure = _compact(
        periods=[datetime.date(2020, 1, 1), datetime.date(2021, 1, 1)],
        values=[1.5, 2.5],
        target_year=2025,
        target_value=4.0,
    )
    table = figure_table(figure)
    assert table.columns == ["Output &lt;b&gt;", "Target"]
    assert table.rows == [("2020", [1.5, None]), ("2021", [2.5, None]), ("2025", [None, 4.0])]


def test_a_year_to_date_series_has_a_gap_before_each_january_and_no_gap_row_in_its_table():
    months = [datetime.date(2023, 11, 1), datetime.date(2023, 12, 1), datetime.date(2024, 1, 1)]
    figure = charts.compact_figure(
        title="t", unit="u", source="s", frequency="monthly", periods=months, values=[1, 2, 3], year_to_date=True
    )
    assert json.loads(figure)["data"][0]["y"] == [1, 2, None, 3]
    assert [period for period, _ in figure_table(figure).rows] == ["2023-11", "2023-12", "2024-01"]


def test_a_card_figure_leaves_its_source_to_the_caption_and_sets_the_unit_level():
    layout = json.loads(_compact())["layout"]
    assert [annotation["text"] for annotation in layout["annotations"]] == ["%"]
    assert "title" not in layout["yaxis"]


def test_a_neutral_value_is_drawn_as_a_labelled_horizontal_line_and_none_draws_nothing():
    pmi = json.loads(_compact(periods=[datetime.date(2024, 1, 1)], values=[49.1], neutral_value=50.0))["layout"]
    assert [(shape["y0"], shape["y1"], shape["xref"]) for shape in pmi["shapes"]] == [(50.0, 50.0, "x domain")]
    assert "Neutral line 50" in [annotation["text"] for annotation in pmi["annotations"]]
    assert "shapes" not in json.loads(_compact())["layout"]
