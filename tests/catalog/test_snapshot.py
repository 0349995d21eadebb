"""The bundled snapshot (indicators/snapshot/observations.csv) fits the catalog and says where each figure is from."""

import csv
import datetime
import subprocess
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from indicators.ingestion.records import SNAPSHOT_COLUMNS as COLUMNS
from indicators.periods import check_period_start
from tests.catalog.conftest import OUTSIDE_PROJECT, SHARED_DATA

PROJECT = Path(__file__).resolve().parents[2]
SNAPSHOT = PROJECT / "indicators" / "snapshot" / "observations.csv"


@pytest.fixture(scope="module")
def snapshot_rows():
    with SNAPSHOT.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == COLUMNS
        return list(reader)


@pytest.fixture(scope="module")
def indicators(catalog):
    return {row["code"]: row for row in catalog["indicators"]}


def test_snapshot_holds_figures(snapshot_rows):
    assert len(snapshot_rows) > 1000


def test_every_row_names_a_catalog_indicator_and_one_of_its_geographies(snapshot_rows, indicators):
    for row in snapshot_rows:
        indicator = indicators.get(row["indicator_code"])
        assert indicator is not None, row["indicator_code"]
        assert row["geography_code"] in indicator["geographies"], (row["indicator_code"], row["geography_code"])


def test_periods_start_a_period_of_the_indicators_frequency(snapshot_rows, indicators):
    for row in snapshot_rows:
        period = datetime.date.fromisoformat(row["period"])
        check_period_start(period, indicators[row["indicator_code"]]["frequency"])


def test_no_period_lies_in_the_future_so_no_projection_slipped_in(snapshot_rows):
    today = datetime.datetime.now(tz=datetime.UTC).date()
    assert [row for row in snapshot_rows if datetime.date.fromisoformat(row["period"]) > today] == []


def test_values_are_plain_numbers_inside_the_plausible_range(snapshot_rows, indicators):
    for row in snapshot_rows:
        indicator = indicators[row["indicator_code"]]
        value = Decimal(row["value"])
        where = (row["indicator_code"], row["geography_code"], row["period"], row["value"])
        if indicator.get("plausible_min") is not None:
            assert value >= Decimal(str(indicator["plausible_min"])), where
        if indicator.get("plausible_max") is not None:
            assert value <= Decimal(str(indicator["plausible_max"])), where


def test_every_row_cites_its_source_vintage_and_licence(snapshot_rows):
    for row in snapshot_rows:
        assert row["citation"].startswith(("https://", "http://")), row
        assert row["vintage"].strip() and len(row["vintage"]) <= 80, row
        assert "licence" in row["note"] and "ublish" in row["note"], row
        assert {row["is_provisional"], row["is_estimated"], row["is_break"]} <= {"0", "1"}, row


def test_one_figure_per_indicator_geography_and_period(snapshot_rows):
    keys = [(row["indicator_code"], row["geography_code"], row["period"]) for row in snapshot_rows]
    assert len(keys) == len(set(keys))


def test_each_series_has_one_vintage(snapshot_rows):
    vintages = defaultdict(set)
    for row in snapshot_rows:
        vintages[(row["indicator_code"], row["geography_code"])].add(row["vintage"])
    assert {series: found for series, found in vintages.items() if len(found) > 1} == {}


def test_build_script_reproduces_the_committed_snapshot(tmp_path):
    if not SHARED_DATA.is_dir():
        pytest.skip(f"{OUTSIDE_PROJECT}: {SHARED_DATA}")
    rebuilt = tmp_path / "observations.csv"
    subprocess.run(
        [
            sys.executable,
            str(PROJECT / "scripts" / "build_snapshot.py"),
            "--data",
            str(SHARED_DATA),
            "--out",
            str(rebuilt),
        ],
        check=True,
        capture_output=True,
    )
    assert rebuilt.read_bytes() == SNAPSHOT.read_bytes()


def test_iea_figures_are_all_historical_never_projections(snapshot_rows):
    if not SHARED_DATA.is_dir():
        pytest.skip(f"{OUTSIDE_PROJECT}: {SHARED_DATA}")
    with (SHARED_DATA / "iea_global_ev_data_2024_china.csv").open(encoding="utf-8-sig", newline="") as handle:
        categories = defaultdict(set)
        for line in csv.DictReader(handle):
            if line["mode"] == "Cars":
                categories[(line["year"], line["value"])].add(line["category"])
    iea_rows = [row for row in snapshot_rows if "iea.org" in row["citation"]]
    assert iea_rows
    for row in iea_rows:
        assert "Historical" in categories[(row["period"][:4], row["value"])], row


@pytest.fixture(scope="module")
def shared_data():
    if not SHARED_DATA.is_dir():
        pytest.skip(f"{OUTSIDE_PROJECT}: {SHARED_DATA}")
    return SHARED_DATA


def _raw_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _snapshot_value(snapshot_rows, code: str, geography: str, period: str) -> str | None:
    found = [
        row["value"]
        for row in snapshot_rows
        if (row["indicator_code"], row["geography_code"], row["period"]) == (code, geography, period)
    ]
    return found[0] if found else None


def test_sampled_comparison_economy_rows_match_the_raw_wdi_pull(snapshot_rows, shared_data):
    raw = _raw_csv(shared_data / "wdi_comparison_economies_2003-2023_frankenstein_v2025.csv")
    by_key = {(line["indicator_code"], line["country_code"], line["year"]): line["value"] for line in raw}
    samples = [
        ("wb-industry-value-added-share", "NV.IND.TOTL.ZS", "DEU", "2022"),
        ("wb-high-tech-exports-share", "TX.VAL.TECH.MF.ZS", "KOR", "2022"),
        ("wb-renewable-final-energy-share", "EG.FEC.RNEW.ZS", "IND", "2021"),
        ("wb-fixed-broadband-subscriptions", "IT.NET.BBND.P2", "JPN", "2022"),
    ]
    for code, series, geography, year in samples:
        assert _snapshot_value(snapshot_rows, code, geography, f"{year}-01-01") == by_key[(series, geography, year)]


def test_sampled_owid_rows_come_from_the_newest_vintage(snapshot_rows, shared_data):
    raw = _raw_csv(shared_data / "owid_co2_data_6economies_2000-2023_extract.csv")
    china_2023 = next(line for line in raw if line["iso_code"] == "CHN" and line["year"] == "2023")
    assert _snapshot_value(snapshot_rows, "owid-co2-emissions", "CHN", "2023-01-01") == china_2023["co2"]
    energy = _raw_csv(shared_data / "owid_energy_data_solar_wind_6economies_2013-2025.csv")
    usa_2024 = next(line for line in energy if line["iso_code"] == "USA" and line["year"] == "2024")
    assert _snapshot_value(snapshot_rows, "owid-wind-electricity", "USA", "2024-01-01") == usa_2024["wind_electricity"]


def test_a_new_owid_vintage_flags_its_first_year_as_a_break(snapshot_rows):
    china_co2 = sorted(
        (
            row
            for row in snapshot_rows
            if row["indicator_code"] == "owid-co2-emissions" and row["geography_code"] == "CHN"
        ),
        key=lambda row: row["period"],
    )
    assert [row["is_break"] for row in china_co2[:2]] == ["1", "0"]
    assert "not spliced" in china_co2[0]["note"]


def test_sampled_published_figures_carry_their_sentence_and_publication(snapshot_rows, shared_data):
    raw = _raw_csv(shared_data / "published_figures_china_2019-2024.csv")
    software_2022 = next(
        line for line in raw if line["indicator_code"] == "software-business-revenue" and line["period"] == "2022"
    )
    row = next(
        row
        for row in snapshot_rows
        if row["indicator_code"] == "software-business-revenue" and row["period"] == "2022-01-01"
    )
    assert row["value"] == software_2022["value"]
    assert row["citation"] == software_2022["url"]
    assert software_2022["quote"] in row["note"] and software_2022["document"] in row["note"]
    assert "licence: unverified" in row["note"]


def test_a_printed_unit_is_converted_into_the_catalog_unit(snapshot_rows):
    # MIIT printed "3.377 million" 5G base stations for end-2023; the catalog unit is 万个.
    assert _snapshot_value(snapshot_rows, "5g-base-stations", "CHN", "2023-12-01") == "337.7"


def test_a_bound_is_flagged_and_named_never_passed_off_as_exact(snapshot_rows):
    srdi = [row for row in snapshot_rows if row["indicator_code"] == "srdi-smes"]
    assert srdi and all(row["is_estimated"] == "1" and "A bound" in row["note"] for row in srdi)


def test_disagreeing_sources_choose_the_later_publication_and_name_the_other(snapshot_rows):
    energy_2021 = next(row for row in snapshot_rows if row["indicator_code"] == "industrial-energy-intensity-change")
    assert energy_2021["value"] == "-5.6"
    assert "-5.5" in energy_2021["note"] and "not used" in energy_2021["note"]


def test_january_february_combined_months_are_not_filed_as_february(snapshot_rows):
    februaries = {
        row["period"] for row in snapshot_rows if row["indicator_code"] == "industrial-value-added-growth-monthly"
    }
    assert {"2008-02-01", "2013-02-01", "2014-02-01"}.isdisjoint(februaries)
    year_to_date = {
        row["period"] for row in snapshot_rows if row["indicator_code"] == "industrial-value-added-growth-ytd"
    }
    assert {"2008-02-01", "2013-02-01", "2014-02-01"} <= year_to_date


def test_researchers_per_million_flags_the_2009_definition_break(snapshot_rows):
    row = next(
        row
        for row in snapshot_rows
        if (row["indicator_code"], row["geography_code"], row["period"])
        == ("wb-researchers-per-million", "CHN", "2009-01-01")
    )
    assert row["is_break"] == "1" and "Frascati" in row["note"]


def test_at_least_fifteen_indicators_hold_three_comparison_economies(snapshot_rows):
    peers = defaultdict(set)
    for row in snapshot_rows:
        if row["geography_code"] not in {"CHN", "WLD"} and not row["geography_code"].startswith("CN-"):
            peers[row["indicator_code"]].add(row["geography_code"])
    assert len([code for code, found in peers.items() if len(found) >= 3]) >= 15


def test_a_government_work_report_review_figure_cites_its_clause(snapshot_rows):
    row = next(
        row
        for row in snapshot_rows
        if (row["indicator_code"], row["period"]) == ("manufacturing-fixed-asset-investment-growth", "2024-12-01")
    )
    assert row["value"] == "9.2" and "制造业投资增长9.2%。" in row["note"]
    assert "zh.wikisource.org" in row["citation"] and "Government Work Report" in row["note"]


def test_the_final_rd_expenditure_wins_over_the_preliminary_estimates(snapshot_rows):
    assert _snapshot_value(snapshot_rows, "rd-expenditure", "CHN", "2022-01-01") == "30782.9"
    row = next(
        row for row in snapshot_rows if (row["indicator_code"], row["period"]) == ("rd-expenditure", "2022-01-01")
    )
    assert "30870" in row["note"] and "3.09 trillion yuan" in row["note"] and "not used" in row["note"]


def test_the_miit_manufacturing_share_is_its_own_series_beside_the_wdi_one(snapshot_rows):
    assert _snapshot_value(snapshot_rows, "manufacturing-value-added-share-miit", "CHN", "2022-01-01") == "27.7"
    assert _snapshot_value(snapshot_rows, "wb-manufacturing-value-added-share", "CHN", "2022-01-01") != "27.7"


def test_a_count_filed_under_a_stated_year_end_says_which_rule_filed_it(snapshot_rows):
    row = next(
        row
        for row in snapshot_rows
        if (row["indicator_code"], row["period"]) == ("national-green-factories", "2022-01-01")
    )
    assert row["value"] == "3616" and "filed as 2022" in row["note"]


def test_a_figure_its_row_calls_preliminary_is_flagged_provisional(snapshot_rows):
    row = next(
        row for row in snapshot_rows if (row["indicator_code"], row["period"]) == ("rd-expenditure", "2023-01-01")
    )
    assert row["is_provisional"] == "1" and "Provisional" in row["note"]
    final = next(
        row for row in snapshot_rows if (row["indicator_code"], row["period"]) == ("rd-expenditure", "2022-01-01")
    )
    assert final["is_provisional"] == "0"
