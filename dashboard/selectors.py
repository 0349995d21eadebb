"""Read queries that the policy pages share. Each runs a fixed number of queries however much data there is."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Q

from indicators import periods, progress
from indicators.models import CommitmentIndicator, Indicator
from indicators.panels import IndicatorCard, indicator_cards_get
from indicators.selectors import commitments_with_indicator_links
from indicators.summaries import commitment_statuses
from tasks.models import Commitment, ProgressStatus, Sector, Task

# The order a reader scans a rollup in: best first, "cannot be assessed yet" last.
STATUS_ORDER = [
    ProgressStatus.ACHIEVED,
    ProgressStatus.ON_TRACK,
    ProgressStatus.PROGRESSING,
    ProgressStatus.STALLED,
    ProgressStatus.REGRESSING,
    ProgressStatus.NOT_ASSESSABLE,
]


@dataclass(frozen=True)
class CommitmentRow:
    """A commitment beside both its statuses: the analysts' latest and the one its indicators compute."""

    commitment: Commitment
    links: list[CommitmentIndicator]
    cards: list[IndicatorCard]
    computed_status: str
    assessed_status: str | None
    disagree: bool

    @property
    def policy_clauses(self) -> list:
        """Official aims without a number on the indicators that measure this commitment."""
        return [clause for link in self.links for clause in link.indicator.policy_clauses.all()]

    @property
    def rollup_status(self) -> str:
        """Measured commitments count by what their indicators compute; others by the analysts' word."""
        if self.cards:
            return self.computed_status
        return self.assessed_status or ProgressStatus.NOT_ASSESSABLE


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


def _rollup(rows: list[CommitmentRow]) -> list[StatusCount]:
    return _counts([row.rollup_status for row in rows])


def _assessed_rollup(rows: list[CommitmentRow]) -> list[StatusCount]:
    """The analysts' track: their latest status per commitment, "cannot be assessed yet" where none."""
    return _counts([row.assessed_status or ProgressStatus.NOT_ASSESSABLE for row in rows])


def _both_tracks(rows: list[CommitmentRow]) -> dict:
    """The roll-up fields every page with commitments carries: both tracks and how many disagree."""
    return {
        "rollup": _rollup(rows),
        "assessed_rollup": _assessed_rollup(rows),
        "disagreements": sum(1 for row in rows if row.disagree),
    }


def _counts(statuses: list[str]) -> list[StatusCount]:
    counts = progress.rollup(statuses)
    return [
        StatusCount(status=status.value, label=status.label, count=counts.get(status.value, 0))
        for status in STATUS_ORDER
    ]


def _commitment_rows(commitments: list[Commitment], cards: dict[int, IndicatorCard]) -> list[CommitmentRow]:
    statuses = commitment_statuses(commitments=commitments, summaries={pk: card.summary for pk, card in cards.items()})
    rows = []
    for commitment in commitments:
        links = list(commitment.indicator_links.all())
        status = statuses[commitment.pk]
        rows.append(
            CommitmentRow(
                commitment=commitment,
                links=links,
                cards=[cards[link.indicator_id] for link in links],
                computed_status=status.computed_status,
                assessed_status=commitment.assessed_status,
                disagree=status.disagrees_with(commitment.assessed_status),
            )
        )
    return rows


def _indicators_of(commitments: list[Commitment], extra: list[Indicator] = ()) -> list[Indicator]:
    unique: dict[int, Indicator] = {indicator.pk: indicator for indicator in extra}
    for commitment in commitments:
        for link in commitment.indicator_links.all():
            unique.setdefault(link.indicator_id, link.indicator)
    return list(unique.values())


@dataclass(frozen=True)
class FreshnessCount:
    """How many of a task's indicators are up to date, and the latest period any of them has a figure for."""

    current: int
    total: int
    latest_label: str


@dataclass(frozen=True)
class TaskRow:
    policy_task: Task
    commitments: list[CommitmentRow]
    rollup: list[StatusCount]
    headline: IndicatorCard | None
    freshness: FreshnessCount
    assessed_rollup: list[StatusCount]
    disagreements: int


def _freshness_count(cards: list[IndicatorCard]) -> FreshnessCount:
    with_data = [card for card in cards if card.summary.latest_period]
    latest = max(with_data, key=lambda card: card.summary.latest_period, default=None)
    return FreshnessCount(
        current=sum(1 for card in cards if card.summary.freshness == periods.Freshness.CURRENT),
        total=len(cards),
        latest_label=periods.format_period(latest.summary.latest_period, latest.indicator.frequency) if latest else "",
    )


def task_list_with_progress(*, language: str) -> list[TaskRow]:
    """The seven tasks with their commitments, statuses and headline charts, in six queries."""
    policy_tasks = list(Task.objects.all())
    commitments = list(commitments_with_indicator_links())
    headlines = {
        indicator.headline_for_id: indicator
        for indicator in Indicator.objects.filter(headline_for__isnull=False).select_related("source").order_by("code")
    }
    cards = indicator_cards_get(
        indicators=_indicators_of(commitments, list(headlines.values())),
        language=language,
        figures_for={indicator.pk for indicator in headlines.values()},
    )
    rows_by_task: dict[int, list[CommitmentRow]] = {}
    for row in _commitment_rows(commitments, cards):
        rows_by_task.setdefault(row.commitment.task_id, []).append(row)
    result = []
    for policy_task in policy_tasks:
        rows = rows_by_task.get(policy_task.pk, [])
        task_cards = list({card.indicator.pk: card for row in rows for card in row.cards}.values())
        headline = headlines.get(policy_task.pk)
        result.append(
            TaskRow(
                policy_task=policy_task,
                commitments=rows,
                headline=cards[headline.pk] if headline else None,
                freshness=_freshness_count(task_cards),
                **_both_tracks(rows),
            )
        )
    return result


@dataclass(frozen=True)
class TaskPage:
    policy_task: Task
    commitments: list[CommitmentRow]
    rollup: list[StatusCount]
    sectors: list[Sector]
    sector: Sector | None
    cards: list[IndicatorCard]
    assessed_rollup: list[StatusCount]
    disagreements: int


def _touches_sector(slug: str) -> Q:
    return Q(sectors__slug=slug) | Q(indicators__sectors__slug=slug)


def task_get(*, number: int) -> Task:
    """The task a page's title names; DoesNotExist if there is no such task."""
    return Task.objects.get(number=number)


def task_get_for_page(*, policy_task: Task, sector_slug: str, language: str) -> TaskPage:
    """A task's commitments (those touching a sector, if one is chosen) and their charts, in six queries."""
    sectors = list(
        Sector.objects.filter(Q(commitments__task=policy_task) | Q(indicators__commitments__task=policy_task))
        .distinct()
        .order_by("-is_aggregate", "name_en")
    )
    sector = next((one for one in sectors if one.slug == sector_slug), None)
    commitments = commitments_with_indicator_links().filter(task=policy_task)
    if sector is not None:
        commitments = commitments.filter(pk__in=Commitment.objects.filter(_touches_sector(sector.slug)).values("pk"))
    commitments = list(commitments)
    indicators = _indicators_of(commitments)
    cards = indicator_cards_get(
        indicators=indicators, language=language, figures_for={indicator.pk for indicator in indicators}
    )
    rows = _commitment_rows(commitments, cards)
    return TaskPage(
        policy_task=policy_task,
        commitments=rows,
        sectors=sectors,
        sector=sector,
        cards=[cards[indicator.pk] for indicator in sorted(indicators, key=lambda one: one.code)],
        **_both_tracks(rows),
    )


@dataclass(frozen=True)
class SectorRow:
    sector: Sector
    cells: list[list[CommitmentRow]]  # the commitments touching the sector, per task in task order
    total: int
    indicator_count: int


@dataclass(frozen=True)
class SectorMatrix:
    tasks: list[Task]
    rows: list[SectorRow]


def _commitment_sector_pairs() -> set[tuple[int, int, int]]:
    """(sector, task number, commitment) for every commitment touching a sector, directly or by an indicator."""
    direct = Commitment.sectors.through.objects.values_list("sector_id", "commitment__task__number", "commitment_id")
    via_indicator = CommitmentIndicator.objects.filter(indicator__sectors__isnull=False).values_list(
        "indicator__sectors", "commitment__task__number", "commitment_id"
    )
    return set(direct) | set(via_indicator)


def sector_list_with_matrix(*, language: str) -> SectorMatrix:
    """Every sector against the seven tasks: in each cell, how that sector's commitments in the task are doing.

    A commitment's status is the one the task pages count it by (`rollup_status`), in a fixed number of queries.
    """
    policy_tasks = list(Task.objects.all())
    sectors = list(Sector.objects.all())
    commitments = list(commitments_with_indicator_links())
    cards = indicator_cards_get(indicators=_indicators_of(commitments), language=language)
    rows_by_id = {row.commitment.pk: row for row in _commitment_rows(commitments, cards)}
    cells: dict[tuple[int, int], list[CommitmentRow]] = {}
    for sector_id, number, commitment_id in sorted(_commitment_sector_pairs()):
        cells.setdefault((sector_id, number), []).append(rows_by_id[commitment_id])
    indicator_counts = Counter(Indicator.sectors.through.objects.values_list("sector_id", flat=True))
    order = {row.commitment.pk: index for index, row in enumerate(rows_by_id.values())}
    rows = []
    for sector in sectors:
        sector_cells = [
            sorted(cells.get((sector.pk, policy_task.number), []), key=lambda row: order[row.commitment.pk])
            for policy_task in policy_tasks
        ]
        rows.append(
            SectorRow(
                sector=sector,
                cells=sector_cells,
                total=sum(len(cell) for cell in sector_cells),
                indicator_count=indicator_counts.get(sector.pk, 0),
            )
        )
    return SectorMatrix(tasks=policy_tasks, rows=rows)


@dataclass(frozen=True)
class SectorTaskGroup:
    policy_task: Task
    commitments: list[CommitmentRow]


@dataclass(frozen=True)
class SectorPage:
    sector: Sector
    groups: list[SectorTaskGroup]
    cards: list[IndicatorCard]
    rollup: list[StatusCount]
    assessed_rollup: list[StatusCount]
    disagreements: int

    @property
    def commitment_count(self) -> int:
        return sum(len(group.commitments) for group in self.groups)

    @property
    def cards_with_data(self) -> list[IndicatorCard]:
        return [card for card in self.cards if card.summary.latest_period]

    @property
    def cards_without_data(self) -> list[IndicatorCard]:
        return [card for card in self.cards if not card.summary.latest_period]


def sector_get(*, slug: str) -> Sector:
    """The sector a page's title names; DoesNotExist if there is no such sector."""
    return Sector.objects.get(slug=slug)


def sector_get_for_page(*, sector: Sector, language: str) -> SectorPage:
    """A sector's commitments across all seven tasks and its indicators, in six queries."""
    policy_tasks = list(Task.objects.all())
    commitments = list(
        commitments_with_indicator_links().filter(
            pk__in=Commitment.objects.filter(_touches_sector(sector.slug)).values("pk")
        )
    )
    sector_indicators = list(sector.indicators.select_related("source").order_by("code"))
    cards = indicator_cards_get(
        indicators=_indicators_of(commitments, sector_indicators),
        language=language,
        figures_for={indicator.pk for indicator in sector_indicators},
    )
    rows = _commitment_rows(commitments, cards)
    return SectorPage(
        sector=sector,
        groups=[
            SectorTaskGroup(
                policy_task=policy_task,
                commitments=[row for row in rows if row.commitment.task_id == policy_task.pk],
            )
            for policy_task in policy_tasks
        ],
        cards=[cards[indicator.pk] for indicator in sector_indicators],
        **_both_tracks(rows),
    )
