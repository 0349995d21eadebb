"""The official targets and the clauses without a number: seeded from the verified Government Work Report clauses."""

import csv
import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import IntegrityError, transaction

from indicators.models import Geography, Indicator, Observation, PolicyClause, Target
from tests.catalog.conftest import OUTSIDE_PROJECT

SHARED_CLAUSES = Path("/work/shared/targets/gwr_2021-2025_clauses.jsonl")
SNAPSHOT = Path(__file__).resolve().parents[2] / "indicators" / "snapshot" / "observations.csv"


def _verified_clauses() -> set[str]:
    if not SHARED_CLAUSES.is_file():
        pytest.skip(f"{OUTSIDE_PROJECT}: {SHARED_CLAUSES}")
    with SHARED_CLAUSES.open(encoding="utf-8") as handle:
        return {json.loads(line)["clause"] for line in handle}


def test_the_eleven_verified_targets_are_seeded(loaded_catalog):
    targets = Target.objects.select_related("indicator")
    assert targets.count() == 11
    assert {target.indicator.code for target in targets} == {
        "wb-gdp-growth",
        "energy-intensity-change",
        "co2-intensity-change",
        "rd-expenditure-growth",
    }
    gdp = targets.filter(indicator__code="wb-gdp-growth", kind=Target.Kind.ANNUAL).order_by("target_year")
    assert [(t.target_year, t.value, t.qualifier) for t in gdp] == [
        (2021, Decimal("6"), "at_least"),
        (2022, Decimal("5.5"), "about"),
        (2023, Decimal("5"), "about"),
        (2024, Decimal("5"), "about"),
        (2025, Decimal("5"), "about"),
    ]


def test_every_target_and_clause_quotes_a_verified_clause_exactly(loaded_catalog):
    verified = _verified_clauses()
    quoted = [*Target.objects.values_list("clause_quote", flat=True)]
    quoted += [*PolicyClause.objects.values_list("clause_quote", flat=True)]
    assert len(quoted) == 15
    for clause in quoted:
        assert clause in verified


def test_every_target_says_where_it_was_read_and_marks_the_gloss_as_ours(loaded_catalog):
    for target in Target.objects.all():
        assert "aldohemsn/chinese-political-corpora" in target.where_read
        assert target.document_issuer.startswith("State Council")
        assert target.clause_gloss_en
        assert target.document_url.startswith("https://zh.wikisource.org/")


def test_the_four_clauses_without_a_number_are_stated_on_their_indicators(loaded_catalog):
    clauses = dict(PolicyClause.objects.values_list("code", "indicator__code"))
    assert clauses == {
        "Q1": "wb-manufacturing-value-added-share",
        "Q2": "wb-manufacturing-value-added-share",
        "Q3": "energy-intensity-change",
        "Q4": "energy-intensity-change",
    }


def test_a_duplicate_target_is_refused_by_a_constraint(loaded_catalog):
    existing = Target.objects.get(indicator__code="wb-gdp-growth", target_year=2024)
    existing.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        existing.save()


def test_every_indicator_states_a_kind_and_a_share_stops_at_100(loaded_catalog):
    assert not Indicator.objects.filter(kind="").exists()
    for share in Indicator.objects.filter(kind=Indicator.Kind.SHARE):
        assert share.plausible_max is not None and share.plausible_max <= 100, share.code


@pytest.fixture
def gdp_growth_figures(loaded_catalog):
    """The real World Bank GDP growth figures of China from the bundled snapshot."""
    indicator = Indicator.objects.get(code="wb-gdp-growth")
    china = Geography.objects.get(code="CHN")
    with SNAPSHOT.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["indicator_code"] == indicator.code]
    Observation.objects.bulk_create(
        Observation(
            indicator=indicator,
            geography=china,
            period=datetime.date.fromisoformat(row["period"]),
            value=Decimal(row["value"]),
            vintage=row["vintage"],
            origin=Observation.Origin.SNAPSHOT,
            citation=row["citation"],
        )
        for row in rows
        if row["geography_code"] == "CHN"
    )
    return indicator


def test_the_gdp_growth_page_shows_its_run_of_annual_targets_and_their_chinese_clauses(client, gdp_growth_figures):
    html = client.get("/indicators/wb-gdp-growth/").content.decode()
    assert "Annual targets, year by year" in html
    for year, verdict in [("2021", "met"), ("2022", "missed"), ("2023", "met"), ("2024", "no figure yet")]:
        assert f"<td>{year}</td>" in html
        assert verdict in html
    assert "今年发展主要预期目标是：国内生产总值增长5.5%左右；" in html
    assert "Our gloss, not a translation to cite" in html
    assert "2022: 2.95 against about 5.5, missed" in html
