"""Behaviours of the progress method beyond the document's worked examples.

Series values are real figures from the team's shared data (named per constant). Targets marked "example input"
are not targets of any document: they only steer the arithmetic into the branch under test.
"""

import datetime

import pytest

from tasks.models import ProgressStatus
from tasks.progress import (
    Point,
    TargetSpec,
    assess_indicator,
    commitment_status,
    is_growth_figure,
    required_path,
    rollup,
    statuses_disagree,
    trend_projection,
)

# World Bank WDI GB.XPD.RSDV.GD.ZS (R&D, % of GDP), China, wdi_china_2003-2023_frankenstein_v2025.csv
RD_SHARE = {
    2006: 1.36854004859924,
    2010: 1.7137199640274,
    2017: 2.11602997779846,
    2020: 2.40666007995605,
    2022: 2.55518007278442,
}
# NBS manufacturing PMI via akshare (akshare_china_pmi_monthly_2008-01_2025-05.csv)
PMI = {(2020, 5): 50.6, (2025, 4): 49.0, (2025, 5): 49.5}
# World Bank WDI EG.EGY.PRIM.PP.KD (MJ/$2017 PPP GDP), China, wdi_china_2003-2023_frankenstein_v2025.csv
ENERGY_INTENSITY = {2019: 6.33, 2020: 6.4, 2021: 6.3}
# NBS GDP growth, cumulative by quarter, % y/y, via akshare (akshare_china_gdp_quarterly_by_sector_2006Q1-2025Q1.csv)
GDP_GROWTH_Q1 = {2020: -6.8, 2025: 5.4}


def annual(values: dict[int, float]) -> list[Point]:
    return [Point(datetime.date(year, 1, 1), value) for year, value in values.items()]


def monthly(values: dict[tuple[int, int], float]) -> list[Point]:
    return [Point(datetime.date(year, month, 1), value) for (year, month), value in values.items()]


def assess(points, *, target=None, frequency="annual", aggregation="level", direction="increase", unit=""):
    return assess_indicator(
        points=points, frequency=frequency, aggregation=aggregation, direction=direction, target=target, unit=unit
    )


# --- Targets ------------------------------------------------------------------------------------------


def test_ratio_at_or_above_095_is_on_track():
    # Example input: 1.8% of GDP by 2011, from 2006.
    result = assess(
        annual({2006: RD_SHARE[2006], 2010: RD_SHARE[2010]}), target=TargetSpec("level", 1.8, None, 2006, 2011)
    )
    assert result.status == ProgressStatus.ON_TRACK
    assert result.ratio == pytest.approx(1.03, abs=0.005)
    assert result.threshold == "ratio ≥ 0.95"


def test_ratio_between_minus_01_and_05_is_stalled():
    # Example input: a 13.5% cut from 2019 by 2025.
    target = TargetSpec("percent_change", -13.5, None, 2019, 2025)
    result = assess(annual({2019: 6.33, 2021: 6.3}), target=target, direction="decrease")
    assert result.status == ProgressStatus.STALLED
    assert result.ratio == pytest.approx(0.099, abs=0.0005)
    assert result.threshold == "−0.1 ≤ ratio < 0.5"


def test_growth_figure_with_target_compares_points_a_year():
    # Example input: PMI 52 by 2027, from May 2020.
    result = assess(
        monthly(PMI), target=TargetSpec("level", 52, None, 2020, 2027), frequency="monthly", aggregation="index"
    )
    assert result.method == "target_level_ratio"
    assert result.basis == "points"
    assert result.base_period == datetime.date(2020, 5, 1)
    assert result.actual_rate == pytest.approx(-0.22)
    assert result.required_rate == pytest.approx(0.2)
    assert result.status == ProgressStatus.REGRESSING
    assert result.threshold == "ratio < −0.1"


def test_base_already_past_target_then_falling_back_is_regressing():
    # Example input: PMI 50 by 2027 from 2020; May 2020 was already above it, May 2025 is below.
    result = assess(
        monthly(PMI), target=TargetSpec("level", 50, None, 2020, 2027), frequency="monthly", aggregation="index"
    )
    assert result.status == ProgressStatus.REGRESSING
    assert result.threshold == "fell back from the target"


def test_figures_after_the_target_year_are_not_used_and_the_reason_says_so():
    result = assess(annual(RD_SHARE), target=TargetSpec("level", 2.5, None, 2006, 2020), aggregation="rate")
    assert result.latest_period == datetime.date(2020, 1, 1)
    assert "The target year 2020 has passed" in result.reason


def test_level_target_without_base_year_starts_from_the_earliest_figure():
    result = assess(annual(RD_SHARE), target=TargetSpec("level", 2.5, None, None, 2020), aggregation="rate")
    assert result.base_period == datetime.date(2006, 1, 1)


def test_level_target_without_base_year_compares_like_seasons():
    result = assess(
        monthly({(2020, 2): 35.7, **PMI}),
        target=TargetSpec("level", 52, None, None, 2027),
        frequency="monthly",
        aggregation="index",
    )
    assert result.base_period == datetime.date(2020, 5, 1)


def test_result_carries_target_level_and_year():
    result = assess(
        annual(ENERGY_INTENSITY), target=TargetSpec("percent_change", -13.5, None, 2020, 2025), direction="decrease"
    )
    assert result.target_value == pytest.approx(6.4 * 0.865)
    assert result.target_year == 2025


def test_no_figure_after_the_base_cannot_be_assessed():
    result = assess(annual({2020: 6.4}), target=TargetSpec("percent_change", -13.5, None, 2020, 2025))
    assert result.status == ProgressStatus.NOT_ASSESSABLE
    assert "no figure after the base period" in result.reason


def test_band_needs_ordered_ends():
    with pytest.raises(ValueError, match="value ≤ value_high"):
        assess(monthly(PMI), target=TargetSpec("band", 49, None, None, 2025), frequency="monthly")


# --- No target --------------------------------------------------------------------------------------


def test_rate_with_growth_unit_crossing_zero_is_judged_in_points():
    points = [Point(datetime.date(year, 1, 1), value) for year, value in GDP_GROWTH_Q1.items()]
    result = assess(points, frequency="quarterly", aggregation="rate", unit="% y/y")
    assert result.method == "level_trend"
    assert result.actual_rate == pytest.approx(2.44)
    assert result.status == ProgressStatus.ON_TRACK


def test_level_series_at_or_below_zero_without_target_cannot_be_assessed():
    points = [Point(datetime.date(year, 1, 1), value) for year, value in GDP_GROWTH_Q1.items()]
    result = assess(points, frequency="quarterly", aggregation="level")
    assert result.status == ProgressStatus.NOT_ASSESSABLE
    assert "at or below zero" in result.reason


def test_stable_direction_drifting_a_little_is_stalled():
    result = assess(monthly(PMI), frequency="monthly", aggregation="index", direction="stable")
    assert result.status == ProgressStatus.STALLED
    assert result.threshold == "0.1 points ≤ |change| < 0.5 points a year"


def test_no_figures_at_all_cannot_be_assessed_and_rests_on_no_year():
    result = assess([])
    assert result.status == ProgressStatus.NOT_ASSESSABLE
    assert result.method == "none"
    assert result.years == ()
    assert result.before_article is False


def test_two_figures_for_one_period_are_refused():
    with pytest.raises(ValueError, match="two figures"):
        assess(annual({2020: 6.4}) + annual({2020: 6.3}))


def test_unknown_frequency_is_refused():
    with pytest.raises(ValueError, match="unknown frequency"):
        assess(annual(ENERGY_INTENSITY), frequency="weekly")


def test_points_are_sorted_before_use():
    result = assess(list(reversed(annual(ENERGY_INTENSITY))), direction="decrease")
    assert result.latest_period == datetime.date(2021, 1, 1)


def test_a_status_resting_on_2024_or_later_is_not_before_the_article():
    result = assess(monthly(PMI), frequency="monthly", aggregation="index")
    assert result.years == (2020, 2025)
    assert result.before_article is False


@pytest.mark.parametrize(
    ("aggregation", "unit", "expected"),
    [
        ("index", "", True),
        ("rate", "annual %", True),
        ("rate", "% y/y", True),
        ("rate", "同比增长 %", True),
        ("rate", "% of GDP", False),
        ("rate", "% change", True),
        ("rate", "Growth rate, %", True),
        ("rate", "CNY per USD (exchange rate)", False),
        ("rate", "index, same period last year=100", True),
        ("level", "annual %", False),
    ],
)
def test_growth_figures_are_recognised_by_aggregation_and_unit(aggregation, unit, expected):
    assert is_growth_figure(aggregation, unit) is expected


# --- Commitments and tasks ----------------------------------------------------------------------------


def test_commitment_takes_the_least_favourable_assessable_status():
    assert commitment_status(["on_track", "not_assessable", "stalled", "achieved"]) == "stalled"


def test_commitment_is_not_assessable_only_when_no_indicator_is():
    assert commitment_status(["not_assessable", "not_assessable"]) == "not_assessable"
    assert commitment_status([]) == "not_assessable"


def test_commitment_refuses_an_unknown_status():
    with pytest.raises(ValueError):
        commitment_status(["fine"])


@pytest.mark.parametrize(
    ("assessed", "computed", "disagree"),
    [
        (None, "on_track", False),
        ("on_track", "on_track", False),
        ("on_track", "stalled", True),
        ("achieved", "on_track", True),
        ("not_assessable", "stalled", False),
        ("stalled", "not_assessable", False),
    ],
)
def test_statuses_disagree_only_when_both_are_real_and_differ(assessed, computed, disagree):
    assert statuses_disagree(assessed, computed) is disagree


def test_rollup_counts_every_status_including_zeros():
    counts = rollup(["stalled", "on_track", "stalled", "not_assessable"])
    assert counts == {
        "achieved": 0,
        "on_track": 1,
        "progressing": 0,
        "stalled": 2,
        "regressing": 0,
        "not_assessable": 1,
    }


# --- Chart helpers --------------------------------------------------------------------------------------


def test_required_path_compounds_yearly_from_base_to_target():
    base = Point(datetime.date(2006, 1, 1), RD_SHARE[2006])
    path = required_path(base=base, target=TargetSpec("level", 2.5, None, 2006, 2020), target_value=2.5)
    assert [p.period.year for p in path] == list(range(2006, 2021))
    assert path[0] == base
    assert path[-1].value == pytest.approx(2.5)
    assert path[7].value == pytest.approx(RD_SHARE[2006] * (2.5 / RD_SHARE[2006]) ** 0.5)


def test_required_path_is_a_straight_line_for_growth_figures():
    base = Point(datetime.date(2020, 5, 1), 50.6)
    path = required_path(
        base=base, target=TargetSpec("level", 52, None, 2020, 2027), target_value=52, aggregation="index"
    )
    assert path[-1].period == datetime.date(2027, 5, 1)
    assert path[1].value == pytest.approx(50.8)


def test_trend_projection_extends_the_window_rate_to_the_year():
    projection = trend_projection(points=annual(RD_SHARE), frequency="annual", aggregation="rate", until_year=2025)
    rate = (RD_SHARE[2022] / RD_SHARE[2017]) ** (1 / 5) - 1
    assert [p.period.year for p in projection] == [2022, 2023, 2024, 2025]
    assert projection[3].value == pytest.approx(RD_SHARE[2022] * (1 + rate) ** 3)


def test_trend_projection_is_empty_without_a_trend():
    assert trend_projection(points=annual({2022: 2.555}), frequency="annual", aggregation="rate", until_year=2025) == []


def test_trend_projection_is_empty_for_a_level_series_at_or_below_zero():
    points = [Point(datetime.date(year, 1, 1), value) for year, value in GDP_GROWTH_Q1.items()]
    assert trend_projection(points=points, frequency="quarterly", aggregation="level", until_year=2030) == []
