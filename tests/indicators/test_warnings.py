"""Early warnings: worked examples of each rule, and the banner and feed entry they raise."""

import datetime
from decimal import Decimal

import pytest

from indicators import warnings
from indicators.models import Indicator, Observation, Target
from indicators.progress import Point
from tests.factories import (
    CommitmentFactory,
    CommitmentIndicatorFactory,
    GeographyFactory,
    IndicatorFactory,
    ObservationFactory,
    TargetFactory,
    TaskFactory,
)

# A PMI's neutral line, as the test's fixture states it; the code never assumes it.
PMI_NEUTRAL = 50.0


def monthly(values: list[float], first: datetime.date = datetime.date(2024, 1, 1)) -> list[Point]:
    points = []
    for index, value in enumerate(values):
        month = first.month - 1 + index
        points.append(Point(period=datetime.date(first.year + month // 12, month % 12 + 1, 1), value=value))
    return points


def test_three_months_below_the_neutral_line_trip_the_pmi_rule():
    warning = warnings.below_neutral_line(monthly([50.2, 49.5, 49.1, 49.8]), "monthly", PMI_NEUTRAL)
    assert warning.rule == warnings.BELOW_NEUTRAL
    assert [point.value for point in warning.figures] == [49.5, 49.1, 49.8]
    assert "2024-02: 49.5, 2024-03: 49.1, 2024-04: 49.8" in warning.message
    assert "neutral line of 50" in warning.message


def test_two_months_below_the_neutral_line_are_not_a_warning():
    assert warnings.below_neutral_line(monthly([49.0, 50.1, 49.5, 49.1]), "monthly", PMI_NEUTRAL) is None


def test_a_missing_month_breaks_the_run():
    points = [*monthly([49.5, 49.1]), Point(period=datetime.date(2024, 4, 1), value=49.0)]
    assert warnings.below_neutral_line(points, "monthly", PMI_NEUTRAL) is None


def test_three_quarters_below_the_years_target_trip_the_target_rule():
    quarters = [Point(datetime.date(2025, month, 1), value) for month, value in ((1, 4.8), (4, 4.6), (7, 4.9))]
    warning = warnings.below_annual_target(quarters, "quarterly", 5.0)
    assert warning.rule == warnings.BELOW_TARGET
    assert "2025-Q1: 4.8, 2025-Q2: 4.6, 2025-Q3: 4.9" in warning.message


def test_a_figure_two_deviations_under_its_36_month_mean_trips_the_mean_rule():
    history = [10.0, 12.0] * 18  # mean 11, sample deviation about 1.01
    warning = warnings.far_below_mean(monthly([*history, 8.9]), "monthly")
    assert warning.rule == warnings.FAR_BELOW_MEAN
    assert warning.figures[0].value == 8.9
    assert "mean of the 36 months before it (11)" in warning.message


def test_a_figure_within_two_deviations_is_not_a_warning():
    assert warnings.far_below_mean(monthly([*[10.0, 12.0] * 18, 9.1]), "monthly") is None


def test_a_series_shorter_than_the_window_is_not_checked():
    assert warnings.far_below_mean(monthly([10.0, 12.0] * 10 + [1.0]), "monthly") is None


def test_a_quarterly_series_is_compared_with_its_12_quarters_before():
    quarters = [Point(datetime.date(2020 + n // 4, n % 4 * 3 + 1, 1), 10.0 + n % 2 * 2) for n in range(12)]
    quarters.append(Point(datetime.date(2023, 1, 1), 8.0))
    assert warnings.far_below_mean(quarters, "quarterly").rule == warnings.FAR_BELOW_MEAN


@pytest.mark.parametrize(("frequency", "direction"), [("annual", "increase"), ("monthly", "decrease")])
def test_annual_series_and_other_directions_are_never_warned(frequency, direction):
    points = monthly([49.0, 48.0, 47.0])
    assert warnings.early_warnings(points=points, frequency=frequency, direction=direction, neutral_value=50) == []


def test_without_a_neutral_value_the_pmi_rule_is_not_applied():
    assert warnings.early_warnings(points=monthly([49.0, 48.0, 47.0]), frequency="monthly", direction="increase") == []


def test_the_target_rule_compares_only_figures_of_the_targets_year():
    points = monthly([4.0, 4.0, 4.0, 6.0], first=datetime.date(2024, 10, 1))  # Oct-Dec 2024 below, Jan 2025 above
    found = warnings.early_warnings(
        points=points, frequency="monthly", direction="increase", target_value=5.0, target_year=2025
    )
    assert found == []


@pytest.fixture
def industrial_growth(db):
    """Monthly growth of industrial value added against a 5% target for 2025, three months under it."""
    china = GeographyFactory(code="CHN")
    indicator = IndicatorFactory(
        code="industry-growth",
        unit="%",
        frequency=Indicator.Frequency.MONTHLY,
        aggregation=Indicator.Aggregation.RATE,
        kind=Indicator.Kind.GROWTH_YOY,
        direction=Indicator.Direction.INCREASE,
    )
    TargetFactory(
        indicator=indicator,
        geography=china,
        kind=Target.Kind.ANNUAL,
        value=Decimal("5"),
        base_year=None,
        target_year=2025,
    )
    for month, value in ((6, "5.2"), (7, "4.9"), (8, "4.7"), (9, "4.8")):
        ObservationFactory(indicator=indicator, geography=china, period=datetime.date(2025, month, 1), value=value)
    return indicator


def test_the_indicator_page_shows_the_warning_with_its_rule_and_figures(client, industrial_growth):
    html = client.get("/indicators/industry-growth/").content.decode()
    assert 'data-rule="below-annual-target"' in html
    assert "2025-07: 4.9, 2025-08: 4.7, 2025-09: 4.8" in html
    assert 'href="/method/early-warnings/#below-annual-target"' in html


def test_a_withdrawn_figure_lifts_the_warning(client, industrial_growth):
    Observation.objects.filter(period=datetime.date(2025, 8, 1)).update(
        withdrawn_by_source_at=datetime.datetime.now(datetime.UTC)
    )
    assert "data-rule=" not in client.get("/indicators/industry-growth/").content.decode()


def test_the_feed_carries_the_warning(client, industrial_growth):
    body = client.get("/feeds/changes/").content.decode()
    assert "Early warning: Indicator industry-growth" in body
    assert "below-annual-target: Below the annual target of 5" in body


@pytest.fixture
def pmi(db):
    """A manufacturing PMI under its neutral line (the fixture's 50) for the last three months."""
    china = GeographyFactory(code="CHN")
    indicator = IndicatorFactory(
        code="manufacturing-pmi",
        unit="index",
        frequency=Indicator.Frequency.MONTHLY,
        aggregation=Indicator.Aggregation.INDEX,
        kind=Indicator.Kind.DIFFUSION_INDEX,
        neutral_value=Decimal(PMI_NEUTRAL),
        direction=Indicator.Direction.INCREASE,
    )
    for month, value in ((3, "50.5"), (4, "49.0"), (5, "49.5"), (6, "49.7")):
        ObservationFactory(indicator=indicator, geography=china, period=datetime.date(2025, month, 1), value=value)
    return indicator


def test_the_pmi_page_warns_of_three_months_under_its_neutral_line(client, pmi):
    html = client.get("/indicators/manufacturing-pmi/").content.decode()
    assert 'data-rule="below-neutral-line"' in html
    assert "Below the neutral line of 50 for 3 periods running (2025-04: 49, 2025-05: 49.5, 2025-06: 49.7)" in html


def test_a_pmi_back_above_its_line_lifts_the_warning(client, pmi):
    Observation.objects.filter(period=datetime.date(2025, 6, 1)).update(value=Decimal("50.1"))
    assert "data-rule=" not in client.get("/indicators/manufacturing-pmi/").content.decode()


def test_the_rules_page_states_each_rule(client, db):
    html = client.get("/method/early-warnings/").content.decode()
    for rule in (warnings.BELOW_NEUTRAL, warnings.BELOW_TARGET, warnings.FAR_BELOW_MEAN):
        assert f'id="{rule}"' in html


def test_the_task_page_shows_the_warnings_of_its_indicators(client, pmi):
    commitment = CommitmentFactory(task=TaskFactory(number=1))
    CommitmentIndicatorFactory(commitment=commitment, indicator=pmi)
    html = client.get("/tasks/1/").content.decode()
    assert 'data-rule="below-neutral-line"' in html
    assert 'href="/indicators/manufacturing-pmi/"' in html
