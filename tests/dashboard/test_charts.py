"""Figure builders: worked examples, no database and no browser."""

import datetime
import json

from indicators import charts

SCRIPT = "<script>alert(1)</script>"
YEARS = [datetime.date(year, 1, 1) for year in (2020, 2021, 2022)]


def _figure(**overrides):
    arguments = {
        "title": "Test indicator",
        "unit": "% of GDP",
        "source": "Test source",
        "frequency": "annual",
        "series": [charts.Series(name="China", periods=YEARS, values=[1.0, 2.0, 3.0], revised=[False, True, False])],
        "overlay": charts.TargetOverlay(),
    }
    return json.loads(charts.indicator_figure(**{**arguments, **overrides}))


def test_every_figure_has_a_title_an_axis_unit_and_its_source():
    figure = _figure()
    assert figure["layout"]["title"]["text"] == "Test indicator"
    # The unit sits level above the axis (a rotated axis title ran into wrapped titles); the source is the subtitle.
    assert figure["layout"]["annotations"][0]["text"] == "% of GDP"
    assert "title" not in figure["layout"]["yaxis"]
    assert figure["layout"]["title"]["subtitle"]["text"] == "Source: Test source"


def test_typed_text_is_escaped_before_it_reaches_the_figure():
    raw = charts.indicator_figure(
        title=SCRIPT,
        unit=SCRIPT,
        source=SCRIPT,
        frequency="annual",
        series=[charts.Series(name=SCRIPT, periods=YEARS, values=[1, 2, 3], revised=[False] * 3)],
        overlay=charts.TargetOverlay(),
    )
    assert "<script" not in raw
    assert "</" not in raw  # safe inside a <script type="application/json"> block
    figure = json.loads(raw)
    assert figure["layout"]["title"]["text"] == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert figure["data"][0]["name"] == "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_revised_figures_are_marked():
    trace = _figure()["data"][0]
    assert trace["marker"]["symbol"] == ["circle", "diamond-open", "circle"]


def test_the_overlay_draws_baseline_target_required_path_and_projection():
    overlay = charts.TargetOverlay(
        base_period=YEARS[0],
        base_value=1.0,
        target_period=datetime.date(2025, 1, 1),
        target_value=5.0,
        required_periods=[YEARS[0], datetime.date(2025, 1, 1)],
        required_values=[1.0, 5.0],
        projection_periods=[YEARS[-1], datetime.date(2025, 1, 1)],
        projection_values=[3.0, 4.0],
    )
    names = [trace["name"] for trace in _figure(overlay=overlay)["data"]]
    assert names == ["China", "Path required to reach the target", "Current trend, projected", "Baseline", "Target"]


def test_a_band_target_is_drawn_as_a_shaded_band():
    overlay = charts.TargetOverlay(
        base_period=YEARS[0], target_period=datetime.date(2025, 1, 1), base_value=1.0, band=(2.0, 3.0)
    )
    traces = _figure(overlay=overlay)["data"]
    band = next(trace for trace in traces if trace.get("name") == "Target band")
    assert band["fill"] == "tonexty"
    assert band["y"] == [3.0, 3.0]


def test_the_compact_figure_marks_a_level_target():
    figure = json.loads(
        charts.compact_figure(
            title="R&D test",
            unit="% of GDP",
            source="Test source",
            periods=YEARS,
            values=[1.0, 2.0, 3.0],
            frequency="annual",
            target_year=2025,
            target_value=4.0,
        )
    )
    assert [trace["name"] for trace in figure["data"]] == ["R&amp;D test", "Target"]
    assert figure["data"][1]["x"] == ["2025-01-01"]
