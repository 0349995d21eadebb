"""Progress assessment read for the pages and the API: each indicator's summary on its home series, each
commitment's computed status with the trace behind it, and the early warnings.

An indicator's assessment is cached under a key holding its `data_version`, which every write bumps inside
its transaction: a refresh run in another process invalidates the cache without talking to it.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, fields

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from indicators import periods, progress, warnings
from indicators.models import Indicator, Observation, Target
from indicators.selectors import HOME_GEOGRAPHY, Series, home_series
from tasks.models import Commitment


@dataclass(frozen=True)
class IndicatorSummary:
    """An indicator's assessment on its home series, and how fresh it is. Small: list pages load hundreds."""

    assessment: progress.ProgressResult
    target: Target | None
    latest_period: datetime.date | None
    latest_value: float | None
    freshness: str
    next_due: datetime.date | None
    frequency: str
    assessment_key: str = ""  # what the assessment rests on besides the figures (kind, aim, targets)

    def _label(self, period: datetime.date | None) -> str:
        return periods.format_period(period, self.frequency) if period else ""

    @property
    def latest_label(self) -> str:
        return self._label(self.latest_period)

    @property
    def base_label(self) -> str:
        return self._label(self.assessment.base_period)

    @property
    def years_label(self) -> str:
        years = self.assessment.years
        if not years:
            return ""
        return str(years[0]) if years[0] == years[-1] else f"{years[0]}–{years[-1]}"

    def _rate_text(self, rate: float | None) -> str:
        if rate is None:
            return ""
        if self.assessment.basis == progress.CAGR:
            return f"{rate:+.2%}"
        return f"{rate:+.3g}"

    @property
    def actual_rate_text(self) -> str:
        return self._rate_text(self.assessment.actual_rate)

    @property
    def required_rate_text(self) -> str:
        return self._rate_text(self.assessment.required_rate)

    @property
    def next_due_passed(self) -> bool:
        return self.next_due is not None and self.next_due <= timezone.localdate()

    @property
    def rates_in_points(self) -> bool:
        return self.assessment.basis == progress.POINTS

    @property
    def rate_unit(self) -> str:
        """What the trace's rates are, in words: they differ by method (a compound rate, an average, a distance)."""
        return RATE_UNITS.get(self.assessment.method, RATE_UNITS["target_ratio"] if self.rates_in_points else "")


RATE_UNITS = {
    "compound_growth": _("a year (compound)"),
    "recent_pace": _("% year on year (recent average)"),
    "neutral_line": _("points from the neutral line (12-month average)"),
    "plan_average": _("% a year (average of the plan years)"),
    "plan_cumulative": _("% a year (yearly changes compounded)"),
    "target_ratio": _("points a year"),
}


def target_spec(target: Target) -> progress.TargetSpec:
    return progress.TargetSpec(
        kind=target.kind,
        value=float(target.value),
        value_high=None if target.value_high is None else float(target.value_high),
        base_year=target.base_year,
        target_year=target.target_year,
        qualifier=target.qualifier,
        set_in_year=target.document_date.year,
    )


def series_spec(indicator: Indicator) -> progress.SeriesSpec:
    """What the progress method needs of an indicator: its kind, aim and natural limits."""
    return progress.SeriesSpec(
        kind=indicator.kind,
        direction=indicator.direction,
        frequency=indicator.frequency,
        neutral=None if indicator.neutral_value is None else float(indicator.neutral_value),
        lower=None if indicator.plausible_min is None else float(indicator.plausible_min),
        upper=None if indicator.plausible_max is None else float(indicator.plausible_max),
    )


def spec_key(indicator: Indicator, targets: list[Target]) -> str:
    """A stable text for what the assessment rests on besides the figures, so an edit misses every cache."""
    spec = series_spec(indicator)
    parts = [f"{spec.kind}:{spec.direction}:{spec.neutral}:{spec.lower}:{spec.upper}"]
    for target in sorted(targets, key=lambda t: (t.kind, t.target_year)):
        parts.append(f"{target.kind}:{target.value}:{target.value_high}:{target.base_year}:{target.target_year}")
        parts.append(f"{target.qualifier}:{target.document_date.year}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def _deciding_target(targets: list[Target], assessment: progress.ProgressResult) -> Target | None:
    """The target the status rests on, if one decided it."""
    if assessment.target_year is None or assessment.method == "none":
        return None
    annual = assessment.method == "annual_targets"
    for target in targets:
        if target.target_year == assessment.target_year and (target.kind == Target.Kind.ANNUAL) == annual:
            return target
    return None


def _summary_cache_key(indicator: Indicator, targets: list[Target]) -> str:
    """The reasons are written in the request's language, so the language is part of the key."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return f"indicator-summary:{indicator.pk}:v{indicator.data_version}:{language}:{spec_key(indicator, targets)}"


def _home_targets(indicators: list[Indicator]) -> dict[int, list[Target]]:
    """Each indicator's targets for the home geography, in one query."""
    targets: dict[int, list[Target]] = {indicator.pk: [] for indicator in indicators}
    for target in Target.objects.filter(indicator_id__in=list(targets), geography__code=HOME_GEOGRAPHY):
        targets[target.indicator_id].append(target)
    return targets


def _assessed(indicator: Indicator, points: Series, targets: list[Target]) -> tuple:
    """What the summary cache holds of an indicator: its assessment and its latest figure."""
    assessment = progress.assess_indicator(
        points=list(points), spec=series_spec(indicator), targets=[target_spec(target) for target in targets]
    )
    latest = points[-1] if points else None
    return assessment, latest.period if latest else None, latest.value if latest else None


def _summary(indicator: Indicator, targets: list[Target], assessed: tuple, today: datetime.date) -> IndicatorSummary:
    assessment, latest_period, latest_value = assessed
    lag = indicator.release_lag_days
    return IndicatorSummary(
        assessment=assessment,
        target=_deciding_target(targets, assessment),
        latest_period=latest_period,
        latest_value=latest_value,
        freshness=periods.freshness(
            latest_period=latest_period, frequency=indicator.frequency, release_lag_days=lag, today=today
        ).value,
        next_due=periods.next_due(latest_period=latest_period, frequency=indicator.frequency, release_lag_days=lag)
        if latest_period
        else None,
        frequency=indicator.frequency,
        assessment_key=spec_key(indicator, targets),
    )


def indicator_summaries_with_series(
    *, indicators: list[Indicator]
) -> tuple[dict[int, IndicatorSummary], dict[int, Series]]:
    """Summaries in at most two queries (targets; the home series of cache misses), and the series it loaded."""
    if not indicators:
        return {}, {}
    targets = _home_targets(indicators)
    keys = {indicator.pk: _summary_cache_key(indicator, targets[indicator.pk]) for indicator in indicators}
    found = cache.get_many(list(keys.values()))
    missing = [indicator for indicator in indicators if keys[indicator.pk] not in found]
    loaded = home_series([indicator.pk for indicator in missing]) if missing else {}
    computed = {
        keys[indicator.pk]: _assessed(indicator, loaded[indicator.pk], targets[indicator.pk]) for indicator in missing
    }
    if computed:
        cache.set_many(computed, settings.PAGE_CACHE_SECONDS)
    found.update(computed)
    today = timezone.localdate()
    summaries = {
        indicator.pk: _summary(indicator, targets[indicator.pk], found[keys[indicator.pk]], today)
        for indicator in indicators
    }
    return summaries, loaded


def indicator_summaries_get(*, indicators: list[Indicator]) -> dict[int, IndicatorSummary]:
    """Summaries of these indicators: one query for targets, one for the home series the cache misses."""
    return indicator_summaries_with_series(indicators=indicators)[0]


@dataclass(frozen=True)
class TraceStep:
    """One indicator's part in a commitment's computed status: what it was measured against and why."""

    indicator: str
    status: str
    method: str
    reason: str
    actual_rate: float | None
    required_rate: float | None
    basis: str
    target_year: int | None


# A trace step holds these of the indicator's assessment (progress.ProgressResult), by the same names.
_TRACE_FROM_ASSESSMENT = tuple(field.name for field in fields(TraceStep) if field.name != "indicator")


@dataclass(frozen=True)
class CommitmentStatus:
    """A commitment's status as its indicators compute it, and each indicator's part in it."""

    computed_status: str
    trace: tuple[TraceStep, ...]

    def disagrees_with(self, assessed_status: str | None) -> bool:
        """Whether the analysts' latest status is a real status other than the computed one."""
        return progress.statuses_disagree(assessed_status, self.computed_status)


def _trace_step(code: str, summary: IndicatorSummary) -> TraceStep:
    """The indicator's part, copied from its assessment: a trace step's fields but `indicator` are the assessment's."""
    copied = {name: getattr(summary.assessment, name) for name in _TRACE_FROM_ASSESSMENT}
    return TraceStep(indicator=code, **copied)


def commitment_statuses(
    *, commitments: list[Commitment], summaries: dict[int, IndicatorSummary] | None = None
) -> dict[int, CommitmentStatus]:
    """Each commitment's computed status: the least favourable of its indicators' (not assessable without any).

    The commitments carry their indicator links (`commitments_with_indicator_links`). Pass the indicators'
    summaries when they are at hand already; otherwise they are read here (one or two queries).
    """
    if summaries is None:
        indicators = {link.indicator_id: link.indicator for c in commitments for link in c.indicator_links.all()}
        summaries = indicator_summaries_get(indicators=list(indicators.values()))
    statuses = {}
    for commitment in commitments:
        trace = tuple(
            _trace_step(link.indicator.code, summaries[link.indicator_id]) for link in commitment.indicator_links.all()
        )
        computed = progress.commitment_status(step.status for step in trace)
        statuses[commitment.pk] = CommitmentStatus(computed_status=computed, trace=trace)
    return statuses


@dataclass(frozen=True)
class IndicatorWarning:
    """An early warning on an indicator's home series, with when its latest tripping figure was recorded."""

    indicator: Indicator
    warning: warnings.EarlyWarning
    recorded_at: datetime.datetime


GROWTH_KINDS = (Indicator.Kind.GROWTH_YOY, Indicator.Kind.GROWTH_YTD)
YEAR_TARGET_KINDS = (Target.Kind.ANNUAL, Target.Kind.LEVEL)


def _year_target(targets: list[Target], year: int) -> Target | None:
    return next((target for target in targets if target.target_year == year), None)


def early_warnings_get(*, indicators: list[Indicator]) -> list[IndicatorWarning]:
    """The early warnings of these indicators' home series (monthly and quarterly only), in two queries.

    The annual-target rule reads the target set for the latest figure's year, and only for growth rates;
    the neutral line is the indicator's own `neutral_value`.
    """
    watched = {indicator.pk: indicator for indicator in indicators if indicator.frequency in warnings.FREQUENCIES}
    if not watched:
        return []
    rows = (
        Observation.objects.public()
        .filter(indicator_id__in=watched, geography__code=HOME_GEOGRAPHY)
        .order_by("indicator_id", "period")
        .values_list("indicator_id", "period", "value", "updated_at")
    )
    series: dict[int, list[progress.Point]] = {pk: [] for pk in watched}
    recorded: dict[tuple[int, datetime.date], datetime.datetime] = {}
    for indicator_id, period, value, updated_at in rows:
        series[indicator_id].append(progress.Point(period=period, value=float(value)))
        recorded[indicator_id, period] = updated_at
    targets: dict[int, list[Target]] = {}
    for target in Target.objects.filter(
        indicator_id__in=watched, geography__code=HOME_GEOGRAPHY, kind__in=YEAR_TARGET_KINDS
    ):
        targets.setdefault(target.indicator_id, []).append(target)
    found = []
    for pk, indicator in watched.items():
        points = series[pk]
        target = None
        if points and indicator.kind in GROWTH_KINDS:
            target = _year_target(targets.get(pk, []), points[-1].period.year)
        neutral = indicator.neutral_value
        for warning in warnings.early_warnings(
            points=points,
            frequency=indicator.frequency,
            direction=indicator.direction,
            neutral_value=None if neutral is None else float(neutral),
            target_value=float(target.value) if target else None,
            target_year=target.target_year if target else None,
        ):
            found.append(IndicatorWarning(indicator, warning, recorded[pk, warning.figures[-1].period]))
    return found
