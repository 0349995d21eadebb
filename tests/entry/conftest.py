"""An analyst-entered indicator and the users who work on it."""

import datetime
from decimal import Decimal

import pytest

from indicators.models import Indicator
from tests.accounts.conftest import admin_user, analyst, reader  # noqa: F401 - fixtures shared with accounts
from tests.factories import GeographyFactory, IndicatorFactory, ObservationFactory, SourceFactory


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
