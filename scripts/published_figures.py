"""Figures quoted from publications (published_figures_china_2019-2024.csv) as snapshot rows.

Each row of the file is one figure read from one sentence of one document. A row becomes an observation only
when its reference period fits the indicator's frequency and its printed unit converts exactly into the
catalog unit; everything else is reported as skipped, with the reason, so the README can list it.

Rules, applied in this order:
- Approximate or planned figures ("about 30", "some 443,000", planned batch sizes) are left out.
- A bound ("超过419万", "7万多家", "more than") is kept only where no exact figure exists for that period, and is
  flagged as estimated with the bound named in the note.
- Two figures for one period: the State Council's own text (a Government Work Report clause) wins over any copy;
  otherwise the later publication wins (a final figure supersedes a preliminary one, and the year-end bulletin
  supersedes a conference statement); on the same date, the first row of the file. The other figures are named
  in the winner's note, never averaged.
- A stock count printed with a date rather than a year is filed under a year-end only where the row states which
  (STATED_YEAR_END); a quarter-end month is its quarter.
"""

import csv
import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

PUBLISHED = "published_figures_china_2019-2024.csv"
VINTAGE = "Published figure (quoted; snapshot of 2026-12)"

# The catalog unit, then each printed unit it is read from with the factor into the catalog unit.
UNIT_FACTORS = {
    "%": {"%": 1},
    "EFLOPS": {"EFLOPS": 1, "EFlops": 1},
    "亿元": {"亿元": 1, "billion yuan": 10, "trillion yuan": 10000, "万亿元": 10000},
    "家": {
        "家": 1,
        "companies": 1,
        "enterprises": 1,
        "green factories": 1,
        "万家": 10000,
        "萬家": 10000,
        "万多家": 10000,
        "萬多家": 10000,
    },
    "万个": {"万个": 1, "million": 100},
    "个": {"个": 1, "家": 1},
    "万吨": {"万吨": 1, "亿吨": 10000, "億噸": 10000},
    "套": {"套": 1, "sets": 1, "units": 1, "台(セット)": 1},
    "万辆": {"万辆": 1},
    "亿块": {"亿块": 1, "億塊": 1},
    "万千瓦时": {"亿千瓦时": 10000, "億千瓦時": 10000},
    "万台（套）": {"万台套": 1, "万臺(套)": 1},
    # "880万" in "标准机架数超过880万": the sentence names the standard rack, so 万 is 万标准机架.
    "万标准机架": {"万标准机架": 1, "万": 1},
}
BOUND_WORDS = ("超过", "超過", "超:", "more than", "exceeded", "多家")
APPROXIMATE_WORDS = ("左右", "about", "planned", "some ")
YEAR_TO_DATE = {
    "industrial-value-added-growth-ytd",
    "manufacturing-fixed-asset-investment-growth",
    "soe-total-profits-ytd",
    "secondary-industry-electricity-consumption-ytd",
}


# The file's `new: ...` figure families that a catalog indicator now holds. The file is kept as it was read, so
# the mapping lives here; a family not listed stays skipped ("no catalog indicator holds this figure yet").
CATALOG_CODE_FOR = {
    "new: manufacturing value added share of GDP (MIIT/NBS)": "manufacturing-value-added-share-miit",
    "new: equipment manufacturing share of value added of industry above designated size": (
        "equipment-manufacturing-share"
    ),
    "new: R&D expenditure (GERD), NBS": "rd-expenditure",
    "new: R&D expenditure share of GDP, NBS": "rd-expenditure-share-nbs",
    "new: R&D expenditure of industrial enterprises above designated size": "industrial-enterprise-rd-expenditure",
    "new: NEV output (NBS)": "nev-output",
    "new: industrial medium- and long-term loans (本外币), growth": "industrial-medium-long-term-loans-growth",
    "new: comprehensive utilisation rate of bulk industrial solid waste (MIIT)": (
        "bulk-industrial-solid-waste-utilization-rate"
    ),
    "new: data centre racks in use": "data-centre-racks",
}

# Stock counts printed with a date, not a year, that still state which year-end they describe. Each pattern is
# filed under the year it names, and the note says why:
STATED_YEAR_END = [
    (
        re.compile(r"as of \d{4}-\d{2} \(reported with (\d{4}) results\)"),
        "a stock count stated in the report of {year}'s results, before any later figure, is the count at the end "
        "of {year}",
    ),
    (
        re.compile(r"\d{4}-\d{2} \(after the (\d{4}) list\)"),
        "a cumulative count of list designations stated after the {year} list and before the next is the count "
        "through the {year} list, which is how MIIT dates it (its 'by the end of 2023' green-factory count is the "
        "count through the 2023 list)",
    ),
]


def stated_year_end(text: str) -> tuple[int, str] | None:
    """The year-end a dated stock count states, with the rule that files it there; None if it states none."""
    for pattern, rule in STATED_YEAR_END:
        if match := pattern.fullmatch(text.strip()):
            return int(match[1]), rule.format(year=match[1])
    return None


GWR_COPY = (
    "transcription read: zh.wikisource.org via GitHub aldohemsn/chinese-political-corpora, "
    "government_work_reports.jsonl @ 99bc4b01d11c2b884a83ecc8f966d97e17cd450e"
)
WIKISOURCE = "https://zh.wikisource.org/wiki/{year}%E5%B9%B4%E4%B8%AD%E5%8D%8E%E4%BA%BA%E6%B0%91%E5%85%B1%E5%92%8C%E5%9B%BD%E5%9B%BD%E5%8A%A1%E9%99%A2%E6%94%BF%E5%BA%9C%E5%B7%A5%E4%BD%9C%E6%8A%A5%E5%91%8A"


def _review(code: str, period: str, value: str, unit: str, clause: str, report: int, section: str, note: str) -> dict:
    """A figure the Government Work Report states in its review (TARGETS.md, "Official outcome figures")."""
    return {
        "indicator_code": code,
        "geography": "CHN",
        "period": period,
        "value": value,
        "unit": unit,
        "quote": clause,
        "document": f"{report}年国务院政府工作报告 ({section})",
        "publisher": f"State Council (国务院), Government Work Report to the NPC; original: State Council; {GWR_COPY}",
        "published": f"{report}-03-05",
        "url": WIKISOURCE.format(year=report),
        "read_via": "the clause as verified in /work/shared/targets/TARGETS.md",
        "note": note,
    }


# The review figures of the Government Work Reports, with the clause as the citation. The 2023 Report's
# "研发经费投入强度…提高到2.5%以上" is not here: R&D % of GDP is held as a World Bank series, one vintage.
REVIEW_FIGURES = [
    _review(
        "srdi-smes",
        "2022",
        "7",
        "万多家 (more than 70,000)",
        "专精特新中小企业达7万多家。",
        2023,
        "review of the past five years",
        "Lower bound; the review covers the five years to 2022.",
    ),
    _review(
        "high-tech-manufacturing-value-added-growth",
        "2024",
        "8.9",
        "%",
        "高技术制造业、装备制造业增加值分别增长8.9%、7.7%",
        2025,
        "一、2024年工作回顾",
        "",
    ),
    _review(
        "manufacturing-fixed-asset-investment-growth",
        "2024-12 (full year)",
        "9.2",
        "%",
        "制造业投资增长9.2%。",
        2025,
        "一、2024年工作回顾",
        "Full-year 2024 growth, filed as January to December.",
    ),
    _review(
        "energy-intensity-change",
        "2024",
        "-3",
        "% (降幅超过3%: a fall of more than 3%)",
        "单位国内生产总值能耗降幅超过3%；",
        2025,
        "一、2024年工作回顾",
        "Lower bound on the fall; a fall is given as a negative change.",
    ),
]


# Sentences that state a level and its growth on the year before ("…30782.9亿元，增长10.1%"): the growth rate is a
# figure of its own, for the indicator named here. The first growth the sentence states is the one at current
# prices (a constant-price growth, where given, comes after it: "按不变价计算，R&D经费增长8.0%").
GROWTH_STATED_WITH = {"new: R&D expenditure (GERD), NBS": "rd-expenditure-growth"}
_STATED_GROWTH = re.compile(r"增长(\d+(?:\.\d+)?)%|(?:grew|up) by (\d+(?:\.\d+)?) percent")


def stated_growth_rows(numbered: list[tuple[int, dict]]) -> list[tuple[int, dict]]:
    """The growth rates stated in the same sentence as a level, as rows of their own indicator."""
    derived = []
    for line, row in numbered:
        code = GROWTH_STATED_WITH.get(row["indicator_code"])
        match = _STATED_GROWTH.search(row["quote"])
        if code is None or match is None:
            continue
        note = "The growth on the year before, at current prices, stated in the same sentence as the level."
        derived.append(
            (
                line,
                {
                    **row,
                    "indicator_code": code,
                    "value": match[1] or match[2],
                    "unit": "%",
                    "note": f"{note} {row['note']}".strip(),
                },
            )
        )
    return derived


@dataclass(frozen=True)
class Figure:
    """One figure that fits its indicator, with where it was read."""

    line: int
    indicator_code: str
    geography_code: str
    period: datetime.date
    value: str
    is_bound: bool
    source: dict[str, str]


@dataclass(frozen=True)
class Skipped:
    line: int
    indicator_code: str
    period: str
    reason: str


def _year_end(year: str) -> datetime.date:
    return datetime.date(int(year), 1, 1)


def reference_period(text: str, code: str, frequency: str) -> datetime.date | str:
    """The catalog period a printed reference period describes, or why it fits none."""
    text = text.strip()
    year_to_date = code in YEAR_TO_DATE
    if match := re.fullmatch(r"(\d{4})(?: list| \(year\)| \(full year\))?", text):
        return _year_end(match[1]) if frequency == "annual" else f"an annual figure; the indicator is {frequency}"
    if frequency == "annual" and (stated := stated_year_end(text)):
        return _year_end(str(stated[0]))
    if frequency == "quarterly":
        quarter_end = re.fullmatch(r"(\d{4})-(03|06|09|12)(?: \(Q[1-4] end\))?", text)
        if quarter_end:
            return datetime.date(int(quarter_end[1]), int(quarter_end[2]) - 2, 1)
        return f"reference period {text!r} is not the end of a quarter; the indicator is quarterly"
    month = re.fullmatch(r"(\d{4})-(\d{2})(?: \((Jan-\w+|full year|month)\))?", text)
    cumulative = re.fullmatch(r"(\d{4})-01/(\d{2}) \(cumulative\)", text)
    if month and frequency == "annual":
        if month[3] == "month":
            return "a single month's figure; the indicator is annual"
        if month[2] == "12":
            return _year_end(month[1])
        if month[3]:
            return "a January-to-date figure, not the full year"
        return "a count during the year, not at its end"
    if frequency != "monthly":
        return f"reference period {text!r} does not fit a {frequency} indicator"
    if month and (month[3] is None or month[3] == "month"):
        return datetime.date(int(month[1]), int(month[2]), 1) if not year_to_date else "a single month, not Jan-to-date"
    if (month or cumulative) and year_to_date:
        found = month or cumulative
        return datetime.date(int(found[1]), int(found[2]), 1)
    if month or cumulative:
        return "a January-to-date total; the indicator is a single month"
    return f"reference period {text!r} is not a calendar period"


def _converted(value: str, printed_unit: str, catalog_unit: str) -> tuple[str, bool] | str:
    """The value in the catalog unit and whether it is a bound, or why it cannot be used."""
    if any(word in printed_unit for word in APPROXIMATE_WORDS):
        return f"approximate or planned figure ({printed_unit})"
    base = printed_unit.split(" (")[0].strip()
    factor = UNIT_FACTORS.get(catalog_unit, {}).get(base)
    if factor is None:
        return f"printed unit {printed_unit!r} does not convert exactly into {catalog_unit}"
    number = Decimal(value) * factor
    is_bound = any(word in printed_unit for word in BOUND_WORDS)
    return format(number.normalize(), "f"), is_bound


def _publication_date(text: str) -> str:
    match = re.search(r"\d{4}(-\d{2}(-\d{2})?)?", text)
    return match[0] if match else ""


def read_figures(data: Path, indicators: dict[str, dict]) -> tuple[list[Figure], list[Skipped]]:
    """Every row of the file as a figure that fits, or as skipped with its reason."""
    figures, skipped = [], []
    with (data / PUBLISHED).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    # Review figures are numbered after the file's lines, so messages can still point at each one; a growth
    # rate read from a level's sentence keeps that sentence's line.
    numbered = list(enumerate([*rows, *REVIEW_FIGURES], start=2))
    for line, row in [*numbered, *stated_growth_rows(numbered)]:
        code = CATALOG_CODE_FOR.get(row["indicator_code"], row["indicator_code"])
        indicator = indicators.get(code)
        if indicator is None:
            skipped.append(Skipped(line, code, row["period"], "no catalog indicator holds this figure yet"))
            continue
        period = reference_period(row["period"], code, indicator["frequency"])
        converted = _converted(row["value"], row["unit"], indicator["unit"])
        reason = period if isinstance(period, str) else converted if isinstance(converted, str) else ""
        if not reason and not row["url"].startswith(("https://", "http://")):
            reason = "the copy read has no address a reader can follow (an undisclosed GitHub file)"
        if not reason and row["geography"] not in indicator["geographies"]:
            reason = f"geography {row['geography']} is not one of the indicator's"
        if reason:
            skipped.append(Skipped(line, code, row["period"], reason))
            continue
        figures.append(Figure(line, code, row["geography"], period, converted[0], converted[1], row))
    return figures, skipped


def choose(figures: Iterable[Figure]) -> list[tuple[Figure, list[Figure]]]:
    """One figure per indicator, geography and period, with the figures it was chosen over."""
    groups: dict[tuple, list[Figure]] = {}
    for figure in figures:
        groups.setdefault((figure.indicator_code, figure.geography_code, figure.period), []).append(figure)
    chosen = []
    for group in groups.values():
        exact = [figure for figure in group if not figure.is_bound] or group
        ranked = sorted(
            exact,
            key=lambda figure: (
                figure.source in REVIEW_FIGURES,
                _publication_date(figure.source["published"]),
                -figure.line,
            ),
        )
        winner = ranked[-1]
        chosen.append((winner, [figure for figure in group if figure is not winner]))
    return chosen


def is_preliminary(source: dict[str, str]) -> bool:
    """A figure its row calls preliminary (the note begins so, or the printed unit says so): flagged provisional."""
    return source["note"].strip().lower().startswith("preliminary") or "(preliminary)" in source["unit"]


def _describe(figure: Figure) -> str:
    source = figure.source
    return f"{source['value']} {source['unit']} ({source['document']}; {source['publisher']}; {source['published']})"


def provenance_note(figure: Figure, others: list[Figure]) -> str:
    """The note a published figure carries: sentence, document, publishers, caveat, licence, other figures."""
    source = figure.source
    parts = [
        f'Published figure. Sentence: "{source["quote"]}"',
        f"Document: {source['document']}.",
        f"Publisher (original and republisher of the copy read): {source['publisher']};",
        f"published {source['published']}.",
        f"Copy read: {source['url']} ({source['read_via']}).",
        f"Printed as: {source['value']} {source['unit']}.",
    ]
    if stated := stated_year_end(source["period"]):
        parts.append(f"Reference period printed {source['period']!r}, filed as {stated[0]}: {stated[1]}.")
    if is_preliminary(source):
        parts.append("Provisional: a preliminary figure; the final one, when published, replaces it.")
    if figure.is_bound:
        parts.append("A bound, not an exact figure: the value is the bound the sentence states.")
    if source["note"].strip():
        parts.append(f"Caveat: {source['note'].strip()}")
    if others:
        listed = "; ".join(_describe(other) for other in others)
        parts.append(
            f"Other figures for this period, not used (the issuer's own text, exact figures and the later "
            f"publication win): {listed}."
        )
    parts.append("licence: unverified (official statistics quoted for citation; the copy's terms were not confirmed).")
    return " ".join(parts)
