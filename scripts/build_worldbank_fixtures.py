"""Build World Bank API v2 replies for the connector tests from the real figures of the WDI files.

No recorded v2 reply for China exists (see shared/data/PROVENANCE.md), so this script writes replies in the
exact shape of the recorded `wb_api_v2_sample_USA_NY.GNP.PCAP.CD_1990-1997.json`, filled with the figures of:

- the World Bank bulk-download CSVs `wb_bulk_API_<SERIES>_DS2_en_csv_v2_*.csv` ("Last Updated Date" becomes
  `lastupdated`; country names, series names and values are copied as they are), and
- the 2025 WDI extract `wdi_china_2003-2023_frankenstein_v2025.csv` (an older vintage of the R&D series, used as
  the figures a source later revises; its `lastupdated` is the date that file last changed in its repository).

ISO2 country ids come from the recorded v1 countries reply. Values are not changed; empty cells become null, as
the API returns them. Every file written is named `*.built.json` and listed in tests/recorded/README.md.

    python scripts/build_worldbank_fixtures.py [--data-dir ../shared/data] [--out tests/recorded/worldbank]
"""

import argparse
import csv
import json
import math
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERIES = ("GB.XPD.RSDV.GD.ZS", "SP.POP.SCIE.RD.P6", "IP.PAT.RESD")
# (series, countries, per_page): the requests the tests make.
REQUESTS = [
    ("GB.XPD.RSDV.GD.ZS", ("CHN", "USA"), 1000),
    ("GB.XPD.RSDV.GD.ZS", ("CHN", "USA"), 50),
    ("GB.XPD.RSDV.GD.ZS", ("CHN",), 1000),
    ("SP.POP.SCIE.RD.P6", ("CHN", "USA"), 1000),
    ("IP.PAT.RESD", ("CHN", "USA"), 1000),
]
FRANKENSTEIN_LASTUPDATED = "2025-05-30"  # last change of njf0/frankenstein resources/wdi (PROVENANCE.md)


def file_name(series: str, countries: tuple[str, ...], per_page: int, page: int, origin: str) -> str:
    return f"{series}__country-{'-'.join(countries)}__per_page-{per_page}__page-{page}.{origin}.built.json"


def read_bulk(path: Path) -> tuple[str, dict[str, dict]]:
    """The bulk CSV's last-updated date and its rows by ISO3 code."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.reader(handle))
    last_updated = next(row[1] for row in lines if row and row[0] == "Last Updated Date")
    header_at = next(i for i, row in enumerate(lines) if row and row[0] == "Country Name")
    header = lines[header_at]
    rows = {}
    for row in lines[header_at + 1 :]:
        if len(row) < 4:
            continue
        record = dict(zip(header, row, strict=False))
        years = {name: record[name] for name in header if name.isdigit()}
        rows[record["Country Code"]] = {
            "country": record["Country Name"],
            "indicator": record["Indicator Name"],
            "years": years,
        }
    return last_updated, rows


def read_frankenstein(path: Path, series: str) -> dict[str, dict]:
    rows: dict[str, dict] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for record in csv.DictReader(handle):
            if record["indicator_code"] != series:
                continue
            entry = rows.setdefault(
                record["country_code"], {"country": "China", "indicator": record["indicator_name"], "years": {}}
            )
            entry["years"][record["year"]] = record["value"]
    return rows


def as_json_number(text: str):
    """The cell's number exactly as written: integers stay integers, decimals keep their digits."""
    if text == "":
        return None
    number = float(text)
    return int(number) if number.is_integer() and "." not in text and "e" not in text.lower() else number


def api_rows(series: str, countries: tuple[str, ...], data: dict[str, dict], iso2: dict[str, str]) -> list[dict]:
    """Rows as the API lists them: country by country, latest year first, nulls included."""
    rows = []
    for code in countries:
        entry = data[code]
        for year in sorted(entry["years"], reverse=True):
            rows.append(
                {
                    "indicator": {"id": series, "value": entry["indicator"]},
                    "country": {"id": iso2[code], "value": entry["country"]},
                    "countryiso3code": code,
                    "date": year,
                    "value": as_json_number(entry["years"][year]),
                    "unit": "",
                    "obs_status": "",
                    "decimal": 0,
                }
            )
    return rows


def write_pages(out: Path, series, countries, per_page, rows, last_updated, origin) -> list[Path]:
    pages = max(1, math.ceil(len(rows) / per_page))
    written = []
    for page in range(1, pages + 1):
        meta = {
            "page": page,
            "pages": pages,
            "per_page": per_page,
            "total": len(rows),
            "sourceid": "2",
            "lastupdated": last_updated,
        }
        body = [meta, rows[(page - 1) * per_page : page * per_page]]
        path = out / file_name(series, countries, per_page, page, origin)
        path.write_text(json.dumps(body, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "tests" / "recorded" / "worldbank")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    countries_reply = json.loads((args.data_dir / "wb_api_v1_countries_response_2016.json").read_text("utf-8"))
    iso2 = {country["id"]: country["iso2Code"] for country in countries_reply[1]}
    written = []
    for series, countries, per_page in REQUESTS:
        bulk_path = next(args.data_dir.glob(f"wb_bulk_API_{series}_DS2_en_csv_v2_*.csv"))
        last_updated, data = read_bulk(bulk_path)
        rows = api_rows(series, countries, data, iso2)
        written += write_pages(args.out, series, countries, per_page, rows, last_updated, "wdi-bulk")
    older = read_frankenstein(args.data_dir / "wdi_china_2003-2023_frankenstein_v2025.csv", "GB.XPD.RSDV.GD.ZS")
    rows = api_rows("GB.XPD.RSDV.GD.ZS", ("CHN",), older, iso2)
    written += write_pages(
        args.out, "GB.XPD.RSDV.GD.ZS", ("CHN",), 1000, rows, FRANKENSTEIN_LASTUPDATED, "wdi-v2025-extract"
    )
    for path in written:
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
