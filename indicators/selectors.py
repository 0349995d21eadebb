"""Small reads for the indicator pages: the objects a page names, an indicator's home series, the filters of
its figures, the sources and the method page's coverage. Each runs a fixed number of queries.

What is assessed or drawn from these reads lives beside them: `indicators.summaries` (the progress
assessment of each indicator and commitment, early warnings), `indicators.panels` (cards and chart panels)
and `indicators.export_rows` (the downloads' rows).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from indicators import progress, provenance
from indicators.models import CommitmentIndicator, Geography, Indicator, Observation, Source, Target
from tasks.models import Commitment
from tasks.selectors import commitments_with_latest_assessment

HOME_GEOGRAPHY = "CHN"
Series = tuple[progress.Point, ...]  # an indicator's home figures, oldest first


def home_series(indicator_ids: list[int]) -> dict[int, Series]:
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


@dataclass(frozen=True)
class ChartFilters:
    """What an indicator's page, embed, downloads and API figures are narrowed to: geographies and years."""

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


def indicator_get_for_page(*, code: str) -> Indicator:
    """The indicator with what its page shows beside the chart, in four queries; DoesNotExist if unknown."""
    return (
        Indicator.objects.select_related("source")
        .prefetch_related(
            "geographies",
            Prefetch("targets", queryset=Target.objects.select_related("geography")),
            Prefetch("commitment_links", queryset=CommitmentIndicator.objects.select_related("commitment__task")),
        )
        .get(code=code)
    )


def indicator_get_for_download(*, code: str) -> Indicator:
    """The indicator and the source its downloads name; DoesNotExist if unknown."""
    return Indicator.objects.select_related("source").get(code=code)


def commitments_with_indicator_links() -> QuerySet[Commitment]:
    """Commitments with their latest assessment and the indicators that measure them, sources and clauses selected."""
    links = (
        CommitmentIndicator.objects.select_related("indicator__source")
        .prefetch_related("indicator__policy_clauses")
        .order_by("indicator__code")
    )
    return commitments_with_latest_assessment().prefetch_related(Prefetch("indicator_links", queryset=links))


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
