"""A small dashboard dataset built from factories, and the same shape at ten times the size.

Query-count tests run every page on both and expect the same count: no query runs per row.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from indicators.models import Indicator, Observation, ObservationRevision
from tests.factories import (
    AssessmentFactory,
    CommitmentFactory,
    CommitmentIndicatorFactory,
    GeographyFactory,
    IndicatorFactory,
    SectorFactory,
    SourceFactory,
    TargetFactory,
    TaskFactory,
    UserFactory,
)

ANALYST_USERNAME = "analyst-wang-private"


@dataclass
class Dataset:
    tasks: list
    sectors: list
    indicators: list
    commitments: list


def build_dataset(scale: int = 1) -> Dataset:
    """Seven tasks; per unit of scale: two sectors, two commitments and two indicators a task, 12 years of figures."""
    china = GeographyFactory(code="CHN")
    usa = GeographyFactory(code="USA", name_en="United States", name_zh="美国")
    analyst = UserFactory(username=ANALYST_USERNAME)
    source = SourceFactory(key="test-source", name="Test source", licence="CC BY 4.0", attribution="Test attribution")
    tasks = [TaskFactory(number=number, title_en=f"Task title {number}") for number in range(1, 8)]
    sectors = [SectorFactory(slug=f"sector-{n}") for n in range(2 * scale)]
    indicators, commitments = [], []
    observations = []
    for policy_task in tasks:
        for position in range(1, 2 * scale + 1):
            commitment = CommitmentFactory(task=policy_task, position=position)
            commitment.sectors.add(sectors[position % len(sectors)])
            AssessmentFactory(commitment=commitment, assessed_by=analyst)
            commitments.append(commitment)
            indicator = IndicatorFactory(
                code=f"ind-{policy_task.number}-{position}",
                source=source,
                aggregation=Indicator.Aggregation.LEVEL,
                kind=Indicator.Kind.LEVEL,
                headline_for=policy_task if position == 1 else None,
            )
            indicator.geographies.add(china, usa)
            indicator.sectors.add(sectors[position % len(sectors)])
            CommitmentIndicatorFactory(commitment=commitment, indicator=indicator)
            TargetFactory(indicator=indicator, geography=china, value=Decimal("40"), base_year=2015, target_year=2030)
            indicators.append(indicator)
            for year in range(2012, 2024):
                for geography in (china, usa):
                    observations.append(
                        Observation(
                            indicator=indicator,
                            geography=geography,
                            period=datetime.date(year, 1, 1),
                            value=Decimal(20 + year - 2012) if geography == china else Decimal(10),
                            origin=Observation.Origin.ANALYST if year == 2023 else Observation.Origin.API,
                            entered_by=analyst if year == 2023 else None,
                            citation="https://example.org/analyst-publication",
                            revision_count=1 if year == 2022 else 0,
                        )
                    )
    Observation.objects.bulk_create(observations)
    revised = Observation.objects.filter(revision_count=1)
    ObservationRevision.objects.bulk_create(
        ObservationRevision(
            observation=observation,
            old_value=Decimal("1"),
            new_value=observation.value,
            old_origin=Observation.Origin.API,
            old_version=1,
            reason=ObservationRevision.Reason.SOURCE_REVISION,
            replaced_by_user=analyst,
        )
        for observation in revised
    )
    return Dataset(tasks=tasks, sectors=sectors, indicators=indicators, commitments=commitments)


@pytest.fixture
def dataset(db) -> Dataset:
    return build_dataset(scale=1)
