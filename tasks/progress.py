"""The progress method: is an indicator, a commitment, a task on track? Pure functions, no ORM.

`docs/progress-method.md` states this method in plain words; each worked example there is a test in
`tests/progress/`. Change both together.
"""

import datetime
import itertools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tasks.models import STATUS_SEVERITY, ProgressStatus

ARTICLE_YEAR = 2024  # Qiushi No. 1, 2024: a status resting only on earlier years is the trend before the article.
TREND_WINDOW_YEARS = 5

# UN Statistics Division, SDG Progress Chart 2022 (CAGR ratio): CR = actual rate / required rate.
RATIO_ON_TRACK = 0.95
RATIO_PROGRESSING = 0.5
RATIO_STALLED = -0.1

# No target, compound growth (UN 2023 style as Eustat applies it: 2% and 0.5% a year), mirrored below zero.
CAGR_CLEAR = 0.02
CAGR_SLIGHT = 0.005

# No target, change in points a year, for series on a percent scale (growth rates, indices where 100 = reference).
POINTS_CLEAR = 0.5
POINTS_SLIGHT = 0.1

CAGR, POINTS = "cagr", "points"
_MONTHS = {"annual": 12, "quarterly": 3, "monthly": 1}
# Words (matched whole, case-insensitive) and signs in a unit that say the series is itself a change.
_GROWTH_UNIT_WORDS = ("y/y", "yoy", "annual %", "year on year", "year-on-year", "growth", "change")
_GROWTH_UNIT_SIGNS = ("=100", "= 100", "同比", "增长", "增速", "上年")
_GROWTH_UNIT = re.compile(
    "|".join(rf"(?<![\w/-]){re.escape(word)}(?![\w/-])" for word in _GROWTH_UNIT_WORDS)
    + "|"
    + "|".join(re.escape(sign) for sign in _GROWTH_UNIT_SIGNS),
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Point:
    period: datetime.date
    value: float


@dataclass(frozen=True)
class TargetSpec:
    kind: str  # "level" | "percent_change" | "band"
    value: float
    value_high: float | None
    base_year: int | None
    target_year: int


@dataclass(frozen=True)
class ProgressResult:
    status: str
    method: str  # "target_cagr_ratio" | "target_level_ratio" | "band" | "trend" | "level_trend" | "none"
    reason: str
    base_period: datetime.date | None
    base_value: float | None
    latest_period: datetime.date | None
    latest_value: float | None
    actual_rate: float | None
    required_rate: float | None
    ratio: float | None
    threshold: str
    years: tuple[int, ...]
    before_article: bool
    basis: str = ""  # "cagr": rates are fractions a year; "points": rates are points a year
    target_value: float | None = None  # the level the target asks for (percent_change resolved)
    target_year: int | None = None


def assess_indicator(
    *,
    points: Sequence[Point],
    frequency: str,
    aggregation: str,
    direction: str,
    target: TargetSpec | None,
    unit: str = "",
) -> ProgressResult:
    """The status of one indicator's series (one geography), with the inputs it rests on."""
    if frequency not in _MONTHS:
        raise ValueError(f"unknown frequency {frequency!r}")
    series = _clean(points)
    if target is not None and target.kind == "band":
        return _assess_band(series, frequency, target)
    if target is not None:
        return _assess_target(series, aggregation, direction, target, unit)
    return _assess_trend(series, aggregation, direction, unit)


def is_growth_figure(aggregation: str, unit: str = "") -> bool:
    """An index, or a rate whose unit says it is a change: its own growth rate means nothing."""
    return aggregation == "index" or (aggregation == "rate" and _GROWTH_UNIT.search(unit) is not None)


def commitment_status(statuses: Iterable[str]) -> str:
    """The least favourable assessable status; not_assessable only when none can be assessed."""
    given = [ProgressStatus(s) for s in statuses]
    for status in STATUS_SEVERITY:
        if status in given:
            return status.value
    return ProgressStatus.NOT_ASSESSABLE.value


def statuses_disagree(assessed: str | None, computed: str) -> bool:
    """True when the analysts' latest status and the computed one are both real statuses and differ."""
    if assessed is None:
        return False
    assessed_status, computed_status = ProgressStatus(assessed), ProgressStatus(computed)
    if ProgressStatus.NOT_ASSESSABLE in (assessed_status, computed_status):
        return False
    return assessed_status != computed_status


def rollup(statuses: Iterable[str]) -> dict[str, int]:
    """Counts per status, every status present as a key."""
    counts = {status.value: 0 for status in ProgressStatus}
    for status in statuses:
        counts[ProgressStatus(status).value] += 1
    return counts


def required_path(
    *, base: Point, target: TargetSpec, target_value: float, aggregation: str = "level", unit: str = ""
) -> list[Point]:
    """Yearly points from the base to the target by the target year, at the constant required rate."""
    if target.target_year <= base.period.year:
        return [base]
    basis = _basis(aggregation, unit, base.value, target_value)
    horizon = target.target_year - base.period.year
    path = []
    for step in range(horizon + 1):
        fraction = step / horizon
        if basis == CAGR:
            value = base.value * (target_value / base.value) ** fraction
        else:
            value = base.value + (target_value - base.value) * fraction
        path.append(Point(base.period.replace(year=base.period.year + step), value))
    return path


def trend_projection(
    *, points: Sequence[Point], frequency: str, aggregation: str, until_year: int, unit: str = ""
) -> list[Point]:
    """The recent trend (the trend window's rate) extended yearly from the latest point to `until_year`."""
    if frequency not in _MONTHS:
        raise ValueError(f"unknown frequency {frequency!r}")
    series = _clean(points)
    if not series:
        return []
    latest = series[-1]
    base = _window_base(series)
    if base is None or until_year <= latest.period.year:
        return []
    basis = _basis(aggregation, unit, base.value, latest.value)
    if not _trend_has_scale(basis, aggregation, unit):
        return []
    rate = _rate(basis, base, latest)
    projection = [latest]
    for year in range(latest.period.year + 1, until_year + 1):
        years_ahead = year - latest.period.year
        value = latest.value * (1 + rate) ** years_ahead if basis == CAGR else latest.value + rate * years_ahead
        projection.append(Point(latest.period.replace(year=year), value))
    return projection


# --- Target: level and percent_change -----------------------------------------------------------


def _assess_target(
    series: list[Point], aggregation: str, direction: str, target: TargetSpec, unit: str
) -> ProgressResult:
    usable = [p for p in series if p.period.year <= target.target_year]
    if not usable:
        return _not_assessable("no data up to the target year", series, target=target)
    latest = usable[-1]
    base = _target_base(usable, target)
    if base is None:
        why = f"no figure for the base year {target.base_year} in the same season as the latest figure"
        return _not_assessable(why, series, target=target)
    if target.kind == "percent_change":
        target_value = base.value * (1 + target.value / 100)
    elif target.kind == "level":
        target_value = target.value
    else:
        raise ValueError(f"unknown target kind {target.kind!r}")
    if latest.period <= base.period:
        return _not_assessable("no figure after the base period yet", series, target=target, base=base)

    basis = _basis(aggregation, unit, base.value, latest.value, target_value)
    method = "target_cagr_ratio" if basis == CAGR else "target_level_ratio"
    sign = _desired_sign(direction, base.value, target_value)
    common = {
        "method": method,
        "base": base,
        "latest": latest,
        "basis": basis,
        "target_value": target_value,
        "target_year": target.target_year,
    }
    passed = (
        f" The target year {target.target_year} has passed; figures after it are not used."
        if series[-1].period.year > target.target_year
        else ""
    )
    actual = _rate(basis, base, latest)
    if sign * (latest.value - target_value) > 0 or latest.value == target_value:
        return _result(
            ProgressStatus.ACHIEVED,
            threshold="latest meets target",
            reason=f"The latest figure {_fmt(latest.value)} meets the target {_fmt(target_value)}.{passed}",
            actual=actual,
            **common,
        )
    horizon = target.target_year - base.period.year
    if sign == 0 or sign * (base.value - target_value) >= 0:
        # The base already met the target (or the target asks for no change) and the latest figure does not.
        return _result(
            ProgressStatus.REGRESSING,
            threshold="fell back from the target",
            reason=f"The base figure {_fmt(base.value)} already met the target {_fmt(target_value)}; "
            f"the latest figure {_fmt(latest.value)} no longer does.{passed}",
            actual=actual,
            **common,
        )
    required = _rate(basis, base, Point(base.period.replace(year=base.period.year + horizon), target_value))
    ratio = actual / required
    status, threshold = _ratio_category(ratio)
    unit_word = "a year" if basis == CAGR else "points a year"
    reason = (
        f"Since {base.period.year} the figure moved {_fmt_rate(actual, basis)} {unit_word}; reaching "
        f"{_fmt(target_value)} by {target.target_year} needs {_fmt_rate(required, basis)} {unit_word}: "
        f"ratio {ratio:.2f} ({threshold}).{passed}"
    )
    return _result(status, threshold=threshold, reason=reason, actual=actual, required=required, ratio=ratio, **common)


def _target_base(usable: list[Point], target: TargetSpec) -> Point | None:
    latest = usable[-1]
    for point in usable:
        same_season = point.period.month == latest.period.month
        if same_season and (target.base_year is None or point.period.year == target.base_year):
            return point
    return None


def _ratio_category(ratio: float) -> tuple[ProgressStatus, str]:
    if ratio >= RATIO_ON_TRACK:
        return ProgressStatus.ON_TRACK, "ratio ≥ 0.95"
    if ratio >= RATIO_PROGRESSING:
        return ProgressStatus.PROGRESSING, "0.5 ≤ ratio < 0.95"
    if ratio >= RATIO_STALLED:
        return ProgressStatus.STALLED, "−0.1 ≤ ratio < 0.5"
    return ProgressStatus.REGRESSING, "ratio < −0.1"


def _desired_sign(direction: str, base_value: float, target_value: float) -> int:
    if direction == "increase":
        return 1
    if direction == "decrease":
        return -1
    if direction == "stable":
        return (target_value > base_value) - (target_value < base_value)
    raise ValueError(f"unknown direction {direction!r}")


# --- Target: band ---------------------------------------------------------------------------------


def _assess_band(series: list[Point], frequency: str, target: TargetSpec) -> ProgressResult:
    if target.value_high is None or target.value > target.value_high:
        raise ValueError("a band target needs value ≤ value_high")
    low, high = target.value, target.value_high
    usable = [p for p in series if p.period.year <= target.target_year]
    if not usable:
        return _not_assessable("no data up to the target year", series, target=target)
    latest = usable[-1]
    band = f"[{_fmt(low)}, {_fmt(high)}]"
    common = {"method": "band", "latest": latest, "target_year": target.target_year}
    distance = _distance_to_band(latest.value, low, high)
    if distance == 0:
        return _result(
            ProgressStatus.ON_TRACK,
            threshold=f"inside {band}",
            reason=f"The latest figure {_fmt(latest.value)} is inside the band {band}.",
            **common,
        )
    year_before = _same_season(usable, latest.period.replace(year=latest.period.year - 1))
    if year_before is not None and _distance_to_band(year_before.value, low, high) > distance:
        return _result(
            ProgressStatus.STALLED,
            threshold=f"outside {band}, closer than a year before",
            reason=f"The latest figure {_fmt(latest.value)} is outside the band {band}, but closer to it than "
            f"a year before ({_fmt(year_before.value)}).",
            base=year_before,
            **common,
        )
    before = f" (a year before: {_fmt(year_before.value)})" if year_before is not None else ""
    return _result(
        ProgressStatus.REGRESSING,
        threshold=f"outside {band}, not closer than a year before",
        reason=f"The latest figure {_fmt(latest.value)} is outside the band {band} and not closer to it "
        f"than a year before{before}.",
        base=year_before,
        **common,
    )


def _distance_to_band(value: float, low: float, high: float) -> float:
    return max(low - value, value - high, 0.0)


# --- No target: the recent trend ------------------------------------------------------------------


def _assess_trend(series: list[Point], aggregation: str, direction: str, unit: str) -> ProgressResult:
    if direction not in ("increase", "decrease", "stable"):
        raise ValueError(f"unknown direction {direction!r}")
    if len(series) < 2:
        return _not_assessable("fewer than 2 figures", series)
    latest = series[-1]
    base = _window_base(series)
    if base is None:
        return _not_assessable(
            f"no earlier figure in the same season within the last {TREND_WINDOW_YEARS} years",
            series,
        )
    basis = _basis(aggregation, unit, base.value, latest.value)
    method = "trend" if basis == CAGR else "level_trend"
    if not _trend_has_scale(basis, aggregation, unit):
        return _not_assessable(
            "a level series at or below zero has no growth rate, and without a target its change in "
            "points has no scale to judge it by",
            series,
            base=base,
            latest=latest,
        )
    rate = _rate(basis, base, latest)
    status, threshold = _trend_category(rate, basis, direction)
    unit_word = "a year" if basis == CAGR else "points a year"
    desired = {"increase": "an increase", "decrease": "a decrease", "stable": "stability"}[direction]
    reason = (
        f"From {_period_label(base)} to {_period_label(latest)} the figure moved {_fmt_rate(rate, basis)} "
        f"{unit_word}; {desired} is desired ({threshold})."
    )
    return _result(
        status, method=method, threshold=threshold, reason=reason, base=base, latest=latest, actual=rate, basis=basis
    )


def _trend_has_scale(basis: str, aggregation: str, unit: str) -> bool:
    """A level series at or below zero has neither a growth rate nor a percent scale for its change in points."""
    return basis == CAGR or aggregation == "rate" or is_growth_figure(aggregation, unit)


def _window_base(series: list[Point]) -> Point | None:
    """The earliest figure of the trend window in the latest figure's season, at least a year before it."""
    latest = series[-1]
    start = latest.period.replace(year=latest.period.year - TREND_WINDOW_YEARS)
    for point in series:
        if start <= point.period < latest.period and point.period.month == latest.period.month:
            return point
    return None


def _trend_category(rate: float, basis: str, direction: str) -> tuple[ProgressStatus, str]:
    clear, slight = (CAGR_CLEAR, CAGR_SLIGHT) if basis == CAGR else (POINTS_CLEAR, POINTS_SLIGHT)
    if basis == CAGR:
        clear_txt, slight_txt = "2%", "0.5%"
    else:
        clear_txt, slight_txt = "0.5 points", "0.1 points"
    if direction == "stable":
        size = abs(rate)
        if size < slight:
            return ProgressStatus.ON_TRACK, f"|change| < {slight_txt} a year"
        if size < clear:
            return ProgressStatus.STALLED, f"{slight_txt} ≤ |change| < {clear_txt} a year"
        return ProgressStatus.REGRESSING, f"|change| ≥ {clear_txt} a year"
    toward = rate if direction == "increase" else -rate
    if toward >= clear:
        return ProgressStatus.ON_TRACK, f"≥ {clear_txt} a year in the desired direction"
    if toward >= slight:
        return ProgressStatus.PROGRESSING, f"{slight_txt} to {clear_txt} a year in the desired direction"
    if toward > -slight:
        return ProgressStatus.STALLED, f"less than {slight_txt} a year either way"
    return ProgressStatus.REGRESSING, f"≥ {slight_txt} a year against the desired direction"


# --- Shared arithmetic ----------------------------------------------------------------------------


def _clean(points: Sequence[Point]) -> list[Point]:
    series = sorted(points, key=lambda p: p.period)
    for earlier, later in itertools.pairwise(series):
        if earlier.period == later.period:
            raise ValueError(f"two figures for {later.period.isoformat()}")
    for point in series:
        if not math.isfinite(point.value):
            raise ValueError(f"the figure for {point.period.isoformat()} is not a finite number")
    return series


def _basis(aggregation: str, unit: str, *values: float) -> str:
    if is_growth_figure(aggregation, unit) or any(v <= 0 for v in values):
        return POINTS
    return CAGR


def _years_between(base: datetime.date, latest: datetime.date) -> float:
    return ((latest.year - base.year) * 12 + latest.month - base.month) / 12


def _rate(basis: str, base: Point, latest: Point) -> float:
    years = _years_between(base.period, latest.period)
    if basis == CAGR:
        return (latest.value / base.value) ** (1 / years) - 1
    return (latest.value - base.value) / years


def _same_season(series: list[Point], period: datetime.date) -> Point | None:
    return next((p for p in series if p.period == period), None)


def _years_of(*points: Point | None) -> tuple[int, ...]:
    return tuple(sorted({p.period.year for p in points if p is not None}))


def _result(
    status: ProgressStatus,
    *,
    method: str,
    threshold: str,
    reason: str,
    latest: Point,
    base: Point | None = None,
    actual: float | None = None,
    required: float | None = None,
    ratio: float | None = None,
    basis: str = "",
    target_value: float | None = None,
    target_year: int | None = None,
) -> ProgressResult:
    years = _years_of(base, latest)
    return ProgressResult(
        status=status.value,
        method=method,
        reason=reason,
        base_period=base.period if base else None,
        base_value=base.value if base else None,
        latest_period=latest.period,
        latest_value=latest.value,
        actual_rate=actual,
        required_rate=required,
        ratio=ratio,
        threshold=threshold,
        years=years,
        before_article=max(years) < ARTICLE_YEAR,
        basis=basis,
        target_value=target_value,
        target_year=target_year,
    )


def _not_assessable(
    why: str,
    series: list[Point],
    *,
    target: TargetSpec | None = None,
    base: Point | None = None,
    latest: Point | None = None,
) -> ProgressResult:
    latest = latest or (series[-1] if series else None)
    years = _years_of(base, latest)
    return ProgressResult(
        status=ProgressStatus.NOT_ASSESSABLE.value,
        method="none",
        reason=f"Cannot be assessed yet: {why}.",
        base_period=base.period if base else None,
        base_value=base.value if base else None,
        latest_period=latest.period if latest else None,
        latest_value=latest.value if latest else None,
        actual_rate=None,
        required_rate=None,
        ratio=None,
        threshold="",
        years=years,
        before_article=bool(years) and max(years) < ARTICLE_YEAR,
        target_year=target.target_year if target else None,
    )


def _fmt(value: float) -> str:
    return f"{value:,.4g}" if abs(value) >= 1e-3 or value == 0 else f"{value:.3g}"


def _fmt_rate(rate: float, basis: str) -> str:
    return f"{rate:+.2%}" if basis == CAGR else f"{rate:+.3g}"


def _period_label(point: Point) -> str:
    if point.period.month == 1:
        return str(point.period.year)
    return f"{point.period.year}-{point.period.month:02d}"
