"""What the pages draw of the indicators: cards (a summary and a compact chart), the indicator list, and the
indicator page with its chart panel (series, table, target overlay, plan markers).

A chart's figure is cached under a key holding the indicator's `data_version` and what it prints (names,
unit, source), so a write or an admin edit of a label misses the cache.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Exists, Max, OuterRef
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from indicators import charts, periods, progress
from indicators.bilingual import localized
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
from indicators.selectors import HOME_GEOGRAPHY, ChartFilters, Series, home_series
from indicators.summaries import IndicatorSummary, indicator_summaries_with_series, series_spec
from tasks.models import Sector, Task


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
    summaries, loaded = indicator_summaries_with_series(indicators=indicators)
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
        loaded = {**loaded, **home_series(unloaded)}
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


def _figure_flag(observation: Observation) -> str:
    """The one flag a chart marker shows; a break outranks provisional, which outranks estimated."""
    if observation.is_break:
        return "break"
    if observation.is_provisional:
        return "provisional"
    return "estimated" if observation.is_estimated else ""


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


@dataclass(frozen=True)
class RevisionRow:
    """A replaced value the indicator page lists, its period written for the indicator's frequency."""

    revision: ObservationRevision
    period_label: str


@dataclass
class IndicatorPage:
    indicator: Indicator
    summary: IndicatorSummary
    geographies: list[Geography]
    targets: list[Target]
    links: list[CommitmentIndicator]
    revisions: list[RevisionRow]
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


# Snapshot figures quoted from a publication carry this vintage (scripts/published_figures.py).
PUBLISHED_FIGURE_VINTAGE = "Published figure"


def _home_first(geographies: list[Geography]) -> list[Geography]:
    return sorted(geographies, key=lambda geography: (geography.code != HOME_GEOGRAPHY, geography.position))


def _geographies_with_data(indicator: Indicator, names: dict[str, str]) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """Which of these geographies have published figures, in their order, and the years any figure covers."""
    coverage = set(
        Observation.objects.public()
        .filter(indicator=indicator)
        .values_list("geography__code", "period__year")
        .distinct()
    )
    with_data = tuple(code for code in names if any(code == covered for covered, _ in coverage))
    return with_data, tuple(sorted({year for _, year in coverage}))


def _charted(with_data: tuple[str, ...], filters: ChartFilters) -> tuple[str, ...]:
    """The chart and its table show the geographies asked for, else the home one: the downloads hold them all."""
    return (
        tuple(code for code in with_data if code in filters.geographies)
        or tuple(code for code in with_data if code == HOME_GEOGRAPHY)
        or with_data[:1]
    )


def _table_row(observation: Observation, indicator: Indicator, geography_name: str) -> TableRow:
    return TableRow(
        period_label=periods.format_period(observation.period, indicator.frequency),
        geography=geography_name,
        value=float(observation.value),
        is_provisional=observation.is_provisional,
        is_estimated=observation.is_estimated,
        is_break=observation.is_break,
        revised=observation.revision_count > 0,
        analyst_entered=observation.origin == Observation.Origin.ANALYST,
        citation=observation.citation,
        note=observation.note,
        published=observation.vintage.startswith(PUBLISHED_FIGURE_VINTAGE),
    )


def _series_and_rows(
    indicator: Indicator, selected: tuple[str, ...], names: dict[str, str], filters: ChartFilters
) -> tuple[list[charts.Series], tuple[TableRow, ...]]:
    """The charted geographies' figures in the years asked for: a chart series each, and the table's rows."""
    observations = Observation.objects.public().filter(indicator=indicator, geography__code__in=selected)
    if filters.start:
        observations = observations.filter(period__gte=datetime.date(filters.start, 1, 1))
    if filters.end:
        observations = observations.filter(period__lt=datetime.date(filters.end + 1, 1, 1))
    series: dict[str, charts.Series] = {
        code: charts.Series(name=names[code], periods=[], values=[], revised=[], emphasised=code == HOME_GEOGRAPHY)
        for code in selected
    }
    rows = []
    for observation in observations.select_related("geography").order_by("geography__position", "period"):
        code = observation.geography.code
        series[code].periods.append(observation.period)
        series[code].values.append(float(observation.value))
        series[code].revised.append(observation.revision_count > 0)
        series[code].flags.append(_figure_flag(observation))
        rows.append(_table_row(observation, indicator, names[code]))
    return [series[code] for code in selected], tuple(rows)


def _overlay(
    indicator: Indicator, summary: IndicatorSummary, home_points: Series, selected: tuple[str, ...]
) -> charts.TargetOverlay:
    """The target drawn over the home series, or without a target the base its trend is measured from."""
    if HOME_GEOGRAPHY not in selected:
        return charts.TargetOverlay()
    if summary.target is not None or summary.assessment.year_verdicts:
        return _target_overlay(indicator, summary, home_points)
    if summary.assessment.base_period is not None:
        return charts.TargetOverlay(
            base_period=summary.assessment.base_period, base_value=summary.assessment.base_value
        )
    return charts.TargetOverlay()


def _chart_figure(
    indicator: Indicator, series: list[charts.Series], overlay: charts.TargetOverlay, language: str
) -> str:
    """The indicator's chart of the series, its labels in the reader's language."""
    return charts.indicator_figure(
        title=localized(indicator, "name", language),
        unit=localized(indicator, "unit", language),
        source=_source_with_licence(indicator.source, language),
        frequency=indicator.frequency,
        series=series,
        overlay=overlay,
        year_to_date=indicator.aggregation == Indicator.Aggregation.YEAR_TO_DATE,
        neutral_value=None if indicator.neutral_value is None else float(indicator.neutral_value),
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


def _target_overlay(indicator: Indicator, summary: IndicatorSummary, home_points: Series) -> charts.TargetOverlay:
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
    if home_points:
        projection = progress.trend_projection(points=list(home_points), spec=spec, until_year=target.target_year)
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


def _page_geographies(indicator: Indicator) -> list[Geography]:
    """The indicator's geographies, the home one first (added if the indicator does not list it)."""
    geographies = _home_first(list(indicator.geographies.all()))
    if not any(geography.code == HOME_GEOGRAPHY for geography in geographies):
        geographies = _home_first([*geographies, *Geography.objects.filter(code=HOME_GEOGRAPHY)])
    return geographies


def _chart_panel_key(indicator: Indicator, summary: IndicatorSummary, filters: ChartFilters, language: str) -> str:
    parts = [
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
    return ":".join(parts)


def _chart_panel_get(
    *,
    indicator: Indicator,
    summary: IndicatorSummary,
    loaded: dict[int, Series],
    geographies: list[Geography],
    filters: ChartFilters,
    language: str,
) -> ChartPanel:
    """The chart panel from the cache, else built (reading the home series unless the summary loaded it)."""
    key = _chart_panel_key(indicator, summary, filters, language)
    panel = cache.get(key)
    if panel is not None:
        return panel
    names = {geography.code: localized(geography, "name", language) for geography in geographies}
    with_data, years = _geographies_with_data(indicator, names)
    selected = _charted(with_data, filters)
    series, rows = _series_and_rows(indicator, selected, names, filters)
    home_points = loaded[indicator.pk] if indicator.pk in loaded else home_series([indicator.pk])[indicator.pk]
    panel = ChartPanel(
        figure_json=_chart_figure(indicator, series, _overlay(indicator, summary, home_points, selected), language),
        rows=rows,
        years=years,
        selected_geographies=selected,
        geographies_with_data=with_data,
    )
    cache.set(key, panel, settings.PAGE_CACHE_SECONDS)
    return panel


def _revision_rows(indicator: Indicator) -> list[RevisionRow]:
    """The 20 latest replaced values of the indicator's published figures, newest first."""
    revisions = (
        ObservationRevision.objects.filter(
            observation__in=Observation.objects.public(), observation__indicator=indicator
        )
        .select_related("observation__geography")
        .order_by("-replaced_at", "-id")[:20]
    )
    return [
        RevisionRow(revision, periods.format_period(revision.observation.period, indicator.frequency))
        for revision in revisions
    ]


def _analyst_citations(indicator: Indicator) -> list[str]:
    return list(
        Observation.objects.public()
        .filter(indicator=indicator, origin=Observation.Origin.ANALYST)
        .order_by("citation")
        .values_list("citation", flat=True)
        .distinct()[:10]
    )


def indicator_page_get(*, indicator: Indicator, filters: ChartFilters, language: str) -> IndicatorPage:
    """Everything the indicator page shows. The chart panel is cached under the data version."""
    geographies = _page_geographies(indicator)
    summaries, loaded = indicator_summaries_with_series(indicators=[indicator])
    summary = summaries[indicator.pk]
    panel = _chart_panel_get(
        indicator=indicator, summary=summary, loaded=loaded, geographies=geographies, filters=filters, language=language
    )
    revisions = _revision_rows(indicator)
    last_updated = Observation.objects.public().filter(indicator=indicator).aggregate(latest=Max("updated_at"))
    return IndicatorPage(
        indicator=indicator,
        summary=summary,
        geographies=geographies,
        targets=list(indicator.targets.all()),
        links=list(indicator.commitment_links.all()),
        revisions=revisions,
        last_updated=indicator.last_success_at or last_updated["latest"],
        panel=panel,
        filters=filters,
        analyst_citations=_analyst_citations(indicator),
        policy_clauses=list(indicator.policy_clauses.all()),
    )
