"""The progress method: is an indicator, a commitment, a task on track? Pure functions, no ORM.

`docs/progress-method.md` states this method in plain words; each worked example there is a test in
`tests/progress/`, run on a real series of the bundled data. Change both together.

What a series measures (its `kind`) chooses the arithmetic: levels, shares and counts by compound growth;
growth rates and indices by their recent average in points, or year by year against an annual target;
a diffusion index against its neutral line. Nothing that is itself a rate of change is compounded.
"""

import datetime
import itertools
import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from tasks.models import STATUS_SEVERITY, ProgressStatus

ARTICLE_YEAR = 2024  # Qiushi No. 1, 2024: a status resting only on earlier years is the trend before the article.
TREND_WINDOW_YEARS = 5
# Years whose figures are known to break a trend: a window that reaches into one says so in its reason.
BREAK_YEARS = {2020: "the COVID-19 shock"}

# UN Statistics Division, SDG Progress Chart (CAGR ratio): CR = actual rate / required rate.
RATIO_ON_TRACK = 0.95
RATIO_PROGRESSING = 0.5
RATIO_STALLED = -0.1

# No target, compound growth (UN 2023 style as Eustat applies it: 2% and 0.5% a year), mirrored below zero.
CAGR_CLEAR = 0.02
CAGR_SLIGHT = 0.005
# No target, a growth rate's recent average: the same thresholds in points, since a growth rate's average is the
# compound growth of the level it describes.
PACE_CLEAR = 2.0
PACE_SLIGHT = 0.5
# A diffusion index: half a point either side of its neutral line is "marginal".
NEUTRAL_MARGIN = 0.5
# Annual targets: "about x" (左右) counts as met within half a point of x (the reports state growth targets in
# steps of half a point); a miss by at most half a point more is "narrowly missed".
ABOUT_TOLERANCE = 0.5
NARROW_MARGIN = 0.5

CAGR, POINTS = "cagr", "points"
LEVEL_KINDS = frozenset({"level", "share", "count"})
GROWTH_KINDS = frozenset({"growth_yoy", "growth_ytd", "index_prev_year_100"})
DIFFUSION_KINDS = frozenset({"diffusion_index"})
KINDS = LEVEL_KINDS | GROWTH_KINDS | DIFFUSION_KINDS
DIRECTIONS = ("increase", "decrease", "stable", "peak")
PLAN_KINDS = ("level", "percent_change", "band", "period_average", "cumulative_change")
_MONTHS = {"annual": 12, "quarterly": 3, "monthly": 1}
_WINDOW_FIGURES = {"monthly": 12, "quarterly": 4, "annual": 3}  # a growth rate's recent average
_WINDOW_MINIMUM = {"monthly": 6, "quarterly": 2, "annual": 1}


@dataclass(frozen=True)
class Point:
    period: datetime.date
    value: float
    is_break: bool = False


@dataclass(frozen=True)
class SeriesSpec:
    """What the method needs to know of an indicator: what it measures, the aim, and its natural limits."""

    kind: str
    direction: str
    frequency: str
    neutral: float | None = None  # a diffusion index's line, an index's 100
    lower: float | None = None  # the plausible range: projections and paths stop at it
    upper: float | None = None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind {self.kind!r}")
        if self.direction not in DIRECTIONS:
            raise ValueError(f"unknown direction {self.direction!r}")
        if self.frequency not in _MONTHS:
            raise ValueError(f"unknown frequency {self.frequency!r}")
        if self.kind in DIFFUSION_KINDS | {"index_prev_year_100"} and self.neutral is None:
            raise ValueError(f"a {self.kind} needs its neutral value")


@dataclass(frozen=True)
class TargetSpec:
    kind: str  # "annual" | "level" | "percent_change" | "band" | "period_average" | "cumulative_change"
    value: float
    target_year: int
    value_high: float | None = None
    base_year: int | None = None
    qualifier: str = "exact"  # "about" | "at_least" | "at_most" | "exact"
    set_in_year: int | None = None  # the year of the document: with no base year, the base is the year before


@dataclass(frozen=True)
class YearVerdict:
    """One annual target against its own year's figure."""

    year: int
    target_value: float
    qualifier: str
    figure: float | None
    verdict: str  # "met" | "narrowly_missed" | "missed" | "no_figure"
    shortfall: float | None = None  # points short of the target (negative: beyond it)


@dataclass(frozen=True)
class ProgressResult:
    status: str
    method: str
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
    basis: str = ""  # "cagr": rates are fractions a year; "points": rates are points (a year, for paths)
    target_value: float | None = None
    target_year: int | None = None
    year_verdicts: tuple[YearVerdict, ...] = ()


def method_for(kind: str) -> str:
    """The arithmetic a kind of series is judged by, without a target."""
    if kind in LEVEL_KINDS:
        return "compound_growth"
    if kind in GROWTH_KINDS:
        return "recent_pace"
    if kind in DIFFUSION_KINDS:
        return "neutral_line"
    raise ValueError(f"unknown kind {kind!r}")


def assess_indicator(
    *, points: Sequence[Point], spec: SeriesSpec, targets: Sequence[TargetSpec] = ()
) -> ProgressResult:
    """The status of one indicator's series (one geography), with the inputs it rests on.

    A plan target that can be assessed decides; else the latest year an annual target can be judged; else the
    recent trend, whose reason says why no target decided.
    """
    series = _clean(points)
    annual = sorted((t for t in targets if t.kind == "annual"), key=lambda t: t.target_year)
    verdicts = tuple(_year_verdict(series, spec, target) for target in annual)
    plan = _plan_choose([t for t in targets if t.kind != "annual"], series)
    why_not = ""
    if plan is not None:
        result = _assess_plan(series, spec, plan)
        if result.status != ProgressStatus.NOT_ASSESSABLE:
            return replace(result, year_verdicts=verdicts)
        why_not = f"The plan target for {plan.target_year} cannot be assessed yet: {_bare(result.reason)}. "
    if any(verdict.verdict != "no_figure" for verdict in verdicts):
        return _from_verdicts(series, spec, verdicts, why_not)
    if verdicts:
        years = ", ".join(str(v.year) for v in verdicts)
        why_not += f"No figure yet for the years of the annual targets ({years}). "
    trend = _assess_trend(series, spec)
    if why_not and trend.status != ProgressStatus.NOT_ASSESSABLE:
        trend = replace(trend, reason=f"{why_not}Without a target: {trend.reason}")
    elif why_not:
        trend = replace(trend, reason=f"Cannot be assessed yet. {why_not}Without a target: {_bare(trend.reason)}.")
    return replace(trend, year_verdicts=verdicts)


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


def required_path(*, base: Point, target_value: float, target_year: int, spec: SeriesSpec) -> list[Point]:
    """Yearly points from the base to the target value by the target year, at the constant required rate."""
    if target_year <= base.period.year:
        return [base]
    compound = spec.kind in LEVEL_KINDS and base.value > 0 and target_value > 0
    horizon = target_year - base.period.year
    path = []
    for step in range(horizon + 1):
        fraction = step / horizon
        if compound:
            value = base.value * (target_value / base.value) ** fraction
        else:
            value = base.value + (target_value - base.value) * fraction
        path.append(Point(base.period.replace(year=base.period.year + step), value))
    return _within_limits(path, spec)


def trend_projection(*, points: Sequence[Point], spec: SeriesSpec, until_year: int) -> list[Point]:
    """A level's robust compound growth extended yearly from the latest figure, stopping at its natural limits.

    Growth rates and diffusion indices get none: extending a rate's trend says nothing a reader can use.
    """
    if spec.kind not in LEVEL_KINDS:
        return []
    series = _clean(points)
    if not series or until_year <= series[-1].period.year:
        return []
    slope = _robust_log_slope(_window(series), spec.frequency)
    if slope is None:
        return []
    latest = series[-1]
    rate = math.exp(slope) - 1
    projection = [latest]
    for year in range(latest.period.year + 1, until_year + 1):
        value = latest.value * (1 + rate) ** (year - latest.period.year)
        projection.append(Point(latest.period.replace(year=year), value))
    return _within_limits(projection, spec)


# --- Annual targets ------------------------------------------------------------------------------


def _full_year_figure(series: list[Point], spec: SeriesSpec, year: int) -> Point | None:
    """The figure that covers the whole of `year`: an annual figure, or a year-to-date figure at the year's end."""
    in_year = [p for p in series if p.period.year == year]
    if spec.frequency == "annual":
        return in_year[-1] if in_year else None
    if spec.kind == "growth_ytd" and in_year and in_year[-1].period.month > 12 - _MONTHS[spec.frequency]:
        return in_year[-1]
    return None


def _growth_offset(spec: SeriesSpec) -> float:
    """What to subtract from a figure to read it as growth in percent (an index with last year = 100)."""
    return spec.neutral if spec.kind == "index_prev_year_100" and spec.neutral is not None else 0.0


def _sign(direction: str) -> int:
    return {"increase": 1, "decrease": -1}.get(direction, 0)


def _year_verdict(series: list[Point], spec: SeriesSpec, target: TargetSpec) -> YearVerdict:
    point = _full_year_figure(series, spec, target.target_year)
    common = {"year": target.target_year, "target_value": target.value, "qualifier": target.qualifier}
    if point is None:
        return YearVerdict(figure=None, verdict="no_figure", **common)
    figure = point.value - _growth_offset(spec)
    sign = _sign(spec.direction)
    if target.qualifier == "at_least":
        shortfall = target.value - figure
    elif target.qualifier == "at_most":
        shortfall = figure - target.value
    elif sign:
        shortfall = sign * (target.value - figure)
    else:
        shortfall = abs(figure - target.value)
    tolerance = ABOUT_TOLERANCE if target.qualifier == "about" else 0.0
    if shortfall <= tolerance + 1e-9:
        verdict = "met"
    elif shortfall <= tolerance + NARROW_MARGIN + 1e-9:
        verdict = "narrowly_missed"
    else:
        verdict = "missed"
    return YearVerdict(figure=figure, verdict=verdict, shortfall=shortfall, **common)


_QUALIFIER_WORDS = {"about": "about", "at_least": "at least", "at_most": "at most", "exact": ""}
_VERDICT_WORDS = {"met": "met", "narrowly_missed": "narrowly missed", "missed": "missed", "no_figure": "no figure yet"}


def describe_verdict(verdict: YearVerdict) -> str:
    """One year of the run, in words: "2022: 3 against about 5.5, missed"."""
    target = f"{_QUALIFIER_WORDS[verdict.qualifier]} {_fmt(verdict.target_value)}".strip()
    if verdict.figure is None:
        return f"{verdict.year}: target {target}, no figure yet"
    return f"{verdict.year}: {verdict.figure:.3g} against {target}, {_VERDICT_WORDS[verdict.verdict]}"


def _from_verdicts(series: list[Point], spec: SeriesSpec, verdicts: tuple[YearVerdict, ...], prefix: str):
    judged = [v for v in verdicts if v.verdict != "no_figure"]
    last = judged[-1]
    point = _full_year_figure(series, spec, last.year)
    if last.verdict == "met":
        status, threshold = ProgressStatus.ACHIEVED, "the year's figure meets its target"
    elif last.verdict == "narrowly_missed":
        status, threshold = ProgressStatus.PROGRESSING, f"short by at most {ABOUT_TOLERANCE + NARROW_MARGIN:g} points"
    elif _sign(spec.direction) * last.figure < 0:
        status, threshold = ProgressStatus.REGRESSING, "missed, and moving against the desired direction"
    else:
        status, threshold = ProgressStatus.STALLED, f"short by more than {ABOUT_TOLERANCE + NARROW_MARGIN:g} points"
    run = "; ".join(describe_verdict(v) for v in verdicts)
    reason = (
        f"{prefix}Each year's own figure against that year's target (\"about\" is met within "
        f"±{ABOUT_TOLERANCE:g} points): {run}. The status rests on {last.year}."
    )
    return ProgressResult(
        status=status.value,
        method="annual_targets",
        reason=reason,
        base_period=None,
        base_value=None,
        latest_period=point.period,
        latest_value=point.value,
        actual_rate=None,
        required_rate=None,
        ratio=None,
        threshold=threshold,
        years=(last.year,),
        before_article=last.year < ARTICLE_YEAR,
        basis=POINTS,
        target_value=last.target_value,
        target_year=last.year,
        year_verdicts=verdicts,
    )


# --- Plan targets --------------------------------------------------------------------------------


def _plan_choose(plans: list[TargetSpec], series: list[Point]) -> TargetSpec | None:
    """The nearest plan target not yet passed by the data, else the latest one."""
    for plan in plans:
        if plan.kind not in PLAN_KINDS:
            raise ValueError(f"unknown target kind {plan.kind!r}")
    if not plans:
        return None
    latest_year = series[-1].period.year if series else 0
    ahead = [plan for plan in plans if plan.target_year >= latest_year]
    if ahead:
        return min(ahead, key=lambda plan: plan.target_year)
    return max(plans, key=lambda plan: plan.target_year)


def _base_year(target: TargetSpec) -> tuple[int | None, str]:
    """The target's base year, and how it was chosen when the clause states none."""
    if target.base_year is not None:
        return target.base_year, ""
    if target.set_in_year is not None:
        base = target.set_in_year - 1
        return base, f"The clause states no base year: the base is {base}, the last full year before the document. "
    return None, ""


def _assess_plan(series: list[Point], spec: SeriesSpec, target: TargetSpec) -> ProgressResult:
    if target.kind == "band":
        return _assess_band(series, target)
    if target.kind == "period_average":
        return _assess_period_average(series, spec, target)
    if target.kind == "cumulative_change":
        return _assess_cumulative(series, spec, target)
    return _assess_level_target(series, spec, target)


def _assess_level_target(series: list[Point], spec: SeriesSpec, target: TargetSpec) -> ProgressResult:
    usable = [p for p in series if p.period.year <= target.target_year]
    if not usable:
        return _not_assessable("no figure up to the target year", series, target=target)
    latest = usable[-1]
    base_year, base_note = _base_year(target)
    if base_year is None:
        return _not_assessable("the target states no base year and no document year", series, target=target)
    base = next((p for p in usable if p.period.year == base_year and p.period.month == latest.period.month), None)
    if base is None:
        why = f"no figure for the base year {base_year} in the same season as the latest figure"
        return _not_assessable(why, series, target=target)
    if latest.period <= base.period:
        return _not_assessable("no figure after the base period yet", series, target=target, base=base)
    target_value = base.value * (1 + target.value / 100) if target.kind == "percent_change" else target.value
    compound = spec.kind in LEVEL_KINDS and min(base.value, latest.value, target_value) > 0
    basis = CAGR if compound else POINTS
    sign = _sign(spec.direction) or ((target_value > base.value) - (target_value < base.value))
    common = {"method": "target_ratio", "base": base, "latest": latest, "basis": basis}
    common.update({"target_value": target_value, "target_year": target.target_year})
    passed = _passed_note(series, target.target_year)
    actual = _rate(basis, base, latest)
    if sign * (latest.value - target_value) >= 0:
        reason = f"{base_note}The latest figure {_fmt(latest.value)} meets the target {_fmt(target_value)}.{passed}"
        return _result(ProgressStatus.ACHIEVED, threshold="latest meets target", reason=reason, actual=actual, **common)
    if sign == 0 or sign * (base.value - target_value) >= 0:
        reason = (
            f"{base_note}The base figure {_fmt(base.value)} already met the target {_fmt(target_value)}; "
            f"the latest figure {_fmt(latest.value)} no longer does.{passed}"
        )
        return _result(ProgressStatus.REGRESSING, threshold="fell back from the target", reason=reason, **common)
    end = Point(base.period.replace(year=target.target_year), target_value)
    required = _rate(basis, base, end)
    ratio = actual / required
    status, threshold = _ratio_category(ratio)
    unit_word = "a year (compound)" if basis == CAGR else "points a year"
    reason = (
        f"{base_note}Since {base.period.year} the figure moved {_fmt_rate(actual, basis)} {unit_word}; reaching "
        f"{_fmt(target_value)} by {target.target_year} needs {_fmt_rate(required, basis)} {unit_word}: "
        f"ratio {ratio:.2f} ({threshold}).{passed}"
    )
    return _result(status, threshold=threshold, reason=reason, actual=actual, required=required, ratio=ratio, **common)


def _plan_years(series: list[Point], spec: SeriesSpec, target: TargetSpec):
    """The plan's years, the full-year figure of each (None where not held), and the base note."""
    base_year, base_note = _base_year(target)
    if base_year is None:
        return None, {}, ""
    years = range(base_year + 1, target.target_year + 1)
    figures = {year: _full_year_figure(series, spec, year) for year in years}
    return base_year, figures, base_note


def _assess_period_average(series: list[Point], spec: SeriesSpec, target: TargetSpec) -> ProgressResult:
    base_year, figures, base_note = _plan_years(series, spec, target)
    held = {year: point for year, point in figures.items() if point is not None}
    if base_year is None or not held:
        return _not_assessable("no yearly figure of the plan period is held", series, target=target)
    values = [point.value - _growth_offset(spec) for point in held.values()]
    mean = statistics.fmean(values)
    missing = [str(year) for year, point in figures.items() if point is None and year <= max(held)]
    gap = f" Not held: {', '.join(missing)}; the average is of the years held." if missing else ""
    listed = ", ".join(f"{year} {_fmt(point.value - _growth_offset(spec))}" for year, point in held.items())
    complete = len(held) == len(figures)
    if not target.value:
        return _not_assessable("a target average of zero has no ratio", series, target=target)
    ratio = mean / target.value
    qualifier = _QUALIFIER_WORDS[target.qualifier] or "of"
    if complete and (mean >= target.value if target.qualifier != "at_most" else mean <= target.value):
        status, threshold = ProgressStatus.ACHIEVED, "the plan period's average meets the target"
    else:
        status, threshold = _ratio_category(ratio)
    reason = (
        f"{base_note}The average of {base_year + 1}-{target.target_year} so far ({listed}) is {_fmt(mean)}, against "
        f"a target of {qualifier} {_fmt(target.value)} a year: ratio {ratio:.2f} ({threshold}).{gap}"
    )
    last = held[max(held)]
    return _result(
        status,
        method="plan_average",
        threshold=threshold,
        reason=reason,
        latest=last,
        actual=mean,
        required=target.value,
        ratio=ratio,
        basis=POINTS,
        target_value=target.value,
        target_year=target.target_year,
        years=tuple(held),
    )


def _assess_cumulative(series: list[Point], spec: SeriesSpec, target: TargetSpec) -> ProgressResult:
    base_year, figures, base_note = _plan_years(series, spec, target)
    if base_year is None:
        return _not_assessable("the target states no base year and no document year", series, target=target)
    run = []
    for year, point in figures.items():
        if point is None:
            break
        run.append((year, point))
    later = [year for year, point in figures.items() if point is not None and year > (run[-1][0] if run else 0)]
    if not run:
        held = f" (held: {', '.join(map(str, later))})" if later else ""
        why = f"a change compounded since {base_year} needs every year's figure from {base_year + 1}{held}"
        return _not_assessable(why, series, target=target)
    compounded = math.prod(1 + point.value / 100 for _, point in run)
    change = (compounded - 1) * 100
    horizon = target.target_year - base_year
    required = (1 + target.value / 100) ** (1 / horizon) - 1
    actual = compounded ** (1 / len(run)) - 1
    if not required:
        return _not_assessable("a target of no change has no ratio", series, target=target)
    ratio = actual / required
    complete = len(run) == horizon
    sign = _sign(spec.direction) or (1 if target.value > 0 else -1)
    if complete and sign * (change - target.value) >= 0:
        status, threshold = ProgressStatus.ACHIEVED, "the compounded change meets the target"
    else:
        status, threshold = _ratio_category(ratio)
    listed = ", ".join(f"{year} {_fmt(point.value)}" for year, point in run)
    reason = (
        f"{base_note}Compounding the yearly changes since {base_year} ({listed}) gives {change:+.1f}%, "
        f"{actual * 100:+.2f}% a year; {target.value:+g}% by {target.target_year} needs {required * 100:+.2f}% a "
        f"year: ratio {ratio:.2f} ({threshold})."
    )
    return _result(
        status,
        method="plan_cumulative",
        threshold=threshold,
        reason=reason,
        latest=run[-1][1],
        actual=actual * 100,
        required=required * 100,
        ratio=ratio,
        basis=POINTS,
        target_value=target.value,
        target_year=target.target_year,
        years=tuple(year for year, _ in run),
    )


def _ratio_category(ratio: float) -> tuple[ProgressStatus, str]:
    if ratio >= RATIO_ON_TRACK:
        return ProgressStatus.ON_TRACK, "ratio ≥ 0.95"
    if ratio >= RATIO_PROGRESSING:
        return ProgressStatus.PROGRESSING, "0.5 ≤ ratio < 0.95"
    if ratio >= RATIO_STALLED:
        return ProgressStatus.STALLED, "−0.1 ≤ ratio < 0.5"
    return ProgressStatus.REGRESSING, "ratio < −0.1"


def _passed_note(series: list[Point], target_year: int) -> str:
    if series and series[-1].period.year > target_year:
        return f" The target year {target_year} has passed; figures after it are not used."
    return ""


# --- Plan target: band ---------------------------------------------------------------------------


def _assess_band(series: list[Point], target: TargetSpec) -> ProgressResult:
    if target.value_high is None or target.value > target.value_high:
        raise ValueError("a band target needs value ≤ value_high")
    low, high = target.value, target.value_high
    usable = [p for p in series if p.period.year <= target.target_year]
    if not usable:
        return _not_assessable("no figure up to the target year", series, target=target)
    latest = usable[-1]
    band = f"[{_fmt(low)}, {_fmt(high)}]"
    common = {"method": "band", "latest": latest, "target_year": target.target_year}
    distance = _distance_to_band(latest.value, low, high)
    if distance == 0:
        reason = f"The latest figure {_fmt(latest.value)} is inside the band {band}."
        return _result(ProgressStatus.ON_TRACK, threshold=f"inside {band}", reason=reason, **common)
    year_before = next((p for p in usable if p.period == latest.period.replace(year=latest.period.year - 1)), None)
    if year_before is not None and _distance_to_band(year_before.value, low, high) > distance:
        reason = (
            f"The latest figure {_fmt(latest.value)} is outside the band {band}, but closer to it than "
            f"a year before ({_fmt(year_before.value)})."
        )
        threshold = f"outside {band}, closer than a year before"
        return _result(ProgressStatus.STALLED, threshold=threshold, reason=reason, base=year_before, **common)
    before = f" (a year before: {_fmt(year_before.value)})" if year_before is not None else ""
    reason = (
        f"The latest figure {_fmt(latest.value)} is outside the band {band} and not closer to it than a year "
        f"before{before}."
    )
    threshold = f"outside {band}, not closer than a year before"
    return _result(ProgressStatus.REGRESSING, threshold=threshold, reason=reason, base=year_before, **common)


def _distance_to_band(value: float, low: float, high: float) -> float:
    return max(low - value, value - high, 0.0)


# --- No target: the recent trend, chosen by kind --------------------------------------------------


def _assess_trend(series: list[Point], spec: SeriesSpec) -> ProgressResult:
    if not series:
        return _not_assessable("no figure yet", series)
    method = method_for(spec.kind)
    if method == "compound_growth":
        return _assess_compound_growth(series, spec)
    if method == "recent_pace":
        return _assess_pace(series, spec)
    return _assess_neutral_line(series, spec)


def _window(series: list[Point], end: datetime.date | None = None) -> list[Point]:
    """The figures of the trend window: the last five years up to `end` (the latest figure), both ends included."""
    end = end or series[-1].period
    start = end.replace(year=end.year - TREND_WINDOW_YEARS)
    return [p for p in series if start <= p.period <= end]


def _pairs(window: list[Point], frequency: str) -> list[tuple[Point, Point]]:
    """Pairs of figures at least a year apart; in monthly and quarterly series, only the same month's."""
    pairs = []
    for earlier, later in itertools.combinations(window, 2):
        if frequency != "annual" and earlier.period.month != later.period.month:
            continue
        if _years_between(earlier.period, later.period) >= 1:
            pairs.append((earlier, later))
    return pairs


def _robust_log_slope(window: list[Point], frequency: str) -> float | None:
    """The median of the pairwise slopes of the log figures (Theil-Sen; Sen 1968, seasonal pairs as Hirsch 1982)."""
    pairs = _pairs(window, frequency)
    if not pairs or any(p.value <= 0 for p in window):
        return None
    slopes = [
        (math.log(later.value) - math.log(earlier.value)) / _years_between(earlier.period, later.period)
        for earlier, later in pairs
    ]
    return statistics.median(slopes)


def _break_note(window: list[Point], *, anywhere: bool = False) -> str:
    """Say so when the window starts in (or, for an average, holds) a known break year, or a flagged break."""
    notes = []
    years = sorted({p.period.year for p in window} if anywhere else {window[0].period.year} if window else set())
    for year in (year for year in years if year in BREAK_YEARS):
        notes.append(f"The window {'holds' if anywhere else 'starts in'} {year}, a break year ({BREAK_YEARS[year]}).")
    breaks = [_period_label(p) for p in window if p.is_break]
    if breaks:
        notes.append(f"The source flags a break in series at {', '.join(breaks)}.")
    return "".join(f" {note}" for note in notes)


def _assess_compound_growth(series: list[Point], spec: SeriesSpec) -> ProgressResult:
    window = _window(series)
    latest, base = series[-1], window[0]
    if any(p.value <= 0 for p in window):
        why = "a level at or below zero has no compound growth, and without a target its change has no scale"
        return _not_assessable(why, series, base=base, latest=latest)
    slope = _robust_log_slope(window, spec.frequency)
    if slope is None and len(window) == 1:
        why = f"only one figure in the last {TREND_WINDOW_YEARS} years ({_period_label(latest)}); a trend needs two"
        return _not_assessable(why, series)
    if slope is None:
        why = f"no two figures of the same season at least a year apart in the last {TREND_WINDOW_YEARS} years"
        return _not_assessable(why, series)
    rate = math.exp(slope) - 1
    if spec.direction == "peak":
        status, threshold, aim = _peak_category(series, window, spec, rate)
    else:
        status, threshold = _trend_category(rate * 100, spec.direction, CAGR_CLEAR * 100, CAGR_SLIGHT * 100, "%")
        aim = {"increase": "an increase", "decrease": "a decrease", "stable": "stability"}[spec.direction]
    count = len(window)
    reason = (
        f"From {_period_label(base)} to {_period_label(latest)} the figure grew {rate:+.2%} a year (compound; the "
        f"median slope of {len(_pairs(window, spec.frequency))} pairs of its {count} figures); {aim} is desired "
        f"({threshold}).{_break_note(window)}"
    )
    return _result(
        status,
        method="compound_growth",
        threshold=threshold,
        reason=reason,
        base=base,
        latest=latest,
        actual=rate,
        basis=CAGR,
        years=_years_of(base, latest),
    )


def _peak_category(series: list[Point], window: list[Point], spec: SeriesSpec, rate: float):
    """Peaking: a fall is the aim; slower growth than the five years before is progress toward the peak."""
    aim = "a peak (slower growth, then a fall)"
    if rate <= -CAGR_SLIGHT:
        return ProgressStatus.ON_TRACK, "falling by 0.5% a year or more", aim
    if rate < CAGR_SLIGHT:
        return ProgressStatus.PROGRESSING, "flat within ±0.5% a year: at or near a peak", aim
    earlier = _window(series, end=window[0].period)
    earlier_slope = _robust_log_slope(earlier, spec.frequency) if len(earlier) > 1 else None
    if earlier_slope is None:
        return ProgressStatus.STALLED, "still rising; no earlier window to compare", aim
    before = math.exp(earlier_slope) - 1
    earlier_text = f"the five years before: {before:+.2%} a year"
    if rate < before - CAGR_SLIGHT:
        return ProgressStatus.PROGRESSING, f"rising, more slowly than {earlier_text}", aim
    if rate <= before + CAGR_SLIGHT:
        return ProgressStatus.STALLED, f"rising about as fast as {earlier_text}", aim
    return ProgressStatus.REGRESSING, f"rising faster than {earlier_text}", aim


def _recent_figures(series: list[Point], spec: SeriesSpec) -> list[Point]:
    """The figures a growth rate's recent pace is the average of (a year-to-date rate: its latest long figure)."""
    latest = series[-1]
    if spec.kind == "growth_ytd" and spec.frequency != "annual":
        months_covered = latest.period.month + _MONTHS[spec.frequency] - 1
        if months_covered >= 6:
            return [latest]
        year_end = _full_year_figure(series, spec, latest.period.year - 1)
        return [year_end] if year_end is not None else [latest]
    count = _WINDOW_FIGURES[spec.frequency]
    months = count * _MONTHS[spec.frequency]
    start = _add_months(latest.period, -months + 1)
    return [p for p in series if p.period >= start]


def _assess_pace(series: list[Point], spec: SeriesSpec) -> ProgressResult:
    recent = _recent_figures(series, spec)
    if spec.kind != "growth_ytd" and len(recent) < _WINDOW_MINIMUM[spec.frequency]:
        why = f"fewer than {_WINDOW_MINIMUM[spec.frequency]} figures in the last {_WINDOW_FIGURES[spec.frequency]}"
        return _not_assessable(f"{why} {spec.frequency} periods", series)
    offset = _growth_offset(spec)
    pace = statistics.fmean(p.value - offset for p in recent)
    status, threshold = _trend_category(pace, spec.direction, PACE_CLEAR, PACE_SLIGHT, " points")
    first, last = recent[0], recent[-1]
    if len(recent) == 1:
        span = (
            f"The figure for {_period_label(last)} ({'the year to date' if spec.kind == 'growth_ytd' else 'the year'})"
        )
    else:
        span = f"The {len(recent)} figures from {_period_label(first)} to {_period_label(last)} average"
    aim = {"increase": "growth", "decrease": "a fall", "stable": "no change", "peak": "a fall"}[spec.direction]
    reason = (
        f"{span} {pace:+.2f}% on a year before; {aim} is desired ({threshold}). A growth rate is judged by its "
        f"recent average, never compounded.{_break_note(recent, anywhere=True)}"
    )
    return _result(
        status,
        method="recent_pace",
        threshold=threshold,
        reason=reason,
        base=first,
        latest=last,
        actual=pace,
        basis=POINTS,
        years=_years_of(first, last),
    )


def _assess_neutral_line(series: list[Point], spec: SeriesSpec) -> ProgressResult:
    latest = series[-1]
    start = _add_months(latest.period, -11)
    recent = [p for p in series if p.period >= start]
    if len(recent) < _WINDOW_MINIMUM["monthly"]:
        return _not_assessable("fewer than 6 figures in the last 12 months", series)
    neutral = spec.neutral
    mean = statistics.fmean(p.value for p in recent)
    distance = (mean - neutral) * (-1 if spec.direction == "decrease" else 1)
    below = sum(1 for p in recent if p.value < neutral)
    if distance >= NEUTRAL_MARGIN:
        status, threshold = ProgressStatus.ON_TRACK, f"average ≥ {_fmt(neutral + NEUTRAL_MARGIN)}: expansion"
    elif distance >= 0:
        status, threshold = ProgressStatus.PROGRESSING, f"average {_fmt(neutral)} to {_fmt(neutral + NEUTRAL_MARGIN)}"
    elif distance > -NEUTRAL_MARGIN:
        status, threshold = ProgressStatus.STALLED, f"average {_fmt(neutral - NEUTRAL_MARGIN)} to {_fmt(neutral)}"
    else:
        status, threshold = ProgressStatus.REGRESSING, f"average < {_fmt(neutral - NEUTRAL_MARGIN)}: contraction"
    reason = (
        f"Over the {len(recent)} months from {_period_label(recent[0])} to {_period_label(latest)} the index averaged "
        f"{mean:.2f}, {abs(mean - neutral):.2f} {'above' if mean >= neutral else 'below'} its neutral line "
        f"{_fmt(neutral)} (below it in {below} of {len(recent)} months); a diffusion index is read against that line, "
        f"not by its slope ({threshold})."
    )
    return _result(
        status,
        method="neutral_line",
        threshold=threshold,
        reason=reason,
        base=recent[0],
        latest=latest,
        actual=mean - neutral,
        basis=POINTS,
        years=_years_of(recent[0], latest),
    )


def _trend_category(change: float, direction: str, clear: float, slight: float, unit: str):
    """A change (percent a year, or points) against the desired direction."""
    if direction == "stable":
        if abs(change) < slight:
            return ProgressStatus.ON_TRACK, f"|change| < {slight:g}{unit} a year"
        if abs(change) < clear:
            return ProgressStatus.STALLED, f"{slight:g}{unit} ≤ |change| < {clear:g}{unit} a year"
        return ProgressStatus.REGRESSING, f"|change| ≥ {clear:g}{unit} a year"
    toward = -change if direction in ("decrease", "peak") else change
    if toward >= clear:
        return ProgressStatus.ON_TRACK, f"≥ {clear:g}{unit} in the desired direction"
    if toward >= slight:
        return ProgressStatus.PROGRESSING, f"{slight:g}{unit} to {clear:g}{unit} in the desired direction"
    if toward > -slight:
        return ProgressStatus.STALLED, f"less than {slight:g}{unit} either way"
    return ProgressStatus.REGRESSING, f"≥ {slight:g}{unit} against the desired direction"


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


def _within_limits(path: list[Point], spec: SeriesSpec) -> list[Point]:
    """The path up to the first point that reaches a natural limit, that point held at the limit."""
    kept = []
    for point in path:
        if spec.upper is not None and point.value >= spec.upper:
            kept.append(Point(point.period, spec.upper))
            break
        if spec.lower is not None and point.value <= spec.lower:
            kept.append(Point(point.period, spec.lower))
            break
        kept.append(point)
    return kept


def _add_months(period: datetime.date, months: int) -> datetime.date:
    index = period.year * 12 + period.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _years_between(base: datetime.date, latest: datetime.date) -> float:
    return ((latest.year - base.year) * 12 + latest.month - base.month) / 12


def _rate(basis: str, base: Point, latest: Point) -> float:
    years = _years_between(base.period, latest.period)
    if basis == CAGR:
        return (latest.value / base.value) ** (1 / years) - 1
    return (latest.value - base.value) / years


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
    years: tuple[int, ...] | None = None,
) -> ProgressResult:
    years = years or _years_of(base, latest)
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


def _bare(reason: str) -> str:
    return reason.removeprefix("Cannot be assessed yet: ").rstrip(".")


def _fmt(value: float) -> str:
    return f"{value:,.4g}" if abs(value) >= 1e-3 or value == 0 else f"{value:.3g}"


def _fmt_rate(rate: float, basis: str) -> str:
    return f"{rate:+.2%}" if basis == CAGR else f"{rate:+.3g}"


def _period_label(point: Point) -> str:
    if point.period.month == 1:
        return str(point.period.year)
    return f"{point.period.year}-{point.period.month:02d}"
