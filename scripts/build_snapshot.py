"""Build indicators/snapshot/observations.csv, the bundled snapshot of real published figures.

Reads the recorded files in /work/shared/data (see that folder's PROVENANCE.md) and writes one row per
figure for the catalog's indicators, exactly as published: no rescaling, no interpolation, no projections.
One vintage per indicator: where two recorded vintages of a series exist, one is chosen (see SERIES) and
the other is not used. Run from the project root:

    python scripts/build_snapshot.py [--data /work/shared/data] [--out indicators/snapshot/observations.csv]

The CSV columns are a contract with indicators/ingestion/snapshot.py (load_snapshot).
"""

import argparse
import csv
import datetime
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from indicators.ingestion.records import SNAPSHOT_COLUMNS as COLUMNS  # noqa: E402
from indicators.periods import check_period_start  # noqa: E402  (a pure module: no Django set-up needed)
from scripts import published_figures  # noqa: E402

WB_ISO2 = {"CHN": "CN", "USA": "US", "DEU": "DE", "JPN": "JP", "KOR": "KR", "IND": "IN", "WLD": "1W"}
WDI_LICENCE = "licence: WDI data CC BY 4.0 (World Bank terms); the republishing repository states no licence"
UNVERIFIED = "licence: unverified"


@dataclass(frozen=True)
class Row:
    indicator_code: str
    geography_code: str
    period: datetime.date
    value: str
    vintage: str
    citation: str
    note: str
    is_provisional: bool = False
    is_estimated: bool = False
    is_break: bool = False

    def as_csv(self) -> list[str]:
        flags = [str(int(flag)) for flag in (self.is_provisional, self.is_estimated, self.is_break)]
        values = [self.indicator_code, self.geography_code, self.period.isoformat(), self.value]
        return [*values, self.vintage, self.citation, self.note, *flags]


def _published(text: str, where: str) -> str:
    """The figure as published: a plain decimal string, checked, never reformatted or rescaled."""
    cleaned = text.strip()
    if not re.fullmatch(r"-?\d+(\.\d+)?", cleaned):
        raise ValueError(f"{where}: {text!r} is not a plain decimal figure")
    Decimal(cleaned)
    return cleaned


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _wb_citation(series: str, geography: str) -> str:
    return f"https://data.worldbank.org/indicator/{series}?locations={WB_ISO2[geography]}"


# ---- World Bank --------------------------------------------------------------------------------------------

OPENNUMBERS = "wdi_china_opennumbers_ddf_extract.csv"
FRANKENSTEIN = "wdi_china_2003-2023_frankenstein_v2025.csv"
FRANKENSTEIN_PEERS = "wdi_comparison_economies_2003-2023_frankenstein_v2025.csv"
OPENNUMBERS_PEERS = "wdi_comparison_opennumbers_nv_ind_manf_zs.csv"
FRANKENSTEIN_REPO = "njf0/frankenstein (resources/wdi/<INDICATOR>.csv @ 1bd411d36562eae529e1896baf319abd34cbb3f5)"
BULK = {
    "GB.XPD.RSDV.GD.ZS": (
        "wb_bulk_API_GB.XPD.RSDV.GD.ZS_DS2_en_csv_v2_232.csv",
        "Zavvnr/Zavier-ISS-Presentation-Data (data/API_GB.XPD.RSDV.GD.ZS_DS2_en_csv_v2_232.csv @ "
        "ba3917147a39b2c30f1509519a364a2c41f86085)",
    ),
    "SP.POP.SCIE.RD.P6": (
        "wb_bulk_API_SP.POP.SCIE.RD.P6_DS2_en_csv_v2_37695.csv",
        "Zavvnr/Zavier-ISS-Presentation-Data (data/API_SP.POP.SCIE.RD.P6_DS2_en_csv_v2_37695.csv @ "
        "ba3917147a39b2c30f1509519a364a2c41f86085)",
    ),
    "IP.PAT.RESD": (
        "wb_bulk_API_IP.PAT.RESD_DS2_en_csv_v2_226.csv",
        "Wei-Seng/group30_week4teamassignment (TASK1.4/API_IP.PAT.RESD_DS2_en_csv_v2_226.csv @ "
        "d4032094f4627c465ab792e766ecbeece43b75ac)",
    ),
}


BULK_BREAKS = {
    ("SP.POP.SCIE.RD.P6", "CHN", "2009"): (
        " Break in series: from 2009 China reports researchers on the OECD Frascati definition (earlier years count "
        "all scientists and engineers in R&D), so the fall from 2008 is a change of definition, not fewer researchers."
    ),
}


def wdi_opennumbers(data: Path, code: str, series: str) -> Iterator[Row]:
    """Rows of the open-numbers DDF mirror of WDI; each indicator comes from its own mirror commit.

    China is in one extract; the comparison economies, where the mirror holds them, in another (same file
    and commit, so one vintage).
    """
    lines = [line for line in _read_csv(data / OPENNUMBERS) if line["country_code"] == "CHN"]
    lines += _read_csv(data / OPENNUMBERS_PEERS)
    for line in lines:
        if line["indicator_code"] != series:
            continue
        geography = line["country_code"]
        commit = line["source_commit"]
        year = int(line["year"])
        is_break = series == "IT.NET.USER.ZS" and year == 2023 and geography == "CHN"
        note = (
            f"Republished by {line['source_repo']} ({line['source_path']} @ {commit}), the Gapminder/open-numbers "
            f"DDF mirror of WDI; original publisher World Bank, World Development Indicators. Retrieval date not "
            f"stated by the mirror; read at that commit. {WDI_LICENCE}."
        )
        if is_break:
            note += (
                " Break in series: the jump from 2022 is how the source has it (a break in the ITU series), "
                "not a copying error."
            )
        yield Row(
            code,
            geography,
            datetime.date(year, 1, 1),
            _published(line["value"], f"{OPENNUMBERS} {series} {geography} {year}"),
            f"WDI via open-numbers DDF mirror @{commit[:7]}",
            _wb_citation(series, geography),
            note,
            is_break=is_break,
        )


def wdi_frankenstein(data: Path, code: str, series: str) -> Iterator[Row]:
    """A 2025 WDI API pull: China, then the comparison economies from the same pull (one vintage)."""
    lines = _read_csv(data / FRANKENSTEIN) + _read_csv(data / FRANKENSTEIN_PEERS)
    for geography in COMPARISON:
        yield from _frankenstein_series(code, series, geography, lines)


def _frankenstein_series(code: str, series: str, geography: str, lines: list[dict[str, str]]) -> Iterator[Row]:
    """One economy's rows; UNIDO carry-forwards are flagged as estimated, known defects named in the note."""
    lines = sorted(
        (line for line in lines if line["indicator_code"] == series and line["country_code"] == geography),
        key=lambda line: int(line["year"]),
    )
    previous = None
    for line in lines:
        year = int(line["year"])
        value = _published(line["value"], f"{FRANKENSTEIN} {series} {geography} {year}")
        carried = series == "NV.MNF.TECH.ZS.UN" and previous is not None and round(Decimal(value), 6) == previous
        previous = round(Decimal(value), 6)
        note = (
            f"Republished by {FRANKENSTEIN_REPO}, whose script pulled the World Bank API (files last changed "
            f"2025-05-30); original publisher World Bank, World Development Indicators. Retrieval date about "
            f"2025-05 (not stated exactly). {WDI_LICENCE}."
        )
        if carried:
            note += (
                " Estimated: the value repeats the previous year's to six decimals; UNIDO has carried the "
                "figure forward, so this share has not been re-measured since the last year that differs."
            )
        if series == "IC.FRM.RSDV.ZS":
            note += (
                " World Bank Enterprise Surveys: one survey year per economy (China's is 2012), not a yearly "
                "series; it cannot show a trend."
            )
        yield Row(
            code,
            geography,
            datetime.date(year, 1, 1),
            value,
            "WDI API pull c. 2025-05 (njf0/frankenstein @1bd411d)",
            _wb_citation(series, geography),
            note,
            is_estimated=carried,
        )


def wdi_bulk(data: Path, code: str, series: str, geographies: list[str]) -> Iterator[Row]:
    """The World Bank's own bulk CSV: China and the comparison economies."""
    filename, repo = BULK[series]
    text = (data / filename).read_text(encoding="utf-8-sig").splitlines()
    updated = next(re.search(r"\d{4}-\d{2}-\d{2}", line)[0] for line in text if line.startswith('"Last Updated Date"'))
    header_at = next(i for i, line in enumerate(text) if line.startswith('"Country Name"'))
    reader = csv.reader(text[header_at:])
    header = next(reader)
    for fields in reader:
        if len(fields) < 4 or fields[1] not in geographies:
            continue
        if fields[3] != series:
            raise ValueError(f"{filename}: row for {fields[1]} is series {fields[3]}, expected {series}")
        for column, raw in zip(header[4:], fields[4:], strict=False):
            if not raw.strip() or not column.isdigit():
                continue
            is_break = (series, fields[1], column) in BULK_BREAKS
            yield Row(
                code,
                fields[1],
                datetime.date(int(column), 1, 1),
                _published(raw, f"{filename} {fields[1]} {column}"),
                f"WDI bulk CSV, last updated {updated}",
                _wb_citation(series, fields[1]),
                f"World Bank bulk-download CSV (World Development Indicators, last updated {updated}), republished "
                f"unchanged by {repo}. Original publisher World Bank. Retrieval date not stated by the republisher; "
                f"read at that commit. {WDI_LICENCE}.{BULK_BREAKS.get((series, fields[1], column), '')}",
                is_break=is_break,
            )


# ---- NBS ------------------------------------------------------------------------------------------------

HGJD = "nbs_easyquery_hgjd_gdp_index_quarterly_2018Q1-2019Q2.json"


def nbs_hgjd(data: Path, code: str, series: str) -> Iterator[Row]:
    """The recorded NBS easyquery reply (quarterly national accounts); values as NBS's strdata shows them."""
    dbcode, zb_code = series.split(":")
    if dbcode != "hgjd":
        raise ValueError(f"{code}: no recorded NBS reply for dbcode {dbcode}")
    reply = json.loads((data / HGJD).read_text(encoding="utf-8-sig"))
    if reply["returncode"] != 200:
        raise ValueError(f"{HGJD}: returncode {reply['returncode']}")
    for node in reply["returndata"]["datanodes"]:
        dims = {dim["wdcode"]: dim["valuecode"] for dim in node["wds"]}
        if dims["zb"] != zb_code or not node["data"]["hasdata"]:
            continue
        quarter = re.fullmatch(r"(\d{4})([ABCD])", dims["sj"])
        period = datetime.date(int(quarter[1]), "ABCD".index(quarter[2]) * 3 + 1, 1)
        yield Row(
            code,
            "CHN",
            period,
            _published(node["data"]["strdata"], f"{HGJD} {zb_code} {dims['sj']}"),
            "NBS easyquery hgjd reply cached 2019-10-06 (zArche/ceco)",
            "https://data.stats.gov.cn/easyquery.htm?cn=B01",
            f"Original publisher National Bureau of Statistics (data.stats.gov.cn easyquery, dbcode hgjd, zb "
            f"{zb_code}); reply recorded by zArche/ceco (cache/gdpcache @ 9c9c8a818d52304e10a0504fd55debafd663061f, "
            f"2019-10-06), value as NBS's strdata shows it. NBS may have revised it since. {UNVERIFIED}.",
        )


# ---- akshare (republished NBS and NEA releases) ---------------------------------------------------------

AKSHARE_REPO = "Dao1023/trade (folder data/ @ 9816602b43e967478af30c979309673c8891ab9f, committed 2025-10-18)"


def _akshare_month(text: str) -> datetime.date:
    match = re.fullmatch(r"(\d{4})年(\d{2})月份", text.strip()) or re.fullmatch(r"(\d{4})\.(\d{1,2})", text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a month label")
    return datetime.date(int(match[1]), int(match[2]), 1)


# Months whose single-month column holds the January-February cumulative figure (it equals the year-to-date
# column): NBS publishes no separate February figure then, so the row is left out of the single-month series.
JANUARY_FEBRUARY_COMBINED = {
    ("industrial-value-added-growth-monthly", datetime.date(2008, 2, 1)),
    ("industrial-value-added-growth-monthly", datetime.date(2013, 2, 1)),
    ("industrial-value-added-growth-monthly", datetime.date(2014, 2, 1)),
}


def akshare_monthly(
    data: Path, code: str, *, filename: str, period_column: str, value_column: str, function: str, original: str
) -> Iterator[Row]:
    """One column of an akshare dump: a figure from an official release, held through a republisher."""
    seen = set()
    for line in _read_csv(data / filename):
        if not line[value_column].strip():
            continue
        period = _akshare_month(line[period_column])
        if (code, period) in JANUARY_FEBRUARY_COMBINED:
            if line["同比增长"] != line["累计增长"]:
                raise ValueError(f"{filename}: {period} is listed as Jan-Feb combined but its columns differ")
            continue
        if period in seen:
            raise ValueError(f"{filename}: {period} appears twice")
        seen.add(period)
        yield Row(
            code,
            "CHN",
            period,
            _published(line[value_column], f"{filename} {period}"),
            f"akshare {function} dump, {AKSHARE_REPO.split(' (')[0]} @9816602",
            original.split(" ")[0],
            f"Original publisher: {original.split(' ', 1)[1]}. Republished by Eastmoney, read with akshare's "
            f"{function} (column {value_column}) and saved by {AKSHARE_REPO}. Retrieval date: on or before "
            f"2025-10-18. {UNVERIFIED} (no licence file; the republisher's terms are unclear).",
        )


# ---- OWID and the IEA -----------------------------------------------------------------------------------

OWID_LICENCE = "licence: CC BY 4.0 as stated in the OWID README"


OWID_CO2_CURRENT = "owid_co2_data_6economies_2000-2023_extract.csv"
OWID_ENERGY_CURRENT = "owid_energy_data_solar_wind_6economies_2013-2025.csv"
OWID_FIRST_YEAR_BREAK = {
    OWID_CO2_CURRENT: (
        "Break in vintage: this is the first year of the current OWID co2-data vintage used here; the December 2020 "
        "file the snapshot held before (China only, 1960-2018) is not spliced on, and it differs (China 2018 "
        "10,064.686 Mt there vs 10,332.992 Mt here)."
    ),
    OWID_ENERGY_CURRENT: (
        "Break in vintage: this is the first year of the current OWID energy-data vintage used here; the BP & Ember "
        "2022 grapher file the snapshot held before (1965-2021) is not spliced on, and it differs (China 2021 wind "
        "614.18 TWh there vs 655.8 TWh here)."
    ),
}
OWID_FILES = {
    OWID_CO2_CURRENT: (
        "OWID co2-data CSV @1476566",
        "https://github.com/owid/co2-data",
        "owid/co2-data, owid-co2-data.csv @ 14765664687011bbafd7bbfdd1f3d2a76c4a62af (holds figures to 2023; "
        "commit date not verified), rows transcribed for the six catalog economies",
    ),
    OWID_ENERGY_CURRENT: (
        "OWID energy-data CSV @e7897ae",
        "https://github.com/owid/energy-data",
        "owid/energy-data, owid-energy-data.csv @ e7897aed55b514b8d16e0a3d8f1518789ac3de31 (holds 2025 rows, so a "
        "2026 vintage; commit date not verified), rows transcribed for the six catalog economies",
    ),
}


def owid_current(data: Path, code: str, filename: str, column: str, original: str) -> Iterator[Row]:
    """The newest recorded OWID vintage, six economies; each economy's first year flags the vintage break."""
    vintage, citation, where = OWID_FILES[filename]
    first_year: dict[str, int] = {}
    lines = [line for line in _read_csv(data / filename) if line[column].strip()]
    for line in lines:
        geography = line["iso_code"]
        first_year[geography] = min(first_year.get(geography, 9999), int(line["year"]))
    for line in lines:
        geography, year = line["iso_code"], int(line["year"])
        is_break = year == first_year[geography]
        note = f"Republished by Our World in Data ({where}; column {column}); original: {original}. {OWID_LICENCE}."
        if is_break:
            note += " " + OWID_FIRST_YEAR_BREAK[filename]
        yield Row(
            code,
            geography,
            datetime.date(year, 1, 1),
            _published(line[column], f"{filename} {column} {geography} {year}"),
            vintage,
            citation,
            note,
            is_break=is_break,
        )


IEA_FILE = "iea_global_ev_data_2024_china.csv"


def iea_ev(data: Path, code: str, parameter: str, powertrain: str) -> Iterator[Row]:
    """Historical rows only: the file's Projection-STEPS and Projection-APS rows are not observations."""
    for line in _read_csv(data / IEA_FILE):
        if (line["category"], line["parameter"], line["mode"], line["powertrain"]) != (
            "Historical",
            parameter,
            "Cars",
            powertrain,
        ):
            continue
        year = int(line["year"])
        yield Row(
            code,
            "CHN",
            datetime.date(year, 1, 1),
            _published(line["value"], f"{IEA_FILE} {parameter} {powertrain} {year}"),
            "IEA Global EV Data 2024",
            "https://www.iea.org/data-and-statistics/data-tools/global-ev-data-explorer",
            f"Original publisher International Energy Agency, Global EV Outlook 2024 data (category Historical, "
            f"parameter '{parameter}', mode Cars, powertrain {powertrain}, unit {line['unit']}). Republished in "
            f"Kaulik2004/Global-EV-Sales-Analysis-and-Prediction-ARIMA-time-series-model- (IEA Global EV Data "
            f"2024.csv @ 3c37b7dd0507d15ea2bd1dc8b970fe9ad0ce5937). {UNVERIFIED} (the IEA is understood to "
            f"publish this under CC BY 4.0; not confirmed).",
        )


# ---- Figures quoted from publications ------------------------------------------------------------------


def _catalog_indicators() -> dict[str, dict]:
    path = PROJECT / "catalog" / "data" / "indicators.yaml"
    return {row["code"]: row for row in yaml.safe_load(path.read_text("utf-8"))["indicators"]}


def published_rows(data: Path) -> Iterator[Row]:
    """The quoted figures that fit a catalog indicator; the choice between disagreeing ones is in the note."""
    figures, _skipped = published_figures.read_figures(data, _catalog_indicators())
    for figure, others in published_figures.choose(figures):
        yield Row(
            figure.indicator_code,
            figure.geography_code,
            figure.period,
            _published(figure.value, f"{published_figures.PUBLISHED} line {figure.line}"),
            published_figures.VINTAGE,
            figure.source["url"],
            published_figures.provenance_note(figure, others),
            is_provisional=published_figures.is_preliminary(figure.source),
            is_estimated=figure.is_bound,
        )


# ---- What goes into the snapshot ---------------------------------------------------------------------------

NBS_MONTHLY = "https://data.stats.gov.cn/easyquery.htm?cn=A01"
COMPARISON = ["CHN", "USA", "DEU", "JPN", "KOR", "IND", "WLD"]


def series_rows(data: Path) -> Iterator[Row]:
    """Every row, indicator by indicator; the choice of vintage for each is made here."""
    for code, series in [
        ("wb-manufacturing-value-added-share", "NV.IND.MANF.ZS"),
        ("wb-manufacturing-value-added-usd", "NV.IND.MANF.CD"),
        ("wb-internet-users", "IT.NET.USER.ZS"),
        ("wb-ict-goods-exports-share", "TX.VAL.ICTG.ZS.UN"),
    ]:
        yield from wdi_opennumbers(data, code, series)
    for code, series in [
        ("wb-industry-value-added-share", "NV.IND.TOTL.ZS"),
        ("wb-gdp-growth", "NY.GDP.MKTP.KD.ZG"),
        ("wb-ip-charges-receipts", "BX.GSR.ROYL.CD"),
        ("wb-firms-spending-on-rd", "IC.FRM.RSDV.ZS"),
        ("wb-medium-high-tech-manufacturing-share", "NV.MNF.TECH.ZS.UN"),
        ("wb-high-tech-exports-share", "TX.VAL.TECH.MF.ZS"),
        ("wb-medium-high-tech-exports-share", "TX.MNF.TECH.ZS.UN"),
        ("wb-fixed-broadband-subscriptions", "IT.NET.BBND.P2"),
        ("wb-renewable-electricity-share", "EG.ELC.RNEW.ZS"),
        ("wb-renewable-final-energy-share", "EG.FEC.RNEW.ZS"),
        ("wb-energy-intensity", "EG.EGY.PRIM.PP.KD"),
    ]:
        yield from wdi_frankenstein(data, code, series)
    for code, series in [
        ("wb-rd-expenditure-share", "GB.XPD.RSDV.GD.ZS"),
        ("wb-researchers-per-million", "SP.POP.SCIE.RD.P6"),
        ("wb-resident-patent-applications", "IP.PAT.RESD"),
    ]:
        yield from wdi_bulk(data, code, series, COMPARISON)
    yield from nbs_hgjd(data, "nbs-industry-value-added-index-quarterly", "hgjd:A01030B")
    yield from nbs_hgjd(data, "nbs-manufacturing-value-added-index-quarterly", "hgjd:A01030D")
    gyzjz = {
        "filename": "akshare_macro_china_gyzjz_industrial_va_growth_monthly_2008-2025.csv",
        "period_column": "月份",
        "function": "macro_china_gyzjz",
        "original": f"{NBS_MONTHLY} National Bureau of Statistics, monthly release on industrial production",
    }
    yield from akshare_monthly(data, "industrial-value-added-growth-monthly", value_column="同比增长", **gyzjz)
    yield from akshare_monthly(data, "industrial-value-added-growth-ytd", value_column="累计增长", **gyzjz)
    yield from akshare_monthly(
        data,
        "manufacturing-pmi",
        filename="akshare_china_pmi_monthly_2008-01_2025-05.csv",
        period_column="月份",
        value_column="制造业-指数",
        function="macro_china_pmi",
        original=f"{NBS_MONTHLY} National Bureau of Statistics and CFLP, monthly Purchasing Managers' Index release",
    )
    yield from akshare_monthly(
        data,
        "secondary-industry-electricity-consumption-ytd",
        filename="akshare_macro_china_electricity_consumption_by_sector_2003-2025.csv",
        period_column="统计时间",
        value_column="第二产业用电量",
        function="macro_china_society_electricity",
        original="https://www.nea.gov.cn/ National Energy Administration (with the China Electricity Council), "
        "monthly release on electricity consumption, cumulative from January; unit 万千瓦时 as the republisher "
        "gives it",
    )
    carbon = "Global Carbon Project"
    yield from owid_current(data, "owid-co2-emissions", OWID_CO2_CURRENT, "co2", carbon)
    yield from owid_current(
        data, "owid-co2-per-gdp", OWID_CO2_CURRENT, "co2_per_gdp", f"{carbon}; GDP from the Maddison Project"
    )
    electricity = "Ember and the Energy Institute Statistical Review of World Energy"
    yield from owid_current(data, "owid-solar-electricity", OWID_ENERGY_CURRENT, "solar_electricity", electricity)
    yield from owid_current(data, "owid-wind-electricity", OWID_ENERGY_CURRENT, "wind_electricity", electricity)

    yield from iea_ev(data, "ev-car-sales-share", "EV sales share", "EV")
    yield from iea_ev(data, "bev-car-sales", "EV sales", "BEV")
    yield from iea_ev(data, "phev-car-sales", "EV sales", "PHEV")


def snapshot_rows(data: Path) -> list[Row]:
    """The datasets' rows, then the quoted figures for series no dataset holds (one vintage per series)."""
    rows = list(series_rows(data))
    held = {(row.indicator_code, row.geography_code) for row in rows}
    rows += [row for row in published_rows(data) if (row.indicator_code, row.geography_code) not in held]
    return rows


def check_against_catalog(rows: list[Row]) -> None:
    """Refuse rows for unknown indicators or geographies, off-frequency periods, implausible values, duplicates."""
    catalog = PROJECT / "catalog" / "data"
    indicators = _catalog_indicators()
    geographies = {
        row["code"] for row in yaml.safe_load((catalog / "geographies.yaml").read_text("utf-8"))["geographies"]
    }
    seen = set()
    for row in rows:
        where = f"{row.indicator_code} {row.geography_code} {row.period}"
        indicator = indicators.get(row.indicator_code)
        if indicator is None or row.geography_code not in geographies:
            raise ValueError(f"{where}: indicator or geography not in the catalog")
        check_period_start(row.period, indicator["frequency"])
        value = Decimal(row.value)
        low, high = indicator.get("plausible_min"), indicator.get("plausible_max")
        if (low is not None and value < Decimal(str(low))) or (high is not None and value > Decimal(str(high))):
            raise ValueError(f"{where}: {row.value} is outside the plausible range [{low}, {high}]")
        if not row.vintage or len(row.vintage) > 80 or not row.citation.startswith(("https://", "http://")):
            raise ValueError(f"{where}: vintage or citation missing or too long")
        key = (row.indicator_code, row.geography_code, row.period)
        if key in seen:
            raise ValueError(f"{where}: two figures for one period")
        seen.add(key)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("/work/shared/data"))
    parser.add_argument("--out", type=Path, default=PROJECT / "indicators" / "snapshot" / "observations.csv")
    arguments = parser.parse_args()
    try:
        rows = snapshot_rows(arguments.data)
        check_against_catalog(rows)
    except (OSError, ValueError, KeyError, InvalidOperation) as exc:
        sys.exit(f"snapshot not written: {exc}")
    geography_order = {code: position for position, code in enumerate(COMPARISON)}
    rows.sort(key=lambda row: (row.indicator_code, geography_order.get(row.geography_code, 99), row.period))
    with arguments.out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(row.as_csv() for row in rows)
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.indicator_code] = counts.get(row.indicator_code, 0) + 1
    for code, count in sorted(counts.items()):
        print(f"{code:<50} {count:>5}")
    print(f"{len(rows)} rows for {len(counts)} indicators written to {arguments.out}")


if __name__ == "__main__":
    main()
