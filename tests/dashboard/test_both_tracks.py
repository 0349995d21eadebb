"""Both tracks in every roll-up: the computed statuses beside the analysts' assessments, divergence flagged."""

import datetime
from decimal import Decimal

import pytest

from indicators.models import Indicator, Observation
from tasks.models import ProgressStatus
from tests.factories import (
    AssessmentFactory,
    CommitmentFactory,
    CommitmentIndicatorFactory,
    GeographyFactory,
    IndicatorFactory,
    SectorFactory,
    TaskFactory,
)
from tests.indicators.progress.real_series import real_series

pytestmark = pytest.mark.django_db


@pytest.fixture
def disagreeing_commitment():
    """R&D share of GDP, the real WDI figures 2018-2023 (computed: on track), assessed "stalled" by an analyst."""
    china = GeographyFactory(code="CHN")
    policy_task = TaskFactory(number=3)
    commitment = CommitmentFactory(task=policy_task, position=1)
    indicator = IndicatorFactory(code="wb-rd-expenditure-share", kind=Indicator.Kind.SHARE, plausible_max=100)
    indicator.geographies.add(china)
    CommitmentIndicatorFactory(commitment=commitment, indicator=indicator)
    Observation.objects.bulk_create(
        Observation(
            indicator=indicator,
            geography=china,
            period=point.period,
            value=Decimal(str(point.value)),
            origin=Observation.Origin.SNAPSHOT,
            citation="World Bank WDI GB.XPD.RSDV.GD.ZS",
        )
        for point in real_series("wb-rd-expenditure-share")
        if point.period >= datetime.date(2018, 1, 1)
    )
    AssessmentFactory(commitment=commitment, status=ProgressStatus.STALLED)
    return commitment


def test_the_home_page_shows_both_tracks_and_counts_the_disagreement(client, disagreeing_commitment):
    html = client.get("/").content.decode()
    assert "Computed from the indicators" in html
    assert "Analysts' latest assessments" in html
    assert "1 commitment where the analysts and the computed status disagree" in html
    assert "analysts disagree" in html


def test_the_task_page_shows_both_tracks(client, disagreeing_commitment):
    html = client.get("/tasks/3/").content.decode()
    assert "Analysts' latest assessments" in html
    assert "1 commitment where the analysts and the computed status disagree" in html


def test_no_disagreement_line_when_the_tracks_agree(client, disagreeing_commitment):
    AssessmentFactory(
        commitment=disagreeing_commitment, status=ProgressStatus.ON_TRACK, assessed_on=datetime.date(2025, 6, 1)
    )
    html = client.get("/").content.decode()
    assert "where the analysts and the computed status disagree" not in html


def test_the_sector_page_shows_both_tracks(client, disagreeing_commitment):
    sector = SectorFactory(slug="industry")
    disagreeing_commitment.sectors.add(sector)
    html = client.get("/sectors/industry/").content.decode()
    assert "Analysts' latest assessments" in html
    assert "1 commitment where the analysts and the computed status disagree" in html
