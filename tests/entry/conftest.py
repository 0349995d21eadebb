"""An analyst-entered indicator and the users who work on it."""

import datetime
from decimal import Decimal

import pytest

from indicators.models import Disagreement, Indicator, ObservationRevision
from tests.accounts import conftest as accounts_fixtures
from tests.factories import (
    CommitmentFactory,
    GeographyFactory,
    IndicatorFactory,
    IngestRunFactory,
    ObservationFactory,
    SourceFactory,
)

# The users in each role, shared with tests/accounts.
analyst = accounts_fixtures.analyst
admin_user = accounts_fixtures.admin_user
reader = accounts_fixtures.reader


@pytest.fixture
def china(db):
    return GeographyFactory(code="CHN")


@pytest.fixture
def entered_indicator(db, china):
    """An indicator no API publishes, with a plausible range to test the confirmation against."""
    indicator = IndicatorFactory(
        code="test-entered-count",
        name_en="Test entered count",
        unit="enterprises",
        frequency=Indicator.Frequency.ANNUAL,
        arrival=Indicator.Arrival.ANALYST,
        source=SourceFactory(key="test-publisher"),
        source_series_code="",
        publication="Test publisher's annual list",
        plausible_min=Decimal("0"),
        plausible_max=Decimal("100000"),
        decimals=0,
        release_lag_days=90,
    )
    indicator.geographies.add(china)
    return indicator


@pytest.fixture
def pulled_indicator(db, china):
    """An indicator whose figures arrive from an API: only admins enter on it."""
    return IndicatorFactory(code="test-pulled-share", arrival=Indicator.Arrival.API)


@pytest.fixture
def entered_observation(entered_indicator, china, analyst):
    return ObservationFactory(
        indicator=entered_indicator,
        geography=china,
        period=datetime.date(2022, 1, 1),
        value=Decimal("1200"),
        origin="analyst",
        entered_by=analyst,
        citation="https://example.org/list-2022",
    )


@pytest.fixture
def world(entered_observation, entered_indicator, pulled_indicator, china, analyst):
    """One of everything a write can touch: a revision, an open disagreement, a pending upload, a commitment."""
    entered_observation.value = Decimal("1250")
    entered_observation.version = 2
    entered_observation.save()
    revision = ObservationRevision.objects.create(
        observation=entered_observation,
        old_value=Decimal("1200"),
        new_value=Decimal("1250"),
        old_origin="analyst",
        old_citation="https://example.org/list-2022",
        old_version=1,
        reason="analyst_correction",
        replaced_by_user=analyst,
    )
    disagreement = Disagreement.objects.create(
        observation=entered_observation,
        run=IngestRunFactory(source=entered_indicator.source, indicator=entered_indicator),
        source_value=Decimal("1180"),
        analyst_value=Decimal("1250"),
    )
    commitment = CommitmentFactory()
    return {
        "indicator": entered_indicator,
        "pulled": pulled_indicator,
        "china": china,
        "observation": entered_observation,
        "revision": revision,
        "disagreement": disagreement,
        "commitment": commitment,
    }
