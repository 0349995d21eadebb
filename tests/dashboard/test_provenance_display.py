"""The indicator page says where a quoted figure was read, why a figure is flagged, and what to read when empty."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from indicators.models import Indicator, Observation
from indicators.provenance import usual_release
from tests.factories import CommitmentIndicatorFactory, GeographyFactory, IndicatorFactory, ObservationFactory

pytestmark = pytest.mark.django_db

SENTENCE = "截至2024年底,5G基站数量达到425.1万个。"


def _table_view(indicator: Indicator):
    return Client().get(reverse("indicators:detail", args=[indicator.code]), {"view": "table"})


def test_a_quoted_figure_shows_its_sentence_copy_and_unverified_licence():
    observation = ObservationFactory(
        geography=GeographyFactory(code="CHN"),
        origin=Observation.Origin.SNAPSHOT,
        vintage="Published figure (quoted; snapshot of 2026-12)",
        citation="http://example.org/copy-read",
        note=f'Published figure. Sentence: "{SENTENCE}" Document: MIIT bulletin.',
    )
    content = _table_view(observation.indicator).content.decode()
    assert SENTENCE in content and "MIIT bulletin" in content
    assert "http://example.org/copy-read" in content
    assert "licence of the copy read is unverified" in content


def test_a_flagged_figure_explains_its_flag():
    observation = ObservationFactory(
        geography=GeographyFactory(code="CHN"), is_break=True, note="Break in series: a change of definition."
    )
    assert "Break in series: a change of definition." in _table_view(observation.indicator).content.decode()


def test_an_empty_analyst_indicator_names_its_publication_and_release_month():
    indicator = IndicatorFactory(
        arrival=Indicator.Arrival.ANALYST,
        source_series_code="",
        publication="MIIT statistical bulletin of the communications industry",
        release_lag_days=30,
    )
    indicator.geographies.add(GeographyFactory(code="CHN"))
    content = _table_view(indicator).content.decode()
    assert "MIIT statistical bulletin of the communications industry" in content
    assert "January of the following year" in content


def test_an_annual_release_lag_names_the_month_of_the_following_year():
    assert usual_release("annual", 60).startswith("usually in March of the following year")
    assert usual_release("annual", 31).startswith("usually in January")


def test_a_monthly_release_lag_is_given_in_days():
    assert usual_release("monthly", 16) == "usually about 16 days after the month ends"


def test_one_figure_hides_the_empty_notice():
    indicator = IndicatorFactory(arrival=Indicator.Arrival.ANALYST, source_series_code="", publication="A bulletin")
    ObservationFactory(indicator=indicator, geography=GeographyFactory(code="CHN"), period=datetime.date(2023, 1, 1))
    assert "An analyst should read" not in _table_view(indicator).content.decode()


def test_the_method_page_lists_empty_indicators_under_their_task(client):
    link = CommitmentIndicatorFactory(
        indicator=IndicatorFactory(
            name_en="Little giant enterprises",
            arrival=Indicator.Arrival.ANALYST,
            source_series_code="",
            publication="MIIT list of little giant enterprises",
        )
    )
    ObservationFactory(indicator=IndicatorFactory(name_en="Figure holder"), geography=GeographyFactory(code="CHN"))
    html = client.get("/method/").content.decode()
    assert f"{link.commitment.task.number}. {link.commitment.task.title_en}" in html
    assert "Little giant enterprises" in html and "MIIT list of little giant enterprises" in html
    assert "Figure holder" not in html
    assert "<strong>1</strong> of 2 indicators have data" in html
