"""CSV and JSON downloads: every current figure with its provenance, safe in a spreadsheet."""

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest

from indicators.exports import spreadsheet_safe
from indicators.models import Observation
from tests.factories import GeographyFactory, IndicatorFactory, ObservationFactory


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("https://example.org/series-page", "https://example.org/series-page"),
        ("", ""),
    ],
)
def test_text_that_a_spreadsheet_would_run_gets_a_leading_apostrophe(text, safe):
    assert spreadsheet_safe(text) == safe


@pytest.fixture
def indicator_with_hostile_text(db):
    indicator = IndicatorFactory(code="net-exports", unit="=cmd|' /C calc'!A0")
    china = GeographyFactory(code="CHN")
    ObservationFactory(
        indicator=indicator,
        geography=china,
        period=datetime.date(2022, 1, 1),
        value=Decimal("-12.500000"),
        citation='=HYPERLINK("http://evil.example/","click")',
        note="@SUM(1+1)",
        origin=Observation.Origin.API,
    )
    ObservationFactory(
        indicator=indicator,
        geography=china,
        period=datetime.date(2023, 1, 1),
        value=Decimal("3.250000"),
        citation="https://example.org/series-page",
        origin=Observation.Origin.ANALYST,
    )
    return indicator


def _csv_rows(client, code):
    response = client.get(f"/indicators/{code}/data.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert f'filename="{code}.csv"' in response["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_csv_neutralises_formulas_in_every_text_cell(client, indicator_with_hostile_text):
    first = _csv_rows(client, "net-exports")[0]
    assert first["citation"] == '\'=HYPERLINK("http://evil.example/","click")'
    assert first["note"] == "'@SUM(1+1)"
    assert first["unit"].startswith("'=")
    for column, cell in first.items():
        assert not cell.startswith(("=", "+", "@", "\t", "\r")), column


def test_the_csv_keeps_negative_values_numeric(client, indicator_with_hostile_text):
    rows = _csv_rows(client, "net-exports")
    assert [row["value"] for row in rows] == ["-12.5", "3.25"]
    assert [row["period"] for row in rows] == ["2022", "2023"]
    assert float(rows[0]["value"]) == -12.5


def test_the_json_download_carries_values_source_and_provenance(client, indicator_with_hostile_text):
    response = client.get("/indicators/net-exports/data.json")
    assert response["Content-Type"].startswith("application/json")
    document = json.loads(response.content)
    assert document["indicator"]["code"] == "net-exports"
    assert document["source"]["url"] == "https://example.org/"
    values = [(row["period"], row["value"], row["origin"]) for row in document["observations"]]
    assert values == [("2022", -12.5, "api"), ("2023", 3.25, "analyst")]
    assert document["observations"][1]["citation"] == "https://example.org/series-page"


def test_downloads_of_an_unknown_indicator_are_not_found(client, db):
    assert client.get("/indicators/nope/data.csv").status_code == 404
    assert client.get("/indicators/nope/data.json").status_code == 404
