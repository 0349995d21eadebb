"""CSV and JSON downloads: every current figure with its provenance, safe in a spreadsheet."""

import csv
import datetime
import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.utils import timezone

from indicators.exports import spreadsheet_safe
from indicators.models import Observation
from indicators.services.observations import observation_record
from indicators.services.review import observation_approve
from tests.dashboard.conftest import ANALYST_USERNAME
from tests.factories import GeographyFactory, IndicatorFactory, ObservationFactory, UserFactory


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


CHINA_2020 = ("ind-1-1", "CHN", "2020-01-01")


def test_the_page_links_the_downloads_of_the_figures_it_shows(client, dataset):
    html = client.get("/indicators/ind-1-1/?geo=USA&start=2020&view=table").content.decode()
    assert "/indicators/ind-1-1/data.csv?geo=USA&amp;start=2020" in html
    assert "/indicators/ind-1-1/data.json?geo=USA&amp;start=2020" in html
    assert 'href="/indicators/ind-1-1/data.csv" download' in html


def _bulk(client) -> zipfile.ZipFile:
    response = client.get("/data/all.zip")
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.content))


def _bulk_table(archive: zipfile.ZipFile, name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(archive.read(name).decode())))


def test_the_bulk_zip_holds_a_csv_per_table_and_a_readme(client, dataset):
    names = set(_bulk(client).namelist())
    assert names == {
        "README.md",
        *(f"{table}.csv" for table in ("sources", "geographies", "tasks", "commitments", "assessments")),
        *(f"{table}.csv" for table in ("indicators", "observations", "revisions", "targets")),
    }


def test_the_bulk_readme_lists_every_column_and_each_sources_licence(client, dataset):
    archive = _bulk(client)
    readme = archive.read("README.md").decode()
    for name in archive.namelist():
        if name.endswith(".csv"):
            header = next(csv.reader(io.StringIO(archive.read(name).decode())))
            assert f"## {name}" in readme
            for column in header:
                assert f"| {column} |" in readme, (name, column)
    assert "| test-source | " in readme
    assert "CC BY 4.0" in readme


def test_the_bulk_zip_holds_every_published_figure_and_no_withdrawn_one(client, dataset):
    Observation.objects.filter(indicator__code="ind-1-1", period=datetime.date(2016, 1, 1)).update(
        withdrawn_by_source_at=timezone.now()
    )
    rows = _bulk_table(_bulk(client), "observations.csv")
    assert len(rows) == Observation.objects.filter(withdrawn_by_source_at__isnull=True).count()
    assert not [row for row in rows if row["indicator"] == "ind-1-1" and row["period"] == "2016-01-01"]


def test_the_bulk_zip_never_names_who_entered_a_figure(client, dataset):
    archive = _bulk(client)
    for name in archive.namelist():
        assert ANALYST_USERNAME not in archive.read(name).decode(), name


def test_the_bulk_zip_is_served_from_the_cache_until_the_data_changes(client, dataset, django_assert_num_queries):
    _bulk(client)
    with django_assert_num_queries(0):
        _bulk(client)
    current = Observation.objects.get(indicator__code="ind-1-1", geography__code="CHN", period__year=2020)
    entered = observation_record(
        indicator=current.indicator,
        geography=current.geography,
        period=current.period,
        value=Decimal("77.7"),
        citation="https://example.org/corrected-2020",
        user=UserFactory(),
        expected_version=current.version,
        confirm_out_of_range=True,
    )
    # Public once a second user approves it.
    observation_approve(observation_id=entered.observation.pk, user=UserFactory())
    rows = _bulk_table(_bulk(client), "observations.csv")
    changed = [row for row in rows if (row["indicator"], row["geography"], row["period"]) == CHINA_2020]
    assert [row["value"] for row in changed] == ["77.7"]
