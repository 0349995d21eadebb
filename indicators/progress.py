"""The progress method: is an indicator, a commitment, a task on track? Pure functions, no ORM.

`docs/progress-method.md` states this method in plain words; each worked example there is a test in
`tests/indicators/progress/`, run on a real series of the bundled data. Change both together.

What a series measures (its `kind`) chooses the arithmetic: levels and counts by compound growth; shares by their
change in percentage points a year; growth rates and indices by their recent average in points, or year by year
against an annual target; a diffusion index against its neutral line. Nothing that is itself a rate of change, and
no share, is compounded.
"""

import datetime
import itertools
import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.periods import MONTHS_PER_PERIOD
from tasks.models import STATUS_SEVERITY, ProgressStatus

ARTICLE_YEAR = 2024  # Qiushi No. 1, 2024: a status resting only on earlier years is the trend before the article.
TREND_WINDOW_YEARS = 5
# A trend whose newest figure is this many years or more before the article says nothing about how the task is
# carried out: it is not judged.
STALE_BEFORE_ARTICLE_YEARS = 4
# A growth rate's recent pace says how the task is carried out only when its newest figure is from the year before
# the article or later: a pace of 2021 or 2022 alone is the economy before the article's agenda.
PACE_NEWEST_YEAR = ARTICLE_YEAR - 1
# Fewest same-season pairs a monthly or quarterly trend rests on, so no single month decides it.
_MINIMUM_PAIRS = {"monthly": 3, "quarterly": 2, "annual": 1}
# Years whose figures are known to break a trend: a window that reaches into one says so in its reason.
BREAK_YEARS = {2020: gettext_lazy("the COVID-19 shock")}

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
# No target, a share (a percentage of a whole) by its Theil-Sen slope in percentage points a year: a share's compound
# growth scales with its level (0.5% a year is 0.14 points of a 27% share, 0.01 of a 2.5% one). Shares are published
# to 0.1 point: a slope under 0.02 either way (one published step over the five-year window) is flat; 0.05 or more
# (a quarter point over five years, half a published step a year) is clear.
SHARE_CLEAR = 0.05
SHARE_SLIGHT = 0.02
# A share to keep "basically stable" (制造业比重基本稳定) is held against a fall: the aim was set in 2021 to stop
# the decline of China's manufacturing share (World Bank: a Theil-Sen slope of -0.52 to -0.87 points a year in every
# five-year window ending 2015-2020, -0.09 to -0.30 in those ending 2009-2014, when the slide began), and a rise
# does not miss it. Falling less than 0.1 points a year (one published step) is holding; 0.1 to 0.5 is slipping
# (stalled); 0.5 or more, the pace of the 2015-2020 decline, is regressing.
HOLD_SHARE_SLIP = 0.1
HOLD_SHARE_FALL = 0.5
# A diffusion index: half a point either side of its neutral line is "marginal".
NEUTRAL_MARGIN = 0.5
# Annual targets: "about x" (左右) counts as met within half a point of x (the reports state growth targets in
# steps of half a point); a miss by at most half a point more is "narrowly missed".
ABOUT_TOLERANCE = 0.5
NARROW_MARGIN = 0.5

CAGR, POINTS = "cagr", "points"
LEVEL_KINDS = frozenset({"level", "share", "count"})
COMPOUND_KINDS = frozenset({"level", "count"})  # shares move in points, never compounded
GROWTH_KINDS = frozenset({"growth_yoy", "growth_ytd", "index_prev_year_100"})
DIFFUSION_KINDS = frozenset({"diffusion_index"})
KINDS = LEVEL_KINDS | GROWTH_KINDS | DIFFUSION_KINDS
DIRECTIONS = ("increase", "decrease", "stable", "hold", "peak")
PLAN_KINDS = ("level", "percent_change", "band", "period_average", "cumulative_change")
_WINDOW_FIGURES = {"monthly": 12, "quarterly": 4, "annual": 3}  # a growth rate's recent average
# At least half the window and three figures below a year (no one or two releases decide a pace), two of three years.
_WINDOW_MINIMUM = {"monthly": 6, "quarterly": 3, "annual": 2}
_WINDOW_UNITS = {
    "monthly": gettext_lazy("months"),
    "quarterly": gettext_lazy("quarters"),
    "annual": gettext_lazy("years"),
}


@dataclass(frozen=True)
class Point:
    period: datetime.date
    value: float
    is_break: bool = False
    is_estimated: bool = False


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
        if self.direction == "hold" and self.kind not in LEVEL_KINDS:
            raise ValueError(f"a {self.kind} cannot be held against a fall: only levels, shares and counts")
        if self.frequency not in MONTHS_PER_PERIOD:
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
    if kind == "share":
        return "points_trend"
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
    series = _without_carried_forward(_clean(points))
    annual = sorted((t for t in targets if t.kind == "annual"), key=lambda t: t.target_year)
    verdicts = tuple(_year_verdict(series, spec, target) for target in annual)
    plan = _plan_choose([t for t in targets if t.kind != "annual"], series)
    why_not = ""
    if plan is not None:
        result = _assess_plan(series, spec, plan)
        if result.status != ProgressStatus.NOT_ASSESSABLE:
            return replace(result, year_verdicts=verdicts)
        why_not = _("The plan target for {year} cannot be assessed yet: {why}. ").format(
            year=plan.target_year, why=_bare(result.reason)
        )
    if any(verdict.verdict != "no_figure" for verdict in verdicts):
        return _from_verdicts(series, spec, verdicts, why_not)
    if verdicts:
        years = ", ".join(str(v.year) for v in verdicts)
        why_not += _("No figure yet for the years of the annual targets ({years}). ").format(years=years)
    trend = _assess_trend(series, spec)
    if why_not and trend.status != ProgressStatus.NOT_ASSESSABLE:
        reason = _("{why_not}Without a target: {reason}").format(why_not=why_not, reason=trend.reason)
        trend = replace(trend, reason=reason)
    elif why_not:
        reason = _("Cannot be assessed yet. {why_not}Without a target: {why}.")
        trend = replace(trend, reason=reason.format(why_not=why_not, why=_bare(trend.reason)))
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
    compound = spec.kind in COMPOUND_KINDS and base.value > 0 and target_value > 0
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
    """A level's robust trend (compound; a share's in points) extended yearly from the latest figure, to its limits.

    Growth rates and diffusion indices get none: extending a rate's trend says nothing a reader can use.
    """
    if spec.kind not in LEVEL_KINDS:
        return []
    series = _clean(points)
    if not series or until_year <= series[-1].period.year:
        return []
    in_points = spec.kind not in COMPOUND_KINDS
    slope = _robust_slope(_window(series), spec.frequency, logs=not in_points)
    if slope is None:
        return []
    latest = series[-1]
    projection = [latest]
    for year in range(latest.period.year + 1, until_year + 1):
        years = year - latest.period.year
        value = latest.value + slope * years if in_points else latest.value * math.exp(slope * years)
        projection.append(Point(latest.period.replace(year=year), value))
    return _within_limits(projection, spec)


# --- Annual targets ------------------------------------------------------------------------------


def _full_year_figure(series: list[Point], spec: SeriesSpec, year: int) -> Point | None:
    """The figure that covers the whole of `year`: an annual figure, or a year-to-date figure at the year's end."""
    in_year = [p for p in series if p.period.year == year]
    if spec.frequency == "annual":
        return in_year[-1] if in_year else None
    if spec.kind == "growth_ytd" and in_year and in_year[-1].period.month > 12 - MONTHS_PER_PERIOD[spec.frequency]:
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


_QUALIFIER_WORDS = {
    "about": gettext_lazy("about"),
    "at_least": gettext_lazy("at least"),
    "at_most": gettext_lazy("at most"),
    "exact": "",
}
_VERDICT_WORDS = {
    "met": gettext_lazy("met"),
    "narrowly_missed": gettext_lazy("narrowly missed"),
    "missed": gettext_lazy("missed"),
    "no_figure": gettext_lazy("no figure yet"),
}


def describe_verdict(verdict: YearVerdict) -> str:
    """One year of the run, in words: "2022: 3 against about 5.5, missed"."""
    target = f"{_QUALIFIER_WORDS[verdict.qualifier]} {_fmt(verdict.target_value)}".strip()
    if verdict.figure is None:
        return _("{year}: target {target}, no figure yet").format(year=verdict.year, target=target)
    return _("{year}: {figure} against {target}, {verdict}").format(
        year=verdict.year, figure=f"{verdict.figure:.3g}", target=target, verdict=_VERDICT_WORDS[verdict.verdict]
    )


def _from_verdicts(series: list[Point], spec: SeriesSpec, verdicts: tuple[YearVerdict, ...], prefix: str):
    """The latest year judged decides; a year's target met keeps a commitment on track, it never achieves it."""
    judged = [v for v in verdicts if v.verdict != "no_figure"]
    last = judged[-1]
    point = _full_year_figure(series, spec, last.year)
    if last.verdict == "met":
        status, threshold = ProgressStatus.ON_TRACK, _("the latest year judged meets its target")
    elif last.verdict == "narrowly_missed":
        short = _("short by at most {points} points").format(points=f"{ABOUT_TOLERANCE + NARROW_MARGIN:g}")
        status, threshold = ProgressStatus.PROGRESSING, short
    elif _sign(spec.direction) * last.figure < 0:
        status, threshold = ProgressStatus.REGRESSING, _("missed, and moving against the desired direction")
    else:
        short = _("short by more than {points} points").format(points=f"{ABOUT_TOLERANCE + NARROW_MARGIN:g}")
        status, threshold = ProgressStatus.STALLED, short
    run = "; ".join(describe_verdict(v) for v in verdicts)
    met = sum(1 for v in judged if v.verdict == "met")
    reason = prefix + _(
        "Each year's own figure against that year's target (\"about\" is met within ±{tolerance} points): "
        "{run}. The status rests on {year}, the latest year judged; {met} of the {judged} years judged met their "
        "target. A year's target met keeps the commitment on track: an annual target is not an end state to achieve."
    ).format(tolerance=f"{ABOUT_TOLERANCE:g}", run=run, year=last.year, met=met, judged=len(judged))
    target = {"basis": POINTS, "target_value": last.target_value, "target_year": last.year, "years": (last.year,)}
    result = _result(status, method="annual_targets", threshold=threshold, reason=reason, latest=point, **target)
    return replace(result, year_verdicts=verdicts)


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
        note = _("The clause states no base year: the base is {base}, the last full year before the document. ")
        return base, note.format(base=base)
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
        return _not_assessable(_("no figure up to the target year"), series, target=target)
    latest = usable[-1]
    base_year, base_note = _base_year(target)
    if base_year is None:
        return _not_assessable(_("the target states no base year and no document year"), series, target=target)
    base = next((p for p in usable if p.period.year == base_year and p.period.month == latest.period.month), None)
    if base is None:
        why = _("no figure for the base year {year} in the same season as the latest figure").format(year=base_year)
        return _not_assessable(why, series, target=target)
    if latest.period <= base.period:
        return _not_assessable(_("no figure after the base period yet"), series, target=target, base=base)
    target_value = base.value * (1 + target.value / 100) if target.kind == "percent_change" else target.value
    compound = spec.kind in COMPOUND_KINDS and min(base.value, latest.value, target_value) > 0
    basis = CAGR if compound else POINTS
    sign = _sign(spec.direction) or ((target_value > base.value) - (target_value < base.value))
    common = {"method": "target_ratio", "base": base, "latest": latest, "basis": basis}
    common.update({"target_value": target_value, "target_year": target.target_year})
    passed = _passed_note(series, target.target_year)
    actual = _rate(basis, base, latest)
    if sign * (latest.value - target_value) >= 0:
        reason = base_note + _("The latest figure {latest} meets the target {target}.").format(
            latest=_fmt(latest.value), target=_fmt(target_value)
        )
        threshold = _("latest meets target")
        return _result(ProgressStatus.ACHIEVED, threshold=threshold, reason=reason + passed, actual=actual, **common)
    if sign == 0 or sign * (base.value - target_value) >= 0:
        reason = base_note + _(
            "The base figure {base} already met the target {target}; the latest figure {latest} no longer does."
        ).format(base=_fmt(base.value), target=_fmt(target_value), latest=_fmt(latest.value))
        threshold = _("fell back from the target")
        return _result(ProgressStatus.REGRESSING, threshold=threshold, reason=reason + passed, **common)
    end = Point(base.period.replace(year=target.target_year), target_value)
    required = _rate(basis, base, end)
    ratio = actual / required
    status, threshold = _ratio_category(ratio)
    unit_word = _("a year (compound)") if basis == CAGR else _("points a year")
    reason = base_note + _(
        "Since {base_year} the figure moved {actual} {unit}; reaching {target} by {target_year} needs "
        "{required} {unit}: ratio {ratio} ({threshold})."
    ).format(
        base_year=base.period.year,
        actual=_fmt_rate(actual, basis),
        unit=unit_word,
        target=_fmt(target_value),
        target_year=target.target_year,
        required=_fmt_rate(required, basis),
        ratio=f"{ratio:.2f}",
        threshold=threshold,
    )
    reason += passed
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
        return _not_assessable(_("no yearly figure of the plan period is held"), series, target=target)
    values = [point.value - _growth_offset(spec) for point in held.values()]
    mean = statistics.fmean(values)
    missing = [str(year) for year, point in figures.items() if point is None and year <= max(held)]
    gap = _(" Not held: {years}; the average is of the years held.").format(years=", ".join(missing)) if missing else ""
    listed = ", ".join(f"{year} {_fmt(point.value - _growth_offset(spec))}" for year, point in held.items())
    complete = len(held) == len(figures)
    if not target.value:
        return _not_assessable(_("a target average of zero has no ratio"), series, target=target)
    ratio = mean / target.value
    qualifier = _QUALIFIER_WORDS[target.qualifier]
    if complete and (mean >= target.value if target.qualifier != "at_most" else mean <= target.value):
        status, threshold = ProgressStatus.ACHIEVED, _("the plan period's average meets the target")
    else:
        status, threshold = _ratio_category(ratio)
    reason = base_note + _(
        "The average of {first}-{last} so far ({listed}) is {mean}, against a target of {qualifier} {target} a year: "
        "ratio {ratio} ({threshold})."
    ).format(
        first=base_year + 1,
        last=target.target_year,
        listed=listed,
        mean=_fmt(mean),
        qualifier=qualifier,
        target=_fmt(target.value),
        ratio=f"{ratio:.2f}",
        threshold=threshold,
    )
    reason += gap
    fields = _plan_fields(target, years=tuple(held), actual=mean, required=target.value, ratio=ratio)
    return _result(status, method="plan_average", threshold=threshold, reason=reason, latest=held[max(held)], **fields)


def _plan_fields(target: TargetSpec, **fields) -> dict:
    """What a plan period's result states besides its status and reason: the target, rates in points."""
    return {"basis": POINTS, "target_value": target.value, "target_year": target.target_year, **fields}


def _assess_cumulative(series: list[Point], spec: SeriesSpec, target: TargetSpec) -> ProgressResult:
    base_year, figures, base_note = _plan_years(series, spec, target)
    if base_year is None:
        return _not_assessable(_("the target states no base year and no document year"), series, target=target)
    run = []
    for year, point in figures.items():
        if point is None:
            break
        run.append((year, point))
    later = [year for year, point in figures.items() if point is not None and year > (run[-1][0] if run else 0)]
    if not run:
        held = _(" (held: {years})").format(years=", ".join(map(str, later))) if later else ""
        why = _("a change compounded since {base} needs every year's figure from {first}").format(
            base=base_year, first=base_year + 1
        )
        why += held
        return _not_assessable(why, series, target=target)
    compounded = math.prod(1 + point.value / 100 for _, point in run)
    change = (compounded - 1) * 100
    horizon = target.target_year - base_year
    required = (1 + target.value / 100) ** (1 / horizon) - 1
    actual = compounded ** (1 / len(run)) - 1
    if not required:
        return _not_assessable(_("a target of no change has no ratio"), series, target=target)
    ratio = actual / required
    complete = len(run) == horizon
    sign = _sign(spec.direction) or (1 if target.value > 0 else -1)
    if complete and sign * (change - target.value) >= 0:
        status, threshold = ProgressStatus.ACHIEVED, _("the compounded change meets the target")
    else:
        status, threshold = _ratio_category(ratio)
    listed = ", ".join(f"{year} {_fmt(point.value)}" for year, point in run)
    reason = base_note + _(
        "Compounding the yearly changes since {base} ({listed}) gives {change}%, {actual}% a year; {target}% by "
        "{target_year} needs {required}% a year: ratio {ratio} ({threshold})."
    ).format(
        base=base_year,
        listed=listed,
        change=f"{change:+.1f}",
        actual=f"{actual * 100:+.2f}",
        target=f"{target.value:+g}",
        target_year=target.target_year,
        required=f"{required * 100:+.2f}",
        ratio=f"{ratio:.2f}",
        threshold=threshold,
    )
    years = tuple(year for year, _ in run)
    fields = _plan_fields(target, years=years, actual=actual * 100, required=required * 100, ratio=ratio)
    return _result(status, method="plan_cumulative", threshold=threshold, reason=reason, latest=run[-1][1], **fields)


def _ratio_category(ratio: float) -> tuple[ProgressStatus, str]:
    if ratio >= RATIO_ON_TRACK:
        return ProgressStatus.ON_TRACK, _("ratio ≥ 0.95")
    if ratio >= RATIO_PROGRESSING:
        return ProgressStatus.PROGRESSING, _("0.5 ≤ ratio < 0.95")
    if ratio >= RATIO_STALLED:
        return ProgressStatus.STALLED, _("−0.1 ≤ ratio < 0.5")
    return ProgressStatus.REGRESSING, _("ratio < −0.1")


def _passed_note(series: list[Point], target_year: int) -> str:
    if series and series[-1].period.year > target_year:
        return _(" The target year {year} has passed; figures after it are not used.").format(year=target_year)
    return ""


# --- Plan target: band ---------------------------------------------------------------------------


def _assess_band(series: list[Point], target: TargetSpec) -> ProgressResult:
    if target.value_high is None or target.value > target.value_high:
        raise ValueError("a band target needs value ≤ value_high")
    low, high = target.value, target.value_high
    usable = [p for p in series if p.period.year <= target.target_year]
    if not usable:
        return _not_assessable(_("no figure up to the target year"), series, target=target)
    latest = usable[-1]
    band = f"[{_fmt(low)}, {_fmt(high)}]"
    common = {"method": "band", "latest": latest, "target_year": target.target_year}
    distance = _distance_to_band(latest.value, low, high)
    if distance == 0:
        reason = _("The latest figure {latest} is inside the band {band}.").format(latest=_fmt(latest.value), band=band)
        threshold = _("inside {band}").format(band=band)
        return _result(ProgressStatus.ON_TRACK, threshold=threshold, reason=reason, **common)
    year_before = next((p for p in usable if p.period == latest.period.replace(year=latest.period.year - 1)), None)
    if year_before is not None and _distance_to_band(year_before.value, low, high) > distance:
        reason = _(
            "The latest figure {latest} is outside the band {band}, but closer to it than a year before ({before})."
        ).format(latest=_fmt(latest.value), band=band, before=_fmt(year_before.value))
        threshold = _("outside {band}, closer than a year before").format(band=band)
        return _result(ProgressStatus.STALLED, threshold=threshold, reason=reason, base=year_before, **common)
    before = _(" (a year before: {value})").format(value=_fmt(year_before.value)) if year_before is not None else ""
    reason = _("The latest figure {latest} is outside the band {band} and not closer to it than a year before").format(
        latest=_fmt(latest.value), band=band
    )
    reason += f"{before}."
    threshold = _("outside {band}, not closer than a year before").format(band=band)
    return _result(ProgressStatus.REGRESSING, threshold=threshold, reason=reason, base=year_before, **common)


def _distance_to_band(value: float, low: float, high: float) -> float:
    return max(low - value, value - high, 0.0)


# --- No target: the recent trend, chosen by kind --------------------------------------------------


def _assess_trend(series: list[Point], spec: SeriesSpec) -> ProgressResult:
    if not series:
        return _not_assessable(_("no figure yet"), series)
    newest = series[-1].period.year
    if newest <= ARTICLE_YEAR - STALE_BEFORE_ARTICLE_YEARS:
        why = _("the newest figure is from {year}, {years} years or more before the article ({article})").format(
            year=newest, years=STALE_BEFORE_ARTICLE_YEARS, article=ARTICLE_YEAR
        )
        return _not_assessable(why, series)
    method = method_for(spec.kind)
    if method in ("compound_growth", "points_trend"):
        return _assess_level_trend(series, spec)
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


def _robust_slope(window: list[Point], frequency: str, *, logs: bool = True) -> float | None:
    """The median of the pairwise slopes of the (log) figures (Theil-Sen; Sen 1968, seasonal pairs as Hirsch 1982)."""
    pairs = _pairs(window, frequency)
    if not pairs or (logs and any(p.value <= 0 for p in window)):
        return None
    scale = math.log if logs else float
    slopes = [
        (scale(later.value) - scale(earlier.value)) / _years_between(earlier.period, later.period)
        for earlier, later in pairs
    ]
    return statistics.median(slopes)


def _break_note(window: list[Point], *, anywhere: bool = False) -> str:
    """Say so when the window starts in (or, for an average, holds) a known break year, or a flagged break."""
    notes = []
    years = sorted({p.period.year for p in window} if anywhere else {window[0].period.year} if window else set())
    for year in (year for year in years if year in BREAK_YEARS):
        if anywhere:
            text = _("The window holds {year}, a break year ({why}).")
        else:
            text = _("The window starts in {year}, a break year ({why}).")
        notes.append(text.format(year=year, why=BREAK_YEARS[year]))
    breaks = [_period_label(p) for p in window if p.is_break]
    if breaks:
        notes.append(_("The source flags a break in series at {periods}.").format(periods=", ".join(breaks)))
    return "".join(f" {note}" for note in notes)


def _too_few_pairs(window: list[Point], pairs: list[tuple[Point, Point]], frequency: str) -> str:
    """Why a trend window's figures are too few to be a trend, or nothing."""
    if len(window) == 1:
        why = _("only one figure in the last {years} years ({period}); a trend needs two")
        return why.format(years=TREND_WINDOW_YEARS, period=_period_label(window[0], frequency))
    if not pairs:
        why = _("no two figures of the same season at least a year apart in the last {years} years")
        return why.format(years=TREND_WINDOW_YEARS)
    if len(pairs) < _MINIMUM_PAIRS[frequency]:
        why = _("only {pairs} pair(s) of the same month a year or more apart; a trend needs {minimum}")
        return why.format(pairs=len(pairs), minimum=_MINIMUM_PAIRS[frequency])
    return ""


def _assess_level_trend(series: list[Point], spec: SeriesSpec) -> ProgressResult:
    """Levels and counts by compound growth, shares in points a year: the median slope of every pair (Theil-Sen)."""
    compound = spec.kind in COMPOUND_KINDS
    window = _window(series)
    if compound and any(p.value <= 0 for p in window):
        why = _("a level at or below zero has no compound growth, and without a target its change has no scale")
        return _not_assessable(why, series, base=window[0], latest=series[-1])
    pairs = _pairs(window, spec.frequency)
    why = _too_few_pairs(window, pairs, spec.frequency)
    if why:
        return _not_assessable(why, series)
    slope = _robust_slope(window, spec.frequency, logs=compound)
    if compound:
        change = math.exp(slope) - 1
        status, threshold, aim = _level_category(series, window, spec, change)
        text = _(
            "From {base} to {latest} the figure grew {rate} a year (compound; the median slope of {pairs} pairs of "
            "its {count} figures); {aim} is desired ({threshold})."
        )
    else:
        change = slope
        status, threshold, aim = _share_category(spec, change)
        text = _(
            "From {base} to {latest} the share moved {rate} points a year (in percentage points, not compounded; "
            "the median slope of {pairs} pairs of its {count} figures); {aim} is desired ({threshold})."
        )
    base = min((earlier for earlier, _later in pairs), key=lambda point: point.period)
    latest = max((later for _earlier, later in pairs), key=lambda point: point.period)
    labels = {"base": _period_label(base, spec.frequency), "latest": _period_label(latest, spec.frequency)}
    counts = {"pairs": len(pairs), "count": len(window), "aim": aim, "threshold": threshold}
    reason = text.format(rate=f"{change:+.2%}" if compound else f"{change:+.2f}", **labels, **counts)
    reason += _break_note(window)
    fields = {"base": base, "latest": latest, "actual": change, "basis": CAGR if compound else POINTS}
    return _result(status, method=method_for(spec.kind), threshold=threshold, reason=reason, **fields)


_AIMS = {
    "increase": gettext_lazy("an increase"),
    "decrease": gettext_lazy("a decrease"),
    "stable": gettext_lazy("stability"),
    "hold": gettext_lazy("no fall"),
    "peak": gettext_lazy("a peak (slower growth, then a fall)"),
}


def _level_category(series: list[Point], window: list[Point], spec: SeriesSpec, rate: float):
    """A level's compound growth against its aim (0.5% and 2% a year; peaking against the five years before)."""
    if spec.direction == "peak":
        return (*_peak_category(series, window, spec, rate), _AIMS["peak"])
    return (
        *_trend_category(rate * 100, spec.direction, CAGR_CLEAR * 100, CAGR_SLIGHT * 100, "%"),
        _AIMS[spec.direction],
    )


def _share_category(spec: SeriesSpec, points_a_year: float):
    """A share's change in points a year: a share held against a fall has its own, wider thresholds."""
    if spec.direction in ("hold", "stable"):  # a stable share: the same thresholds, either way
        clear, slight = HOLD_SHARE_FALL, HOLD_SHARE_SLIP
    else:
        clear, slight = SHARE_CLEAR, SHARE_SLIGHT
    return (*_trend_category(points_a_year, spec.direction, clear, slight, _(" points")), _AIMS[spec.direction])


def _peak_category(series: list[Point], window: list[Point], spec: SeriesSpec, rate: float):
    """Peaking: a fall is the aim; slower growth than the five years before is progress toward the peak."""
    if rate <= -CAGR_SLIGHT:
        return ProgressStatus.ON_TRACK, _("falling by 0.5% a year or more")
    if rate < CAGR_SLIGHT:
        return ProgressStatus.PROGRESSING, _("flat within ±0.5% a year: at or near a peak")
    earlier = _window(series, end=window[0].period)
    earlier_slope = _robust_slope(earlier, spec.frequency) if len(earlier) > 1 else None
    if earlier_slope is None:
        return ProgressStatus.STALLED, _("still rising; no earlier window to compare")
    before = math.exp(earlier_slope) - 1
    compared = {"rate": f"{before:+.2%}", "first": _period_label(earlier[0], spec.frequency)}
    compared["last"] = _period_label(earlier[-1], spec.frequency)
    if rate < before - CAGR_SLIGHT:
        text = _("rising, more slowly than in the five years before, {first}-{last}: {rate} a year")
        return ProgressStatus.PROGRESSING, text.format(**compared)
    if rate <= before + CAGR_SLIGHT:
        text = _("rising about as fast as in the five years before, {first}-{last}: {rate} a year")
        return ProgressStatus.STALLED, text.format(**compared)
    text = _("rising faster than in the five years before, {first}-{last}: {rate} a year")
    return ProgressStatus.REGRESSING, text.format(**compared)


def _recent_figures(series: list[Point], spec: SeriesSpec) -> list[Point]:
    """The figures a growth rate's recent pace is the average of (a year-to-date rate: its latest long figure)."""
    latest = series[-1]
    if spec.kind == "growth_ytd" and spec.frequency != "annual":
        months_covered = latest.period.month + MONTHS_PER_PERIOD[spec.frequency] - 1
        if months_covered >= 6:
            return [latest]
        year_end = _full_year_figure(series, spec, latest.period.year - 1)
        return [year_end] if year_end is not None else [latest]
    months = _WINDOW_FIGURES[spec.frequency] * MONTHS_PER_PERIOD[spec.frequency]
    start = _add_months(latest.period, -months + 1)
    return [p for p in series if p.period >= start]


def _pace_too_thin(recent: list[Point], spec: SeriesSpec) -> str:
    """Why a recent average cannot be defended: too few figures in its window, or a newest figure too old."""
    reasons, frequency, latest = [], spec.frequency, recent[-1]
    if spec.kind != "growth_ytd" and len(recent) < _WINDOW_MINIMUM[frequency]:
        window = {"window": _WINDOW_FIGURES[frequency], "units": _WINDOW_UNITS[frequency]}
        held = {"count": len(recent), "listed": ", ".join(_period_label(p, frequency) for p in recent)}
        text = _(
            "figures for only {count} of the {window} {units} to {latest} ({listed}); a recent average needs {minimum}"
        )
        latest_label = _period_label(latest, frequency)
        reasons.append(text.format(latest=latest_label, minimum=_WINDOW_MINIMUM[frequency], **window, **held))
    if latest.period.year < PACE_NEWEST_YEAR:
        text = _("the newest figure ({period}) predates {year}, the year before the article")
        reasons.append(text.format(period=_period_label(latest, frequency), year=PACE_NEWEST_YEAR))
    return _("; and ").join(reasons)


def _assess_pace(series: list[Point], spec: SeriesSpec) -> ProgressResult:
    recent = _recent_figures(series, spec)
    why = _pace_too_thin(recent, spec)
    if why:
        return _not_assessable(why, series)
    offset = _growth_offset(spec)
    pace = statistics.fmean(p.value - offset for p in recent)
    status, threshold = _trend_category(pace, spec.direction, PACE_CLEAR, PACE_SLIGHT, _(" points"))
    first, last = recent[0], recent[-1]
    if len(recent) == 1:
        covers = _("the year to date") if spec.kind == "growth_ytd" else _("the year")
        span = _("The figure for {period} ({covers})").format(period=_period_label(last, spec.frequency), covers=covers)
    else:
        span = _("The {count} figures from {first} to {last} average").format(
            count=len(recent), first=_period_label(first, spec.frequency), last=_period_label(last, spec.frequency)
        )
    aims = {"increase": _("growth"), "decrease": _("a fall"), "stable": _("no change"), "peak": _("a fall")}
    reason = _(
        "{span} {pace}% year on year; {aim} is desired ({threshold}). A growth rate is judged by its recent "
        "average, never compounded."
    ).format(span=span, pace=f"{pace:+.2f}", aim=aims[spec.direction], threshold=threshold)
    reason += _break_note(recent, anywhere=True)
    fields = {"base": first, "latest": last, "actual": pace, "basis": POINTS}
    return _result(status, method="recent_pace", threshold=threshold, reason=reason, **fields)


def _assess_neutral_line(series: list[Point], spec: SeriesSpec) -> ProgressResult:
    latest = series[-1]
    start = _add_months(latest.period, -11)
    recent = [p for p in series if p.period >= start]
    if len(recent) < _WINDOW_MINIMUM["monthly"]:
        return _not_assessable(_("fewer than 6 figures in the last 12 months"), series)
    neutral = spec.neutral
    mean = statistics.fmean(p.value for p in recent)
    distance = (mean - neutral) * (-1 if spec.direction == "decrease" else 1)
    below = sum(1 for p in recent if p.value < neutral)
    if distance >= NEUTRAL_MARGIN:
        status, threshold = (
            ProgressStatus.ON_TRACK,
            _("average ≥ {value}: expansion").format(value=_fmt(neutral + NEUTRAL_MARGIN)),
        )
    elif distance >= 0:
        status, threshold = (
            ProgressStatus.PROGRESSING,
            _("average {low} to {high}").format(low=_fmt(neutral), high=_fmt(neutral + NEUTRAL_MARGIN)),
        )
    elif distance > -NEUTRAL_MARGIN:
        status, threshold = (
            ProgressStatus.STALLED,
            _("average {low} to {high}").format(low=_fmt(neutral - NEUTRAL_MARGIN), high=_fmt(neutral)),
        )
    else:
        status, threshold = (
            ProgressStatus.REGRESSING,
            _("average < {value}: contraction").format(value=_fmt(neutral - NEUTRAL_MARGIN)),
        )
    side = _("above") if mean >= neutral else _("below")
    reason = _(
        "Over the {count} months from {first} to {last} the index averaged {mean}, {distance} {side} its neutral "
        "line {neutral} (below it in {below} of {count} months); a diffusion index is read against that line, not "
        "by its slope ({threshold})."
    ).format(
        count=len(recent),
        first=_period_label(recent[0], spec.frequency),
        last=_period_label(latest, spec.frequency),
        mean=f"{mean:.2f}",
        distance=f"{abs(mean - neutral):.2f}",
        side=side,
        neutral=_fmt(neutral),
        below=below,
        threshold=threshold,
    )
    fields = {"base": recent[0], "latest": latest, "actual": mean - neutral, "basis": POINTS}
    return _result(status, method="neutral_line", threshold=threshold, reason=reason, **fields)


def _trend_category(change: float, direction: str, clear: float, slight: float, unit: str):
    """A change (percent a year, or points) against the desired direction."""
    if direction == "hold":
        return _hold_category(change, clear, slight, unit)
    if direction == "stable":
        if abs(change) < slight:
            return ProgressStatus.ON_TRACK, _("|change| < {slight}{unit} a year").format(
                slight=f"{slight:g}", unit=unit
            )
        if abs(change) < clear:
            return ProgressStatus.STALLED, _("{slight}{unit} ≤ |change| < {clear}{unit} a year").format(
                slight=f"{slight:g}", clear=f"{clear:g}", unit=unit
            )
        return ProgressStatus.REGRESSING, _("|change| ≥ {clear}{unit} a year").format(clear=f"{clear:g}", unit=unit)
    toward = -change if direction in ("decrease", "peak") else change
    values = {"slight": f"{slight:g}", "clear": f"{clear:g}", "unit": unit}
    if toward >= clear:
        return ProgressStatus.ON_TRACK, _("≥ {clear}{unit} in the desired direction").format(**values)
    if toward >= slight:
        return ProgressStatus.PROGRESSING, _("{slight}{unit} to {clear}{unit} in the desired direction").format(
            **values
        )
    if toward > -slight:
        return ProgressStatus.STALLED, _("less than {slight}{unit} either way").format(**values)
    return ProgressStatus.REGRESSING, _("≥ {slight}{unit} against the desired direction").format(**values)


def _hold_category(change: float, fall: float, slip: float, unit: str):
    """Held against a fall: a rise, or a fall under `slip` a year, holds; a fall of `fall` or more regresses."""
    values = {"slip": f"{slip:g}", "fall": f"{fall:g}", "unit": unit}
    if change > -slip:
        return ProgressStatus.ON_TRACK, _("holding: no fall of {slip}{unit} a year or more").format(**values)
    if change > -fall:
        return ProgressStatus.STALLED, _("slipping: falling {slip}{unit} to {fall}{unit} a year").format(**values)
    return ProgressStatus.REGRESSING, _("falling {fall}{unit} a year or more").format(**values)


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


def _without_carried_forward(series: list[Point]) -> list[Point]:
    """Drop estimates that only repeat the figure before (UNIDO carries its last survey forward): not new data."""
    kept = []
    for point in series:
        repeats = kept and math.isclose(point.value, kept[-1].value, rel_tol=1e-9)
        if not (point.is_estimated and repeats):
            kept.append(point)
    return kept


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
        reason=_("Cannot be assessed yet: {why}.").format(why=why),
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
    """A not-assessable reason without its opening words, to quote inside another reason."""
    return reason.removeprefix(_("Cannot be assessed yet: {why}.").split("{why}")[0]).rstrip(".。")


def _fmt(value: float) -> str:
    return f"{value:,.4g}" if abs(value) >= 1e-3 or value == 0 else f"{value:.3g}"


def _fmt_rate(rate: float, basis: str) -> str:
    return f"{rate:+.2%}" if basis == CAGR else f"{rate:+.3g}"


def _period_label(point: Point, frequency: str = "") -> str:
    """A year for an annual figure, year and quarter for a quarterly one; year and month otherwise (January too, when
    the frequency says monthly)."""
    if frequency == "annual" or (not frequency and point.period.month == 1):
        return str(point.period.year)
    if frequency == "quarterly":
        return f"{point.period.year}-Q{(point.period.month - 1) // 3 + 1}"
    return f"{point.period.year}-{point.period.month:02d}"
