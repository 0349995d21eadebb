"""scripts/evidence_coverage.py: the issue-10 measures, counted the way the issue words them."""

import datetime

from indicators.models import Geography
from scripts import evidence_coverage
from tests.factories import CommitmentIndicatorFactory, GeographyFactory, IndicatorFactory, ObservationFactory


def _figures(indicator, codes, kind=Geography.Kind.COUNTRY, year=2020):
    for code in codes:
        geography = GeographyFactory(code=code, kind=kind if code == "WLD" else Geography.Kind.COUNTRY)
        ObservationFactory(indicator=indicator, geography=geography, period=datetime.date(year, 1, 1))


def test_peers_are_countries_other_than_china_never_an_aggregate(db):
    three_peers, two_peers = IndicatorFactory(code="three-peers"), IndicatorFactory(code="two-peers")
    _figures(three_peers, ["CHN", "USA", "DEU", "JPN"])
    _figures(two_peers, ["CHN", "USA", "DEU", "WLD"], kind=Geography.Kind.AGGREGATE)
    assert evidence_coverage.indicators_with_peers() == ["three-peers"]


def test_a_commitment_counts_as_recent_only_with_a_figure_from_2022_on(db):
    recent, old = CommitmentIndicatorFactory(), CommitmentIndicatorFactory()
    _figures(recent.indicator, ["CHN"], year=2022)
    _figures(old.indicator, ["CHN"], year=2021)
    found = evidence_coverage.commitments_with_recent_figures()
    assert found == {recent.commitment.task.number: [recent.commitment.code]}
