"""Behaviours of the progress method beyond the document's worked examples, on real series of the bundled data.

Where a test needs a target no document sets, it is marked "example input": it only steers the arithmetic.
"""

import dataclasses
import datetime

import pytest
from django.utils import translation

from indicators import progress
from indicators.progress import (
    GROWTH_KINDS,
    KINDS,
    LEVEL_KINDS,
    Point,
    SeriesSpec,
    TargetSpec,
    assess_indicator,
    commitment_status,
    method_for,
    required_path,
    rollup,
    statuses_disagree,
    trend_projection,
)
from tests.indicators.progress.real_series import catalog_indicators, real_series, series_spec_of, targets_of


def _assess(code, *, until=None, targets=None):
    points = real_series(code, until=until)
    return assess_indicator(
        points=points, spec=series_spec_of(code), targets=targets_of(code) if targets is None else targets
    )


# --- What a series measures ---------------------------------------------------------------------------


def test_every_catalog_indicator_states_a_known_kind():
    assert {row["kind"] for row in catalog_indicators()} <= KINDS


@pytest.mark.parametrize("row", catalog_indicators(), ids=lambda row: row["code"])
def test_no_growth_rate_index_or_diffusion_index_is_scored_by_compound_growth(row):
    result = _assess(row["code"])
    if row["kind"] == "share":
        assert method_for(row["kind"]) == "points_trend"
        assert result.method in ("points_trend", "target_ratio", "band", "none")
        assert "compound;" not in result.reason
    elif row["kind"] in LEVEL_KINDS:
        assert method_for(row["kind"]) == "compound_growth"
        assert result.method in ("compound_growth", "target_ratio", "band", "none")
    else:
        assert method_for(row["kind"]) in ("recent_pace", "neutral_line")
        assert result.method != "compound_growth"
        assert "compound;" not in result.reason


def test_a_diffusion_index_needs_its_neutral_line():
    with pytest.raises(ValueError, match="neutral"):
        SeriesSpec(kind="diffusion_index", direction="increase", frequency="monthly")


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="kind"):
        SeriesSpec(kind="growth", direction="increase", frequency="annual")


# --- Annual targets: the year's own figure -------------------------------------------------------------


def test_an_annual_target_is_never_judged_on_a_neighbouring_years_figure():
    """The WDI series ends in 2023: the 2024 target (T8) has no figure, and 2023's is not used for it."""
    t8 = [target for target in targets_of("wb-gdp-growth") if target.target_year == 2024]
    result = _assess("wb-gdp-growth", targets=t8)
    assert [(v.year, v.verdict, v.figure) for v in result.year_verdicts] == [(2024, "no_figure", None)]
    assert result.method != "annual_targets"
    assert "No figure yet for the years of the annual targets (2024)" in result.reason


def test_about_is_met_within_half_a_point_and_narrowly_missed_within_one():
    """2023 GDP growth 5.25: against 'about 5' met; against 'about 5.9' (example input) narrowly missed."""
    about = [TargetSpec(kind="annual", value=5.9, target_year=2023, qualifier="about")]
    assert _assess("wb-gdp-growth", targets=about).year_verdicts[0].verdict == "narrowly_missed"
    met = [TargetSpec(kind="annual", value=5.7, target_year=2023, qualifier="about")]
    assert _assess("wb-gdp-growth", targets=met).year_verdicts[0].verdict == "met"


def test_a_missed_year_with_growth_at_or_above_zero_is_stalled():
    """2022 GDP growth 2.95 against about 5.5 (T6 alone): missed, stalled."""
    t6 = [target for target in targets_of("wb-gdp-growth") if target.target_year == 2022]
    result = _assess("wb-gdp-growth", targets=t6)
    assert (result.status, result.year_verdicts[0].verdict) == ("stalled", "missed")


def test_a_fall_beyond_an_about_target_for_a_fall_is_met():
    """Energy intensity 2024: -3 against 'about -2.5': a deeper cut than the target meets it."""
    verdict = next(v for v in _assess("energy-intensity-change").year_verdicts if v.year == 2024)
    assert (verdict.verdict, verdict.shortfall) == ("met", pytest.approx(-0.5))


def test_an_annual_target_met_in_the_latest_year_is_on_track_not_achieved():
    """GDP growth met its 2023 target but missed 2022's: a year met keeps a stable-growth commitment on track."""
    result = _assess("wb-gdp-growth")
    assert (result.status, result.method, result.target_year) == ("on_track", "annual_targets", 2023)
    assert "2 of the 3 years judged met their target" in result.reason


def test_a_plan_target_reached_is_achieved():
    """Example input: R&D share 2.5 by 2025 from 2020; 2023's 2.58 reaches it, an end state."""
    target = TargetSpec(kind="level", value=2.5, target_year=2025, base_year=2020)
    assert _assess("wb-rd-expenditure-share", targets=[target]).status == "achieved"


# --- Plan targets: the base year ---------------------------------------------------------------------------


def test_a_level_target_without_base_year_starts_the_year_before_its_document():
    """Example input: R&D share 2.5 by 2025, set in 2021. The base is 2020, not the series' first year (2003)."""
    target = TargetSpec(kind="level", value=2.5, target_year=2025, set_in_year=2021)
    result = _assess("wb-rd-expenditure-share", targets=[target])
    assert result.base_period == datetime.date(2020, 1, 1)
    assert "the base is 2020" in result.reason


def test_a_base_year_without_a_figure_is_not_substituted():
    """Example input: base 1990, before the series starts (1996)."""
    target = TargetSpec(kind="level", value=2.5, target_year=2025, base_year=1990)
    result = _assess("wb-rd-expenditure-share", targets=[target])
    assert result.method == "points_trend"  # the trend decides, and says why the target could not
    assert "cannot be assessed yet: no figure for the base year 1990" in result.reason


def test_the_latest_figure_a_target_trace_shows_is_the_latest_used():
    """Example input: R&D share 3 by 2030 from 2020. The trace's latest is 2023's own figure, not the base's."""
    series = real_series("wb-rd-expenditure-share")
    target = TargetSpec(kind="level", value=3, target_year=2030, base_year=2020)
    result = _assess("wb-rd-expenditure-share", targets=[target])
    assert (result.latest_period, result.latest_value) == (series[-1].period, series[-1].value)
    assert result.base_value == next(p.value for p in series if p.period.year == 2020)


def test_a_compounded_plan_change_needs_every_year():
    result = _assess(
        "energy-intensity-change", targets=[t for t in targets_of("energy-intensity-change") if t.kind != "annual"]
    )
    assert result.method != "plan_cumulative"
    assert "needs every year's figure from 2021 (held: 2024)" in result.reason


# --- The robust trend -------------------------------------------------------------------------------------


def test_one_month_cannot_decide_a_monthly_trend():
    """Replacing the window's first month by a fifth of its value moves the median slope little."""
    series = real_series("secondary-industry-electricity-consumption-ytd")
    spec = series_spec_of("secondary-industry-electricity-consumption-ytd")
    start = series[-1].period.replace(year=series[-1].period.year - 5)
    first = next(index for index, point in enumerate(series) if point.period >= start)
    shocked = [*series[:first], dataclasses.replace(series[first], value=series[first].value / 5), *series[first + 1 :]]
    before = assess_indicator(points=series, spec=spec).actual_rate
    after = assess_indicator(points=shocked, spec=spec).actual_rate
    assert abs(after - before) < 0.005


def test_a_manufacturing_share_up_0_3_points_in_a_year_holds():
    """MIIT: 27.4% (2021) to 27.7% (2022). Judged in points, not as 1.09% compound growth; a rise does not miss a
    share held against a fall."""
    result = _assess("manufacturing-value-added-share-miit")
    assert (result.status, result.method, result.basis) == ("on_track", "points_trend", "points")
    assert result.actual_rate == pytest.approx(0.3)
    assert "+0.30 points a year" in result.reason
    assert result.threshold == "holding: no fall of 0.1 points a year or more"


def test_the_world_bank_manufacturing_share_sliding_a_quarter_point_a_year_is_slipping():
    """2019-2024: 26.3% to 24.9%, the lowest in the series; -0.28 points a year is a fall, not a share held."""
    result = _assess("wb-manufacturing-value-added-share")
    assert result.status == "stalled"
    assert result.actual_rate == pytest.approx(-0.28, abs=0.005)
    assert "slipping: falling 0.1 points to 0.5 points a year" in result.reason


def _manufacturing_share_window_status(end_year: int) -> tuple[str, float]:
    """The verdict on the World Bank share's five years to `end_year` (the staleness rule set aside)."""
    code = "wb-manufacturing-value-added-share"
    window = progress._window(real_series(code, until=datetime.date(end_year, 1, 1)))
    slope = progress._robust_slope(window, "annual", logs=False)
    return progress._share_category(series_spec_of(code), slope)[0].value, slope


@pytest.mark.parametrize("end_year", range(2015, 2021))
def test_the_2015_2020_decline_of_the_manufacturing_share_is_regressing(end_year):
    status, slope = _manufacturing_share_window_status(end_year)
    assert slope <= -0.5
    assert status == "regressing"


@pytest.mark.parametrize("end_year", [*range(2010, 2015), *range(2021, 2025)])
def test_the_slow_slides_of_the_manufacturing_share_are_slipping(end_year):
    status, slope = _manufacturing_share_window_status(end_year)
    assert -0.5 < slope <= -0.1
    assert status == "stalled"


@pytest.mark.parametrize("end_year", range(2006, 2010))
def test_the_manufacturing_share_rising_or_flat_holds(end_year):
    status, slope = _manufacturing_share_window_status(end_year)
    assert slope > -0.1
    assert status == "on_track"


def test_a_growth_rate_cannot_be_held_against_a_fall():
    with pytest.raises(ValueError, match="cannot be held"):
        progress.SeriesSpec(kind="growth_yoy", direction="hold", frequency="annual")


def test_a_share_aimed_up_states_its_trend_and_thresholds_in_points():
    result = _assess("ev-car-sales-share")
    assert result.status == "on_track"
    assert "+8.00 points a year" in result.reason
    assert "≥ 0.05 points in the desired direction" in result.reason
    assert "%" not in result.reason.split("points a year")[0]


def test_a_shares_projected_trend_is_straight_in_points():
    points, spec = real_series("wb-internet-users"), series_spec_of("wb-internet-users")
    projection = trend_projection(points=points, spec=spec, until_year=2026)
    slope = _assess("wb-internet-users").actual_rate
    assert projection[1].value - projection[0].value == pytest.approx(slope)


def test_a_peak_reason_names_the_window_it_compares_with():
    assert "than in the five years before, 2013-2018: +0.34% a year" in _assess("owid-co2-emissions").reason


# --- A growth rate's recent pace ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "year"),
    [
        ("private-industrial-enterprises-value-added-growth", 2022),
        ("manufacturing-technological-transformation-investment-growth", 2021),
        ("industrial-energy-intensity-change", 2021),
    ],
)
def test_an_annual_pace_on_one_figure_before_the_article_cannot_be_assessed(code, year):
    result = _assess(code)
    assert result.status == "not_assessable"
    assert f"figures for only 1 of the 3 years to {year} ({year}); a recent average needs 2" in result.reason
    assert f"the newest figure ({year}) predates 2023, the year before the article" in result.reason


def test_an_annual_pace_needs_two_figures_even_when_recent():
    """Example input: high-tech manufacturing growth with its 2024 figure alone."""
    code = "high-tech-manufacturing-value-added-growth"
    points = [point for point in real_series(code) if point.period.year == 2024]
    result = assess_indicator(points=points, spec=series_spec_of(code))
    assert result.status == "not_assessable"
    assert "figures for only 1 of the 3 years to 2024" in result.reason
    assert "predates" not in result.reason


def test_an_annual_pace_whose_newest_figure_predates_2023_cannot_be_assessed():
    """High-tech manufacturing growth cut at 2022: two figures (2021, 2022), but no pace of the article's years."""
    result = _assess("high-tech-manufacturing-value-added-growth", until=datetime.date(2022, 1, 1))
    assert result.status == "not_assessable"
    assert "figures for only" not in result.reason
    assert "the newest figure (2022) predates 2023" in result.reason


def test_a_quarterly_pace_needs_three_of_its_four_quarters():
    """PBOC loans to industry: 2023-Q4 and 2024-Q3 only in the four quarters to 2024-Q3."""
    result = _assess("industrial-medium-long-term-loans-growth")
    assert result.status == "not_assessable"
    assert "figures for only 2 of the 4 quarters to 2024-Q3 (2023-Q4, 2024-Q3); a recent average needs 3" in (
        result.reason
    )


def test_an_annual_pace_of_recent_years_is_judged():
    result = _assess("high-tech-manufacturing-value-added-growth")
    assert (result.status, result.method, result.years) == ("on_track", "recent_pace", (2022, 2024))


def test_a_flagged_break_in_the_window_is_named():
    result = _assess("wb-internet-users")
    assert "a break in series at 2023" in result.reason


# --- Natural limits --------------------------------------------------------------------------------------


def test_a_projected_share_stops_at_100_percent():
    """Internet users (% of population) grow about 7.5% a year: by 2035 the projection would pass 100."""
    projection = trend_projection(
        points=real_series("wb-internet-users"), spec=series_spec_of("wb-internet-users"), until_year=2035
    )
    assert max(point.value for point in projection) == 100
    assert projection[-1].value == 100
    assert projection[-1].period.year < 2035


def test_a_required_path_stops_at_the_plausible_range():
    spec = series_spec_of("wb-internet-users")
    base = real_series("wb-internet-users")[-1]
    path = required_path(base=base, target_value=120, target_year=2030, spec=spec)
    assert path[-1].value == 100


def test_growth_rates_get_no_projected_trend():
    spec = series_spec_of("wb-gdp-growth")
    assert trend_projection(points=real_series("wb-gdp-growth"), spec=spec, until_year=2030) == []


def test_growth_kinds_are_the_ones_the_method_never_compounds():
    assert {"growth_yoy", "growth_ytd", "index_prev_year_100"} == GROWTH_KINDS


def test_two_figures_for_one_period_are_refused():
    spec = series_spec_of("wb-gdp-growth")
    point = Point(datetime.date(2020, 1, 1), 2.0)
    with pytest.raises(ValueError, match="two figures"):
        assess_indicator(points=[point, point], spec=spec)


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


def test_reasons_and_thresholds_are_written_in_the_active_language():
    with translation.override("zh-hans"):
        result = _assess("manufacturing-pmi")
    assert "荣枯线" in result.reason
    assert result.threshold == "平均值在49.5至50之间"
    with translation.override("en"):
        assert "neutral line" in _assess("manufacturing-pmi").reason


def test_estimates_that_only_carry_a_figure_forward_are_not_a_trend():
    """UNIDO repeats China's 2011 medium/high-tech share every year to 2022, flagged estimated: the status rests on
    the last figure that is not a repeat, and says it is the trend before the article."""
    result = _assess("wb-medium-high-tech-manufacturing-share")
    assert result.latest_period == datetime.date(2011, 1, 1)
    assert result.before_article
