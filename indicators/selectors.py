"""Read queries for the indicator pages. Each runs a fixed number of queries however much data there is.

What is expensive to compute (an indicator's home series and its progress assessment, a chart's figure)
is cached under a key holding the indicator's `data_version`, which every write bumps inside its
transaction: a refresh run in another process invalidates the cache without talking to it.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from indicators import charts, periods, progress, provenance, warnings
from indicators.bilingual import localized
from indicators.cache_keys import site_version
from indicators.models import (
    CommitmentIndicator,
    Geography,
    Indicator,
    Observation,
    ObservationRevision,
    PolicyClause,
    Source,
    Target,
)
from tasks.models import Assessment, Commitment, Sector, Task
from tasks.selectors import commitments_with_latest_assessment

HOME_GEOGRAPHY = "CHN"


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


def _labels_key(indicator: Indicator) -> str:
    """Admin edits to what a figure prints (names, unit, source) do not bump the data version: key on them too."""
    labels = "|".join(
        [
            indicator.name_en,
            indicator.name_zh,
            indicator.unit_en,
            indicator.unit_zh,
            indicator.source.name,
            indicator.source.name_zh,
        ]
    )
    return hashlib.sha256(labels.encode()).hexdigest()[:12]


def _summary_cache_key(indicator: Indicator, targets: list[Target]) -> str:
    """The reasons are written in the request's language, so the language is part of the key."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return f"indicator-summary:{indicator.pk}:v{indicator.data_version}:{language}:{spec_key(indicator, targets)}"


Series = tuple[progress.Point, ...]


def _figure_flag(observation: Observation) -> str:
    """The one flag a chart marker shows; a break outranks provisional, which outranks estimated."""
    if observation.is_break:
        return "break"
    if observation.is_provisional:
        return "provisional"
    return "estimated" if observation.is_estimated else ""


def _home_series(indicator_ids: list[int]) -> dict[int, Series]:
    """The home geography's figures of these indicators, oldest first, in one query."""
    series: dict[int, list[progress.Point]] = {indicator_id: [] for indicator_id in indicator_ids}
    rows = (
        Observation.objects.public()
        .filter(indicator_id__in=indicator_ids, geography__code=HOME_GEOGRAPHY)
        .order_by("indicator_id", "period")
        .values_list("indicator_id", "period", "value", "is_break", "is_estimated")
    )
    for indicator_id, period, value, is_break, is_estimated in rows:
        point = progress.Point(period=period, value=float(value), is_break=is_break, is_estimated=is_estimated)
        series[indicator_id].append(point)
    return {indicator_id: tuple(points) for indicator_id, points in series.items()}


def _summaries_and_series(indicators: list[Indicator]) -> tuple[dict[int, IndicatorSummary], dict[int, Series]]:
    """Summaries in at most two queries (targets; the home series of cache misses), and the series it loaded."""
    if not indicators:
        return {}, {}
    today = timezone.localdate()
    targets_by_indicator: dict[int, list[Target]] = {}
    for target in Target.objects.filter(
        indicator_id__in=[indicator.pk for indicator in indicators], geography__code=HOME_GEOGRAPHY
    ):
        targets_by_indicator.setdefault(target.indicator_id, []).append(target)
    targets = {indicator.pk: targets_by_indicator.get(indicator.pk, []) for indicator in indicators}
    keys = {indicator.pk: _summary_cache_key(indicator, targets[indicator.pk]) for indicator in indicators}
    found = cache.get_many(list(keys.values()))
    missing = [indicator for indicator in indicators if keys[indicator.pk] not in found]
    loaded = _home_series([indicator.pk for indicator in missing]) if missing else {}
    computed = {}
    for indicator in missing:
        points = loaded[indicator.pk]
        assessment = progress.assess_indicator(
            points=list(points),
            spec=series_spec(indicator),
            targets=[target_spec(target) for target in targets[indicator.pk]],
        )
        latest = points[-1] if points else None
        computed[keys[indicator.pk]] = (assessment, latest.period if latest else None, latest.value if latest else None)
    if computed:
        cache.set_many(computed, settings.PAGE_CACHE_SECONDS)
    found.update(computed)
    summaries = {}
    for indicator in indicators:
        assessment, latest_period, latest_value = found[keys[indicator.pk]]
        summaries[indicator.pk] = IndicatorSummary(
            assessment=assessment,
            target=_deciding_target(targets[indicator.pk], assessment),
            latest_period=latest_period,
            latest_value=latest_value,
            freshness=periods.freshness(
                latest_period=latest_period,
                frequency=indicator.frequency,
                release_lag_days=indicator.release_lag_days,
                today=today,
            ).value,
            next_due=periods.next_due(
                latest_period=latest_period, frequency=indicator.frequency, release_lag_days=indicator.release_lag_days
            )
            if latest_period
            else None,
            frequency=indicator.frequency,
            assessment_key=spec_key(indicator, targets[indicator.pk]),
        )
    return summaries, loaded


def indicator_summaries_get(*, indicators: list[Indicator]) -> dict[int, IndicatorSummary]:
    """Summaries of these indicators: one query for targets, one for the home series the cache misses."""
    return _summaries_and_series(indicators)[0]


@dataclass(frozen=True)
class IndicatorCard:
    """What a page shows of one indicator: the model, its summary and a compact chart."""

    indicator: Indicator
    summary: IndicatorSummary
    figure_json: str = ""


def _card_figure_key(indicator: Indicator, summary: IndicatorSummary, language: str) -> str:
    spec = summary.assessment_key
    return f"indicator-card-figure:{indicator.pk}:v{indicator.data_version}:{language}:{spec}:{_labels_key(indicator)}"


def _card_figure(indicator: Indicator, summary: IndicatorSummary, points: Series, language: str) -> str:
    target = summary.target
    return charts.compact_figure(
        title=localized(indicator, "name", language),
        unit=localized(indicator, "unit", language),
        source=localized(indicator.source, "name", language),
        periods=[point.period for point in points],
        values=[point.value for point in points],
        frequency=indicator.frequency,
        target_year=target.target_year if target else None,
        target_value=float(target.value) if target and target.kind in (Target.Kind.LEVEL, Target.Kind.ANNUAL) else None,
        year_to_date=indicator.aggregation == Indicator.Aggregation.YEAR_TO_DATE,
        neutral_value=None if indicator.neutral_value is None else float(indicator.neutral_value),
    )


def indicator_cards_get(
    *, indicators: list[Indicator], language: str, figures_for: frozenset[int] | set[int] = frozenset()
) -> dict[int, IndicatorCard]:
    """Cards for these indicators (their sources selected), with compact charts for `figures_for`.

    At most three queries: targets, the home series of summaries the cache misses, and the home series
    of charts the cache misses that the first did not load.
    """
    summaries, loaded = _summaries_and_series(indicators)
    charted = [
        indicator for indicator in indicators if indicator.pk in figures_for and summaries[indicator.pk].latest_period
    ]
    figure_keys = {
        indicator.pk: _card_figure_key(indicator, summaries[indicator.pk], language) for indicator in charted
    }
    figures = cache.get_many(list(figure_keys.values()))
    absent = [indicator for indicator in charted if figure_keys[indicator.pk] not in figures]
    unloaded = [indicator.pk for indicator in absent if indicator.pk not in loaded]
    if unloaded:
        loaded = {**loaded, **_home_series(unloaded)}
    built = {
        figure_keys[indicator.pk]: _card_figure(indicator, summaries[indicator.pk], loaded[indicator.pk], language)
        for indicator in absent
    }
    if built:
        cache.set_many(built, settings.PAGE_CACHE_SECONDS)
    figures.update(built)
    return {
        indicator.pk: IndicatorCard(
            indicator=indicator,
            summary=summaries[indicator.pk],
            figure_json=figures.get(figure_keys.get(indicator.pk, ""), ""),
        )
        for indicator in indicators
    }


# --- /indicators/ -------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorFilters:
    task: int | None = None
    sector: str = ""
    source: str = ""
    freshness: str = ""


@dataclass
class IndicatorListPage:
    cards: list[IndicatorCard]
    total: int
    tasks: list[Task]
    sectors: list[Sector]
    sources: list[Source]
    freshness_choices: list[str] = field(default_factory=lambda: [value.value for value in periods.Freshness])


def indicator_list_get(*, filters: IndicatorFilters, language: str) -> IndicatorListPage:
    """Every indicator matching the filters; freshness is judged in Python from the cached summaries."""
    indicators = Indicator.objects.select_related("source")
    if filters.task:
        indicators = indicators.filter(
            Exists(CommitmentIndicator.objects.filter(indicator=OuterRef("pk"), commitment__task__number=filters.task))
        )
    if filters.sector:
        indicators = indicators.filter(sectors__slug=filters.sector)
    if filters.source:
        indicators = indicators.filter(source__key=filters.source)
    indicator_list = list(indicators.distinct())
    cards = indicator_cards_get(indicators=indicator_list, language=language)
    matching = [
        cards[indicator.pk]
        for indicator in indicator_list
        if not filters.freshness or cards[indicator.pk].summary.freshness == filters.freshness
    ]
    return IndicatorListPage(
        cards=matching,
        total=Indicator.objects.count(),
        tasks=list(Task.objects.all()),
        sectors=list(Sector.objects.all()),
        sources=list(Source.objects.all()),
    )


# --- /indicators/<code>/ ------------------------------------------------------------------


@dataclass(frozen=True)
class ChartFilters:
    geographies: tuple[str, ...] = ()
    start: int | None = None
    end: int | None = None
    view: str = "chart"

    @classmethod
    def from_form(cls, data: dict) -> ChartFilters:
        """The filters from a SeriesFilterForm's cleaned data, in one order so cache keys do not multiply."""
        return cls(
            geographies=tuple(sorted(set(data.get("geo") or ()))),
            start=data.get("start"),
            end=data.get("end"),
            view=data.get("view") or "chart",
        )

    def observations(self, queryset: QuerySet[Observation]) -> QuerySet[Observation]:
        """Only the published figures of these geographies and years (all of them when unset)."""
        queryset = queryset.public()
        if self.geographies:
            queryset = queryset.filter(geography__code__in=self.geographies)
        if self.start:
            queryset = queryset.filter(period__gte=datetime.date(self.start, 1, 1))
        if self.end:
            queryset = queryset.filter(period__lt=datetime.date(self.end + 1, 1, 1))
        return queryset


def indicator_geography_codes(*, code: str) -> list[str]:
    """The geographies an indicator's filters accept: its own and the home one, in one query."""
    return list(
        Geography.objects.filter(Q(indicators__code=code) | Q(code=HOME_GEOGRAPHY))
        .values_list("code", flat=True)
        .distinct()
    )


@dataclass(frozen=True)
class TableRow:
    period_label: str
    geography: str
    value: float
    is_provisional: bool
    is_estimated: bool
    is_break: bool
    revised: bool
    analyst_entered: bool
    citation: str
    note: str = ""
    published: bool = False


@dataclass(frozen=True)
class ChartPanel:
    """The chart card's content for one set of filters: cached whole under the data version."""

    figure_json: str
    rows: tuple[TableRow, ...]
    years: tuple[int, ...]
    selected_geographies: tuple[str, ...]
    geographies_with_data: tuple[str, ...]

    @property
    def has_revised_figures(self) -> bool:
        """Whether the chart draws any open diamond, so its caption explains them only then."""
        return any(row.revised for row in self.rows)


@dataclass
class IndicatorPage:
    indicator: Indicator
    summary: IndicatorSummary
    geographies: list[Geography]
    targets: list[Target]
    links: list[CommitmentIndicator]
    revisions: list[ObservationRevision]
    last_updated: datetime.datetime | None
    panel: ChartPanel
    filters: ChartFilters
    analyst_citations: list[str]
    policy_clauses: list[PolicyClause] = field(default_factory=list)
    about_tolerance: float = progress.ABOUT_TOLERANCE

    @property
    def visible_data_query(self) -> str:
        """The downloads' query string for just the figures on screen: the charted geographies and years."""
        params = [("geo", code) for code in self.panel.selected_geographies]
        params += [(name, year) for name, year in (("start", self.filters.start), ("end", self.filters.end)) if year]
        return urlencode(params)


def indicator_get(*, code: str) -> Indicator:
    """Just what a page's title names, for the cached page that may need nothing else."""
    return get_object_or_404(Indicator.objects.only("pk", "code", "name_en", "name_zh"), code=code)


def indicator_get_for_page(*, code: str) -> Indicator:
    """The indicator with what its page shows beside the chart, in four queries."""
    return get_object_or_404(
        Indicator.objects.select_related("source").prefetch_related(
            "geographies",
            Prefetch("targets", queryset=Target.objects.select_related("geography")),
            Prefetch("commitment_links", queryset=CommitmentIndicator.objects.select_related("commitment__task")),
        ),
        code=code,
    )


# Snapshot figures quoted from a publication carry this vintage (scripts/published_figures.py).
PUBLISHED_FIGURE_VINTAGE = "Published figure"


def _home_first(geographies: list[Geography]) -> list[Geography]:
    return sorted(geographies, key=lambda geography: (geography.code != HOME_GEOGRAPHY, geography.position))


def _chart_panel_build(
    *,
    indicator: Indicator,
    summary: IndicatorSummary,
    home_series: Series,
    geographies: list[Geography],
    filters: ChartFilters,
    language: str,
) -> ChartPanel:
    names = {geography.code: localized(geography, "name", language) for geography in geographies}
    coverage = set(
        Observation.objects.public()
        .filter(indicator=indicator)
        .values_list("geography__code", "period__year")
        .distinct()
    )
    with_data = tuple(code for code in names if any(code == covered for covered, _ in coverage))
    years = sorted({year for _, year in coverage})
    # The chart and its table show the geographies asked for, else the home one: the downloads hold them all.
    selected = (
        tuple(code for code in with_data if code in filters.geographies)
        or tuple(code for code in with_data if code == HOME_GEOGRAPHY)
        or with_data[:1]
    )
    observations = Observation.objects.public().filter(indicator=indicator, geography__code__in=selected)
    if filters.start:
        observations = observations.filter(period__gte=datetime.date(filters.start, 1, 1))
    if filters.end:
        observations = observations.filter(period__lt=datetime.date(filters.end + 1, 1, 1))
    rows = []
    series: dict[str, charts.Series] = {
        code: charts.Series(name=names[code], periods=[], values=[], revised=[], emphasised=code == HOME_GEOGRAPHY)
        for code in selected
    }
    for observation in observations.select_related("geography").order_by("geography__position", "period"):
        code = observation.geography.code
        value = float(observation.value)
        series[code].periods.append(observation.period)
        series[code].values.append(value)
        series[code].revised.append(observation.revision_count > 0)
        series[code].flags.append(_figure_flag(observation))
        rows.append(
            TableRow(
                period_label=periods.format_period(observation.period, indicator.frequency),
                geography=names[code],
                value=value,
                is_provisional=observation.is_provisional,
                is_estimated=observation.is_estimated,
                is_break=observation.is_break,
                revised=observation.revision_count > 0,
                analyst_entered=observation.origin == Observation.Origin.ANALYST,
                citation=observation.citation,
                note=observation.note,
                published=observation.vintage.startswith(PUBLISHED_FIGURE_VINTAGE),
            )
        )
    overlay = charts.TargetOverlay()
    if HOME_GEOGRAPHY in selected and (summary.target is not None or summary.assessment.year_verdicts):
        overlay = _target_overlay(indicator, summary, home_series)
    elif HOME_GEOGRAPHY in selected and summary.assessment.base_period is not None:
        # No target: mark the base the status's trend is measured from.
        overlay = charts.TargetOverlay(
            base_period=summary.assessment.base_period, base_value=summary.assessment.base_value
        )
    figure_json = charts.indicator_figure(
        title=localized(indicator, "name", language),
        unit=localized(indicator, "unit", language),
        source=_source_with_licence(indicator.source, language),
        frequency=indicator.frequency,
        series=[series[code] for code in selected],
        overlay=overlay,
        year_to_date=indicator.aggregation == Indicator.Aggregation.YEAR_TO_DATE,
        neutral_value=None if indicator.neutral_value is None else float(indicator.neutral_value),
    )
    return ChartPanel(
        figure_json=figure_json,
        rows=tuple(rows),
        years=tuple(years),
        selected_geographies=selected,
        geographies_with_data=with_data,
    )


def _source_with_licence(source: Source, language: str) -> str:
    """The source line a downloaded chart image carries: the source and its licence, or that it is unverified."""
    if source.licence and source.licence != "unverified":
        licence = _("licence %(licence)s") % {"licence": source.licence}
    else:
        licence = _("licence unverified")
    return f"{localized(source, 'name', language)} ({licence})"


def _year_period(indicator: Indicator, year: int) -> datetime.date:
    """Where a year's figure sits on the chart: January for annual series, the year's last period otherwise."""
    return datetime.date(year, 1 if indicator.frequency == Indicator.Frequency.ANNUAL else 12, 1)


def _plan_markers(indicator: Indicator, target: Target, assessment: progress.ProgressResult) -> dict:
    """A plan target on a series of yearly rates: the rate each plan year needs, one marker a year."""
    base_year = target.base_year or target.document_date.year - 1
    per_year = assessment.required_rate if target.kind == Target.Kind.CUMULATIVE_CHANGE else float(target.value)
    if per_year is None:
        return {}
    label = f"{target.get_kind_display()}: {float(target.value):g} by {target.target_year} ({per_year:+.2f} a year)"
    years = range(base_year + 1, target.target_year + 1)
    return {
        "annual_periods": [_year_period(indicator, year) for year in years],
        "annual_values": [per_year for _ in years],
        "annual_labels": [label for _ in years],
    }


def _target_overlay(indicator: Indicator, summary: IndicatorSummary, home_series: Series) -> charts.TargetOverlay:
    """Annual targets as yearly markers; a plan target's base, value, required path and projected trend."""
    target, assessment, spec = summary.target, summary.assessment, series_spec(indicator)
    verdicts = assessment.year_verdicts
    markers = {
        "annual_periods": [_year_period(indicator, verdict.year) for verdict in verdicts],
        "annual_values": [verdict.target_value for verdict in verdicts],
        "annual_labels": [progress.describe_verdict(verdict) for verdict in verdicts],
    }
    if target is None or target.kind == Target.Kind.ANNUAL:
        return charts.TargetOverlay(**markers)
    if target.kind in (Target.Kind.PERIOD_AVERAGE, Target.Kind.CUMULATIVE_CHANGE):
        return charts.TargetOverlay(**(_plan_markers(indicator, target, assessment) or markers))
    base = None
    if assessment.base_period is not None and assessment.base_value is not None:
        base = progress.Point(period=assessment.base_period, value=float(assessment.base_value))
    target_value = assessment.target_value
    required = []
    if base is not None and target_value is not None and target.kind != Target.Kind.BAND:
        required = progress.required_path(
            base=base, target_value=target_value, target_year=target.target_year, spec=spec
        )
    projection = []
    if home_series:
        projection = progress.trend_projection(points=list(home_series), spec=spec, until_year=target.target_year)
    return charts.TargetOverlay(
        base_period=base.period if base else None,
        base_value=base.value if base else None,
        target_period=datetime.date(target.target_year, 1, 1),
        target_value=None if target.kind == Target.Kind.BAND else target_value,
        band=(float(target.value), float(target.value_high))
        if target.kind == Target.Kind.BAND and target.value_high is not None
        else None,
        required_periods=[point.period for point in required],
        required_values=[point.value for point in required],
        projection_periods=[point.period for point in projection],
        projection_values=[point.value for point in projection],
        **markers,
    )


def indicator_page_get(*, indicator: Indicator, filters: ChartFilters, language: str) -> IndicatorPage:
    """Everything the indicator page shows. The chart panel is cached under the data version."""
    geographies = _home_first(list(indicator.geographies.all()))
    if not any(geography.code == HOME_GEOGRAPHY for geography in geographies):
        geographies = _home_first([*geographies, *Geography.objects.filter(code=HOME_GEOGRAPHY)])
    summaries, loaded = _summaries_and_series([indicator])
    summary = summaries[indicator.pk]
    key = ":".join(
        [
            "chart-panel",
            str(indicator.pk),
            f"v{indicator.data_version}",
            language,
            ",".join(sorted(filters.geographies)) or "*",
            str(filters.start or ""),
            str(filters.end or ""),
            summary.assessment_key,
            _labels_key(indicator),
        ]
    )
    panel = cache.get(key)
    if panel is None:
        home_series = loaded[indicator.pk] if indicator.pk in loaded else _home_series([indicator.pk])[indicator.pk]
        panel = _chart_panel_build(
            indicator=indicator,
            summary=summary,
            home_series=home_series,
            geographies=geographies,
            filters=filters,
            language=language,
        )
        cache.set(key, panel, settings.PAGE_CACHE_SECONDS)
    revisions = list(
        ObservationRevision.objects.filter(
            observation__in=Observation.objects.public(), observation__indicator=indicator
        )
        .select_related("observation__geography")
        .order_by("-replaced_at", "-id")[:20]
    )
    for revision in revisions:
        revision.period_label = periods.format_period(revision.observation.period, indicator.frequency)
    facts = (
        Observation.objects.public()
        .filter(indicator=indicator)
        .aggregate(
            last_updated=Max("updated_at"),
        )
    )
    citations = (
        Observation.objects.public()
        .filter(indicator=indicator, origin=Observation.Origin.ANALYST)
        .order_by("citation")
        .values_list("citation", flat=True)
        .distinct()[:10]
    )
    return IndicatorPage(
        indicator=indicator,
        summary=summary,
        geographies=geographies,
        targets=list(indicator.targets.all()),
        links=list(indicator.commitment_links.all()),
        revisions=revisions,
        last_updated=indicator.last_success_at or facts["last_updated"],
        panel=panel,
        filters=filters,
        analyst_citations=list(citations),
        policy_clauses=list(indicator.policy_clauses.all()),
    )


# --- downloads ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportRow:
    geography_code: str
    geography_name: str
    period: datetime.date
    period_label: str
    value: Decimal
    is_provisional: bool
    is_estimated: bool
    is_break: bool
    revision_count: int
    origin: str
    vintage: str
    citation: str
    note: str


def indicator_export_rows(*, indicator: Indicator, filters: ChartFilters | None = None) -> list[ExportRow]:
    """The indicator's published figures the filters select, in one query; never who entered it."""
    rows = (
        (filters or ChartFilters())
        .observations(Observation.objects.filter(indicator=indicator))
        .order_by("geography__position", "geography__code", "period")
        .values_list(
            "geography__code",
            "geography__name_en",
            "period",
            "value",
            "is_provisional",
            "is_estimated",
            "is_break",
            "revision_count",
            "origin",
            "vintage",
            "citation",
            "note",
        )
    )
    return [
        ExportRow(
            geography_code=row[0],
            geography_name=row[1],
            period=row[2],
            period_label=periods.format_period(row[2], indicator.frequency),
            value=row[3],
            is_provisional=row[4],
            is_estimated=row[5],
            is_break=row[6],
            revision_count=row[7],
            origin=row[8],
            vintage=row[9],
            citation=row[10],
            note=row[11],
        )
        for row in rows
    ]


# --- /sources/ and /method/ ---------------------------------------------------------------


def source_list_with_counts() -> QuerySet[Source]:
    return Source.objects.annotate(indicator_count=Count("indicators"))


@dataclass(frozen=True)
class Coverage:
    indicators: int
    indicators_with_data: int
    commitments: int
    measured_commitments: int
    commitments_with_data: int
    empty_by_task: list[EmptyIndicators] = field(default_factory=list)


@dataclass(frozen=True)
class EmptyIndicator:
    """An indicator still without a figure, with what an analyst should read and when it appears."""

    code: str
    name_en: str
    name_zh: str
    arrival: str
    publication: str
    release: str


@dataclass(frozen=True)
class EmptyIndicators:
    task_number: int | None
    task_title_en: str
    task_title_zh: str
    indicators: tuple[EmptyIndicator, ...]


def _empty_by_task(rows: list[dict]) -> list[EmptyIndicators]:
    """Group the indicators without data under each task whose commitments they measure."""
    groups: dict[int | None, tuple[str, str, dict[str, EmptyIndicator]]] = {}
    for row in rows:
        if row["has_data"]:
            continue
        number = row["commitment_links__commitment__task__number"]
        title_en = row["commitment_links__commitment__task__title_en"] or ""
        title_zh = row["commitment_links__commitment__task__title_zh"] or ""
        empty = EmptyIndicator(
            code=row["code"],
            name_en=row["name_en"],
            name_zh=row["name_zh"],
            arrival=row["arrival"],
            publication=row["publication"],
            release=provenance.usual_release(row["frequency"], row["release_lag_days"]),
        )
        groups.setdefault(number, (title_en, title_zh, {}))[2][row["code"]] = empty
    ordered = sorted(groups.items(), key=lambda item: (item[0] is None, item[0] or 0))
    return [
        EmptyIndicators(number, title_en, title_zh, tuple(sorted(found.values(), key=lambda empty: empty.code)))
        for number, (title_en, title_zh, found) in ordered
    ]


def coverage_get() -> Coverage:
    """How many indicators and commitments have data, and which indicators are empty per task, in two queries."""
    has_data = Exists(Observation.objects.public().filter(indicator=OuterRef("pk")))
    rows = list(
        Indicator.objects.annotate(has_data=has_data)
        .values(
            "pk",
            "code",
            "name_en",
            "name_zh",
            "arrival",
            "publication",
            "frequency",
            "release_lag_days",
            "has_data",
            "commitment_links__commitment__task__number",
            "commitment_links__commitment__task__title_en",
            "commitment_links__commitment__task__title_zh",
        )
        .order_by("code")
    )
    commitment_has_data = Exists(
        Observation.objects.public().filter(indicator__commitment_links__commitment=OuterRef("pk"))
    )
    commitment_counts = Commitment.objects.aggregate(
        total=Count("pk"),
        measured=Count("pk", filter=Q(kind=Commitment.Kind.MEASURED)),
        with_data=Count("pk", filter=Q(commitment_has_data)),
    )
    return Coverage(
        indicators=len({row["pk"] for row in rows}),
        indicators_with_data=len({row["pk"] for row in rows if row["has_data"]}),
        commitments=commitment_counts["total"],
        measured_commitments=commitment_counts["measured"],
        commitments_with_data=commitment_counts["with_data"],
        empty_by_task=_empty_by_task(rows),
    )


def indicator_get_for_download(*, code: str) -> Indicator:
    return get_object_or_404(Indicator.objects.select_related("source"), code=code)


# --- the bulk download --------------------------------------------------------------------


@dataclass(frozen=True)
class BulkColumn:
    name: str
    path: str
    description: str


@dataclass(frozen=True)
class BulkTable:
    """One CSV of the bulk download: what it holds, its columns and the query that fills them."""

    name: str
    description: str
    columns: tuple[BulkColumn, ...]
    queryset: QuerySet

    def rows(self) -> list[tuple]:
        return list(self.queryset.values_list(*(column.path for column in self.columns)))


def _columns(*specs: tuple[str, str, str]) -> tuple[BulkColumn, ...]:
    return tuple(BulkColumn(*spec) for spec in specs)


def bulk_tables() -> list[BulkTable]:
    """Everything published, a table per kind; never who entered a figure, never a withdrawn one."""
    return [
        BulkTable(
            "sources",
            "Publishers of the figures, with the licence and attribution each asks for.",
            _columns(
                ("key", "key", "The source's short name, used in indicators.csv."),
                ("publisher", "publisher", "Who publishes it."),
                ("name", "name", "The publication or database."),
                ("url", "url", "Where it is published."),
                ("licence", "licence", "The licence of its figures ('unverified' where not yet checked)."),
                ("attribution", "attribution", "The attribution the publisher asks for."),
            ),
            Source.objects.order_by("key"),
        ),
        BulkTable(
            "geographies",
            "China, the economies it is compared with, and regions of China.",
            _columns(
                ("code", "code", "The tracker's code (ISO3 where one exists)."),
                ("iso3", "iso3", "ISO 3166-1 alpha-3 code, if any."),
                ("name_en", "name_en", "English name."),
                ("name_zh", "name_zh", "Chinese name."),
                ("kind", "kind", "country, aggregate or region."),
            ),
            Geography.objects.order_by("position", "code"),
        ),
        BulkTable(
            "tasks",
            "The article's seven key tasks.",
            _columns(
                ("number", "number", "The task's number, 1 to 7."),
                ("title_en", "title_en", "English title."),
                ("title_zh", "title_zh", "Chinese title."),
            ),
            Task.objects.order_by("number"),
        ),
        BulkTable(
            "commitments",
            "The commitments each task makes.",
            _columns(
                ("code", "code", "Task number, dot, position: 1.1."),
                ("task", "task__number", "The task's number."),
                ("title_en", "title_en", "English title."),
                ("title_zh", "title_zh", "Chinese title."),
                ("kind", "kind", "How progress on it is judged."),
                ("article_quote", "article_quote", "The sentence of the article it comes from."),
            ),
            Commitment.objects.order_by("code"),
        ),
        BulkTable(
            "assessments",
            "Analysts' assessments of commitments, newest last.",
            _columns(
                ("commitment", "commitment__code", "The commitment's code."),
                ("status", "status", "The assessed status."),
                ("assessed_on", "assessed_on", "The date of the assessment (YYYY-MM-DD)."),
                ("note", "note", "The reasoning."),
                ("evidence_links", "evidence_links", "The evidence, as a JSON list of URLs."),
            ),
            Assessment.objects.order_by("commitment__code", "assessed_on", "pk"),
        ),
        *_data_tables(),
    ]


def _data_tables() -> list[BulkTable]:
    return [
        BulkTable(
            "indicators",
            "What each indicator measures, its unit and its source.",
            _columns(
                ("code", "code", "The indicator's code, used in the other tables."),
                ("name_en", "name_en", "English name."),
                ("name_zh", "name_zh", "Chinese name."),
                ("definition", "definition", "What it measures."),
                ("unit", "unit", "The unit, as the source publishes it."),
                ("scale", "scale", "The power of ten the unit is multiplied by."),
                ("frequency", "frequency", "annual, quarterly or monthly."),
                ("aggregation", "aggregation", "level, ytd (year to date), index or rate."),
                ("kind", "kind", "What a figure measures: level, share, count, growth_yoy, growth_ytd, an index."),
                ("neutral_value", "neutral_value", "A diffusion index's or an index's neutral line, if any."),
                ("direction", "direction", "increase, decrease or stable: the desired direction."),
                ("source", "source__key", "The source's key (sources.csv)."),
                ("source_series_code", "source_series_code", "The series' code at the source."),
                ("arrival", "arrival", "api (pulled from the source) or analyst (entered from a publication)."),
            ),
            Indicator.objects.order_by("code"),
        ),
        BulkTable(
            "observations",
            "Every published figure (figures the source withdrew are left out).",
            _columns(
                ("indicator", "indicator__code", "The indicator's code (indicators.csv)."),
                ("geography", "geography__code", "The geography's code (geographies.csv)."),
                ("period", "period", "The first day of the period the figure describes (YYYY-MM-DD)."),
                ("value", "value", "The figure, in the indicator's unit."),
                ("provisional", "is_provisional", "yes if the source marks it provisional."),
                ("estimated", "is_estimated", "yes if the source marks it estimated."),
                ("series_break", "is_break", "yes if a break in series begins at this period."),
                ("times_revised", "revision_count", "How many times the figure was replaced."),
                ("origin", "origin", "api, snapshot (bundled published figures) or analyst."),
                ("vintage", "vintage", "The source's release the figure comes from."),
                ("citation", "citation", "The source URL or document reference."),
                ("note", "note", "Caveats."),
            ),
            Observation.objects.public().order_by(
                "indicator__code", "geography__position", "geography__code", "period"
            ),
        ),
        BulkTable(
            "revisions",
            "Values that were replaced, oldest first.",
            _columns(
                ("indicator", "observation__indicator__code", "The indicator's code."),
                ("geography", "observation__geography__code", "The geography's code."),
                ("period", "observation__period", "The period's first day (YYYY-MM-DD)."),
                ("old_value", "old_value", "The value before."),
                ("new_value", "new_value", "The value after."),
                ("reason", "reason", "source_revision, analyst_correction, revert or source_withdrawal."),
                ("replaced_at", "replaced_at", "When it was replaced (UTC)."),
            ),
            ObservationRevision.objects.filter(observation__in=Observation.objects.public()).order_by(
                "replaced_at", "pk"
            ),
        ),
        BulkTable(
            "targets",
            "Targets official documents set, quoting the clause.",
            _columns(
                ("indicator", "indicator__code", "The indicator's code."),
                ("geography", "geography__code", "The geography's code."),
                ("kind", "kind", "level, percent_change or band."),
                ("value", "value", "The level; the percentage change; the band's low end."),
                ("value_high", "value_high", "The band's high end."),
                ("qualifier", "qualifier", "about, at_least, at_most or exact, as the clause words it."),
                ("base_year", "base_year", "The base year of a percentage change."),
                ("target_year", "target_year", "The year the target is for."),
                ("document_title", "document_title", "The document that sets it."),
                ("document_issuer", "document_issuer", "Who issued the document."),
                ("document_date", "document_date", "The document's date (YYYY-MM-DD)."),
                ("document_url", "document_url", "Where the document is published."),
                ("clause_quote", "clause_quote", "The clause, quoted."),
            ),
            Target.objects.order_by("indicator__code", "target_year", "pk"),
        ),
    ]


def bulk_download_get() -> bytes:
    """The zip of everything published, built once per data and catalog version."""
    from indicators import exports  # exports formats selectors' rows: imported here to avoid a cycle

    key = f"bulk-zip:{site_version()}"
    body = cache.get(key)
    if body is None:
        body = exports.bulk_zip(tables=bulk_tables(), sources=list(Source.objects.order_by("key")))
        cache.set(key, body, settings.PAGE_CACHE_SECONDS)
    return body


# --- early warnings -----------------------------------------------------------------------


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


def commitments_with_indicator_links() -> QuerySet[Commitment]:
    """Commitments with their latest assessment and the indicators that measure them, sources and clauses selected."""
    links = (
        CommitmentIndicator.objects.select_related("indicator__source")
        .prefetch_related("indicator__policy_clauses")
        .order_by("indicator__code")
    )
    return commitments_with_latest_assessment().prefetch_related(Prefetch("indicator_links", queryset=links))
