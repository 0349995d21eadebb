"""The catalog's integrity, read straight from catalog/data/*.yaml (no database needed)."""

import csv
import json
import re
from collections import Counter

import pytest
import yaml

from catalog.services.loader import CATALOG_DIR
from tests.catalog.conftest import ARTICLE, OUTSIDE_PROJECT, SHARED_ARTICLE, SHARED_DATA, normalise_whitespace

# Issue 2's list of the industries the article names, plus the two aggregates, and nothing else.
ISSUE_SECTORS = {
    "steel", "petrochemicals", "chemicals", "nonferrous metals", "building materials",
    "automobiles and alternative-energy vehicles", "intelligent connected vehicles", "rare earths", "photovoltaics",
    "5g", "high-speed rail", "electric power equipment", "communications equipment", "next-generation it",
    "integrated circuits", "key software", "cloud computing", "big data", "virtual reality",
    "data centres and computing", "the industrial internet", "aviation and aerospace", "biomanufacturing",
    "emergency and safety equipment", "beidou", "artificial intelligence", "humanoid robotics", "quantum technology",
    "smart and green household appliances", "green building materials", "energy electronics", "green energy equipment",
    "vessels", "energy-saving and environmental-protection equipment", "renewable-resource recycling",
    "science and technology services", "industrial design", "service-oriented manufacturing",
    "industry", "manufacturing",
}  # fmt: skip

# Commitments the issue lists as easily missed, by a phrase of the article each must quote.
EASILY_MISSED = [
    "monitoring, forecasting, and early warning",
    "preferential policies for newly developed products",
    "additional tax deductions for enterprise R&D expenses",
    "pilot cities for the digitalization of SMEs",
    "production capacity replacement policy",
    "electrification of vessels",
    "overdue payments to SMEs",
    "“Acting in Concert” initiative",
]


def _attested():
    with (CATALOG_DIR / "attested_series.yaml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)["attested"]


def test_catalog_holds_the_seven_tasks_in_order(catalog):
    assert [task["number"] for task in catalog["tasks"]] == [1, 2, 3, 4, 5, 6, 7]
    assert all(task["title_zh"] and task["summary_zh"] and task["article_text"] for task in catalog["tasks"])


def test_task_file_says_the_chinese_is_our_translation():
    header = (CATALOG_DIR / "tasks.yaml").read_text(encoding="utf-8").split("tasks:")[0]
    assert "OUR OWN translation" in header


def test_every_commitment_quotes_its_task_section_verbatim(catalog):
    sections = {task["number"]: normalise_whitespace(task["article_text"]) for task in catalog["tasks"]}
    misquoted = [
        row["code"]
        for row in catalog["commitments"]
        if normalise_whitespace(row["quote"]) not in sections[int(row["code"].split(".")[0])]
    ]
    assert misquoted == []


def test_the_projects_copy_of_the_article_is_the_seed_article():
    if not SHARED_ARTICLE.exists():
        pytest.skip(f"{OUTSIDE_PROJECT}: {SHARED_ARTICLE}")
    assert ARTICLE.read_bytes() == SHARED_ARTICLE.read_bytes()


def test_task_sections_are_the_articles_own_text(catalog):
    article = normalise_whitespace(ARTICLE.read_text(encoding="utf-8"))
    for task in catalog["tasks"]:
        for paragraph in task["article_text"].split("\n\n"):
            assert normalise_whitespace(paragraph) in article, (task["number"], paragraph[:60])


def test_every_commitment_quote_appears_in_the_article(catalog):
    article = normalise_whitespace(ARTICLE.read_text(encoding="utf-8"))
    assert [row["code"] for row in catalog["commitments"] if normalise_whitespace(row["quote"]) not in article] == []


def test_there_are_between_50_and_65_commitments(catalog):
    assert 50 <= len(catalog["commitments"]) <= 65


def test_commitment_codes_are_unique_and_numbered_within_their_task(catalog):
    codes = [row["code"] for row in catalog["commitments"]]
    assert len(codes) == len(set(codes))
    by_task = Counter()
    for code in codes:
        task, position = (int(part) for part in code.split("."))
        by_task[task] += 1
        assert position == by_task[task], f"{code} is out of sequence"


@pytest.mark.parametrize("phrase", EASILY_MISSED)
def test_easily_missed_commitment_is_there(catalog, phrase):
    assert any(phrase in normalise_whitespace(row["quote"]) for row in catalog["commitments"])


def test_qualitative_commitments_state_what_evidence_would_show_them_met(catalog):
    qualitative = [row for row in catalog["commitments"] if row["kind"] == "qualitative"]
    assert qualitative
    assert [row["code"] for row in qualitative if len(str(row.get("evidence", "")).strip()) < 40] == []


def test_every_measured_commitment_links_an_indicator_with_a_reason(catalog):
    indicator_codes = {row["code"] for row in catalog["indicators"]}
    for row in catalog["commitments"]:
        links = row.get("indicators", [])
        if row["kind"] == "measured":
            assert links, f"{row['code']} is measured but links no indicator"
        for link in links:
            assert link["code"] in indicator_codes, (row["code"], link["code"])
            assert link["reason"].strip(), (row["code"], link["code"])


def test_every_indicator_measures_some_commitment(catalog):
    linked = {link["code"] for row in catalog["commitments"] for link in row.get("indicators", [])}
    assert sorted({row["code"] for row in catalog["indicators"]} - linked) == []


def test_catalog_codes_are_unique(catalog):
    for name, key in [("indicators", "code"), ("sources", "key"), ("geographies", "code"), ("sectors", "slug")]:
        keys = [row[key] for row in catalog[name]]
        assert len(keys) == len(set(keys)), name


def test_every_indicator_has_a_source_unit_and_frequency(catalog):
    source_keys = {row["key"] for row in catalog["sources"]}
    for row in catalog["indicators"]:
        assert row["source"] in source_keys, row["code"]
        assert str(row["unit"]).strip(), row["code"]
        assert row["frequency"] in {"annual", "quarterly", "monthly"}, row["code"]


def test_api_indicators_carry_an_attested_series_code_of_their_source(catalog):
    attested = {(row["source"], row["series_code"]) for row in _attested()}
    for row in catalog["indicators"]:
        if row["arrival"] == "api":
            assert (row["source"], row.get("series_code")) in attested, row["code"]


def test_series_codes_follow_each_connectors_format(catalog):
    formats = {
        "worldbank": r"[A-Z0-9]+(\.[A-Z0-9]+)+",
        "nbs": r"[a-z]+:A[0-9A-Z]+",
        "owid": r"(co2-data|energy-data):[a-z0-9_]+",
    }
    for row in catalog["indicators"]:
        if row["arrival"] == "api":
            assert re.fullmatch(formats[row["source"]], row["series_code"]), row["code"]


def test_analyst_indicators_cite_a_publication_and_no_series_code(catalog):
    for row in catalog["indicators"]:
        if row["arrival"] == "analyst":
            assert len(str(row.get("publication", "")).strip()) > 20, row["code"]
            assert not row.get("series_code"), row["code"]


def test_attested_series_codes_appear_in_the_shared_data_files():
    if not SHARED_DATA.is_dir():
        pytest.skip(f"{OUTSIDE_PROJECT}: {SHARED_DATA}")
    for row in _attested():
        path = SHARED_DATA / row["file"]
        text = path.read_text(encoding="utf-8-sig")
        if row["source"] == "worldbank":
            assert row["series_code"] in text, row
        elif row["source"] == "nbs":
            dbcode, zb_code = row["series_code"].split(":")
            assert f"_{dbcode}_" in path.name, row
            reply = json.loads(text)
            zb_nodes = next(node for node in reply["returndata"]["wdnodes"] if node["wdcode"] == "zb")["nodes"]
            assert zb_code in {node["code"] for node in zb_nodes}, row
        else:
            dataset, column = row["series_code"].split(":")
            assert path.name.startswith(f"owid_{dataset.split('-')[0]}_codebook"), row
            assert column in {line["column"] for line in csv.DictReader(text.splitlines())}, row


def test_nbs_indicator_names_are_the_names_in_the_recorded_reply(catalog):
    if not SHARED_DATA.is_dir():
        pytest.skip(f"{OUTSIDE_PROJECT}: {SHARED_DATA}")
    reply = json.loads((SHARED_DATA / "nbs_easyquery_hgjd_gdp_index_quarterly_2018Q1-2019Q2.json").read_text("utf-8"))
    names = {node["code"]: node["cname"] for wd in reply["returndata"]["wdnodes"] for node in wd["nodes"]}
    for row in catalog["indicators"]:
        if row["source"] == "nbs":
            assert row["name_zh"] == names[row["series_code"].split(":")[1]], row["code"]


def test_sectors_are_exactly_the_issues_list(catalog):
    assert {row["name_en"].lower() for row in catalog["sectors"]} == ISSUE_SECTORS
    assert {row["slug"] for row in catalog["sectors"] if row.get("is_aggregate")} == {"industry", "manufacturing"}


def test_geographies_put_china_first_and_include_the_growth_poles(catalog):
    geographies = sorted(catalog["geographies"], key=lambda row: row["position"])
    assert geographies[0]["code"] == "CHN"
    assert {"USA", "DEU", "JPN", "KOR", "IND", "WLD"} <= {row["code"] for row in geographies}
    regions = [row for row in geographies if row["kind"] == "region"]
    assert {row["code"] for row in regions} == {"CN-BTH", "CN-YRD", "CN-GBA"}
    assert all(row["iso3"] == "" for row in regions)


def test_connector_sources_are_the_three_publishers_with_connectors(catalog):
    connectors = {row["key"]: row.get("connector", "") for row in catalog["sources"]}
    assert {key: value for key, value in connectors.items() if value} == {
        "worldbank": "worldbank",
        "nbs": "nbs",
        "owid": "owid",
    }
    assert all(row.get("licence") for row in catalog["sources"])


def test_each_task_has_at_most_one_headline_indicator(catalog):
    headlines = Counter(row["headline_for"] for row in catalog["indicators"] if row.get("headline_for"))
    assert headlines and max(headlines.values()) == 1


def test_plausible_ranges_are_ordered(catalog):
    for row in catalog["indicators"]:
        low, high = row.get("plausible_min"), row.get("plausible_max")
        if low is not None and high is not None:
            assert low < high, row["code"]


def test_targets_quote_the_clause_and_name_the_document(catalog):
    required = ("document_title", "document_issuer", "document_date", "document_url", "clause_quote")
    for row in catalog["targets"]:
        assert all(str(row.get(name, "")).strip() for name in required), row


def test_world_bank_units_are_the_units_wdi_names_state(catalog):
    """The World Bank connector compares the unit at the end of the WDI name with the indicator's unit."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"{OUTSIDE_PROJECT}: {SHARED_DATA}")
    wdi_names = {}
    for filename in ("wdi_china_opennumbers_ddf_extract.csv", "wdi_china_2003-2023_frankenstein_v2025.csv"):
        with (SHARED_DATA / filename).open(encoding="utf-8-sig", newline="") as handle:
            wdi_names.update({line["indicator_code"]: line["indicator_name"] for line in csv.DictReader(handle)})
    for filename in (
        "wb_bulk_API_GB.XPD.RSDV.GD.ZS_DS2_en_csv_v2_232.csv",
        "wb_bulk_API_IP.PAT.RESD_DS2_en_csv_v2_226.csv",
    ):
        lines = (SHARED_DATA / filename).read_text(encoding="utf-8-sig").splitlines()
        header_at = next(i for i, line in enumerate(lines) if line.startswith('"Country Name"'))
        row = next(csv.reader(lines[header_at + 1 :]))
        wdi_names[row[3]] = row[2]
    for row in catalog["indicators"]:
        if row["source"] != "worldbank" or row["series_code"] not in wdi_names:
            continue
        name = wdi_names[row["series_code"]]
        assert row["name_en"] == name, row["code"]
        stated = re.search(r"\(([^()]*)\)\s*$", name)
        if stated:
            assert row["unit"] == stated.group(1).strip(), row["code"]
