"""Early warnings on monthly and quarterly indicators: pure functions over a series, no database.

Task 1 of the article asks for "monitoring, forecasting, and early warning for industrial activity". Each
rule below names the figures that tripped it; docs/early-warnings.md states the rules in plain words.
Annual indicators move too slowly for a warning and are never evaluated.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from indicators import periods
from indicators.progress import Point

FREQUENCIES = (periods.MONTHLY, periods.QUARTERLY)
RUN_LENGTH = 3  # figures in a row
WINDOW_MONTHS = 36  # the history a figure is compared with
DEVIATIONS = 2.0  # standard deviations below that history's mean

BELOW_NEUTRAL = "below-neutral-line"
BELOW_TARGET = "below-annual-target"
FAR_BELOW_MEAN = "far-below-mean"


@dataclass(frozen=True)
class EarlyWarning:
    rule: str
    message: str
    figures: tuple[Point, ...]


def _consecutive(points: Sequence[Point], frequency: str) -> bool:
    """No period is missing between these figures."""
    return all(periods.next_period(a.period, frequency) == b.period for a, b in itertools.pairwise(points))


def _latest_run(points: Sequence[Point], frequency: str) -> tuple[Point, ...] | None:
    run = tuple(points[-RUN_LENGTH:])
    return run if len(run) == RUN_LENGTH and _consecutive(run, frequency) else None


def _figures_text(figures: Sequence[Point], frequency: str) -> str:
    return ", ".join(f"{periods.format_period(point.period, frequency)}: {point.value:g}" for point in figures)


def _run_below(
    points: Sequence[Point], frequency: str, line: float, *, rule: str, line_name: str
) -> EarlyWarning | None:
    """The latest figures under `line` for RUN_LENGTH periods running, none missing between them."""
    run = _latest_run(points, frequency)
    if run is None or not all(point.value < line for point in run):
        return None
    return EarlyWarning(
        rule=rule,
        message=f"Below {line_name} of {line:g} for {RUN_LENGTH} periods running ({_figures_text(run, frequency)}).",
        figures=run,
    )


def below_neutral_line(points: Sequence[Point], frequency: str, neutral_value: float) -> EarlyWarning | None:
    """A diffusion index (a PMI) under its neutral line for three periods running: activity is contracting."""
    return _run_below(points, frequency, neutral_value, rule=BELOW_NEUTRAL, line_name="the neutral line")


def below_annual_target(points: Sequence[Point], frequency: str, target_value: float) -> EarlyWarning | None:
    """A growth rate under the year's target for three periods running."""
    return _run_below(points, frequency, target_value, rule=BELOW_TARGET, line_name="the annual target")


def far_below_mean(points: Sequence[Point], frequency: str) -> EarlyWarning | None:
    """The latest figure more than two standard deviations below the mean of the 36 months before it."""
    window_length = WINDOW_MONTHS // periods.MONTHS_PER_PERIOD[frequency]
    if len(points) < window_length + 1:
        return None
    latest = points[-1]
    window = [point.value for point in points[-window_length - 1 : -1]]
    if not _consecutive(points[-window_length - 1 :], frequency):
        return None
    mean, deviation = statistics.fmean(window), statistics.stdev(window)
    if deviation == 0 or latest.value >= mean - DEVIATIONS * deviation:
        return None
    return EarlyWarning(
        rule=FAR_BELOW_MEAN,
        message=f"{periods.format_period(latest.period, frequency)}: {latest.value:g}, more than {DEVIATIONS:g} "
        f"standard deviations ({deviation:.3g}) below the mean of the {WINDOW_MONTHS} months before it ({mean:.4g}).",
        figures=(latest,),
    )


def early_warnings(
    *,
    points: Sequence[Point],
    frequency: str,
    direction: str,
    neutral_value: float | None = None,
    target_value: float | None = None,
    target_year: int | None = None,
) -> list[EarlyWarning]:
    """Every rule the series trips. Only for monthly and quarterly series whose desired direction is up.

    `target_value` is a level target for `target_year` (a growth rate the plan asks for); it is compared
    only with figures of that year.
    """
    if frequency not in FREQUENCIES or direction != "increase" or not points:
        return []
    found = []
    if neutral_value is not None:
        found.append(below_neutral_line(points, frequency, neutral_value))
    if target_value is not None and target_year is not None:
        this_year = [point for point in points if point.period.year == target_year]
        found.append(below_annual_target(this_year, frequency, target_value))
    found.append(far_below_mean(points, frequency))
    return [warning for warning in found if warning is not None]
