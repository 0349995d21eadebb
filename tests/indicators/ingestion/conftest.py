"""Fixtures for the ingestion tests: the replay server, pointed at by every connector's base URL."""

import pytest

from indicators.models import Geography, Indicator, Source
from tests.factories import GeographyFactory, IndicatorFactory, SourceFactory
from tests.indicators.ingestion.replay import ReplayServer

WB_PATH = "/v2/country/{countries}/indicator/{series}"
NBS_PATH = "/easyquery.htm"
OWID_PATH = "/owid/{dataset}/master/owid-{dataset}.csv"


@pytest.fixture
def replay(settings):
    """A local HTTP server for the publishers, with retries that do not wait and short timeouts."""
    with ReplayServer() as server:
        settings.WORLDBANK_API_URL = f"{server.url}/v2"
        settings.NBS_API_URL = f"{server.url}{NBS_PATH}"
        settings.OWID_BASE_URL = f"{server.url}/owid"
        settings.HTTP_TIMEOUT_SECONDS = 1.0
        settings.HTTP_RETRY_BACKOFF_SECONDS = 0.0
        settings.HTTP_RETRY_BACKOFF_MAX_SECONDS = 0.0
        settings.WORLDBANK_PER_PAGE = 1000
        yield server


@pytest.fixture
def china(db):
    return GeographyFactory(code="CHN", iso3="CHN", name_en="China", name_zh="中国")


@pytest.fixture
def usa(db):
    return GeographyFactory(code="USA", iso3="USA", name_en="United States", name_zh="美国")


def make_source(key: str) -> Source:
    return SourceFactory(key=key, connector=key, publisher=key, name=key)


@pytest.fixture
def worldbank_rd(china, usa) -> Indicator:
    """R&D expenditure, % of GDP, for China and the United States, from the World Bank."""
    indicator = IndicatorFactory(
        code="rd-expenditure",
        unit="% of GDP",
        frequency=Indicator.Frequency.ANNUAL,
        source=make_source("worldbank"),
        source_series_code="GB.XPD.RSDV.GD.ZS",
    )
    indicator.geographies.set([china, usa])
    return indicator


@pytest.fixture
def nbs_gdp_index(china) -> Indicator:
    """GDP index, same quarter last year = 100, quarterly, from NBS (the wdnode states no unit)."""
    indicator = IndicatorFactory(
        code="gdp-index-quarterly",
        unit="same quarter last year = 100",
        frequency=Indicator.Frequency.QUARTERLY,
        aggregation=Indicator.Aggregation.INDEX,
        kind=Indicator.Kind.INDEX_PREV_YEAR_100,
        neutral_value=100,
        source=make_source("nbs"),
        source_series_code="hgjd:A010301",
    )
    indicator.geographies.set([china])
    return indicator


@pytest.fixture
def nbs_real_estate(china) -> Indicator:
    """Real-estate investment, cumulative, 亿元, monthly, from NBS."""
    indicator = IndicatorFactory(
        code="real-estate-investment",
        unit="亿元",
        frequency=Indicator.Frequency.MONTHLY,
        aggregation=Indicator.Aggregation.YEAR_TO_DATE,
        kind=Indicator.Kind.LEVEL,
        source=make_source("nbs"),
        source_series_code="hgyd:A060101",
    )
    indicator.geographies.set([china])
    return indicator


@pytest.fixture
def owid_co2(china) -> Indicator:
    indicator = IndicatorFactory(
        code="co2-emissions",
        unit="million tonnes",
        frequency=Indicator.Frequency.ANNUAL,
        aggregation=Indicator.Aggregation.LEVEL,
        kind=Indicator.Kind.LEVEL,
        direction=Indicator.Direction.DECREASE,
        source=make_source("owid"),
        source_series_code="co2-data:co2",
    )
    indicator.geographies.set([china])
    return indicator


def value_of(indicator: Indicator, code: str, year: int, month: int = 1):
    import datetime

    return indicator.observations.get(
        geography=Geography.objects.get(code=code), period=datetime.date(year, month, 1)
    ).value.normalize()
