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
        assert row["citation"].startswith("https://"), row
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
