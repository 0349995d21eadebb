"""Reads for the public API, in a fixed number of queries; the statuses come from `indicators.summaries`."""

from __future__ import annotations

from django.db.models import QuerySet

from indicators.models import Indicator, Observation, Source, Target
from indicators.selectors import commitments_with_indicator_links
from tasks.models import Commitment, Task


def task_list() -> QuerySet[Task]:
    return Task.objects.order_by("number")


def commitment_list() -> QuerySet[Commitment]:
    return commitments_with_indicator_links()


def indicator_list() -> QuerySet[Indicator]:
    return Indicator.objects.select_related("source").order_by("code")


def observation_list(*, indicator: Indicator) -> QuerySet[Observation]:
    """The indicator's current figures (a ChartFilters narrows them to the published ones asked for)."""
    return (
        Observation.objects.public()
        .filter(indicator=indicator)
        .select_related("geography")
        .order_by("geography__position", "geography__code", "period")
    )


def target_list() -> QuerySet[Target]:
    return Target.objects.select_related("indicator", "geography").order_by("indicator__code", "target_year", "pk")


def source_list() -> QuerySet[Source]:
    return Source.objects.order_by("key")
