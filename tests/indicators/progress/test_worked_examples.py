"""Every worked example in docs/progress-method.md, run on the real series of the bundled data.

The series comes from indicators/snapshot/observations.csv (China), the indicator's kind, direction, limits and
targets from the catalog files: the document, the data and the code must agree.
"""

import datetime
import re
from pathlib import Path

import pytest

from indicators.progress import assess_indicator
from tests.indicators.progress.real_series import real_series, series_spec_of, targets_of

DOC = Path(__file__).resolve().parents[3] / "docs" / "progress-method.md"
DOC_ZH = DOC.with_name("progress-method.zh.md")
_BLOCK = re.compile(r"```yaml example\n(.*?)```", re.DOTALL)


def _examples() -> list[dict]:
    import yaml

    return [yaml.safe_load(block) for block in _BLOCK.findall(DOC.read_text(encoding="utf-8"))]


def _run(example: dict):
    code = example["indicator"]
    until = example.get("until")
    points = real_series(code, until=datetime.date.fromisoformat(f"{until}-01") if until else None)
    return assess_indicator(points=points, spec=series_spec_of(code), targets=targets_of(code))


def test_the_document_has_worked_examples_for_every_kind_of_method():
    methods = {example["expect"].get("method") for example in _examples()}
    assert {"annual_targets", "plan_average", "compound_growth", "recent_pace", "neutral_line"} <= methods


def test_the_chinese_edition_has_the_same_worked_examples():
    assert _BLOCK.findall(DOC_ZH.read_text(encoding="utf-8")) == _BLOCK.findall(DOC.read_text(encoding="utf-8"))


@pytest.mark.parametrize("example", _examples(), ids=lambda e: e["name"])
def test_worked_example(example):
    result = _run(example)
    for name, expected in example["expect"].items():
        if name == "reason_contains":
            for text in expected if isinstance(expected, list) else [expected]:
                assert text in result.reason, result.reason
        elif name == "verdicts":
            assert {v.year: v.verdict for v in result.year_verdicts} == expected
        elif name in ("base_period", "latest_period"):
            assert getattr(result, name) == datetime.date.fromisoformat(expected)
        elif name == "years":
            assert result.years == tuple(expected)
        elif isinstance(expected, float):
            places = len(str(expected).split(".")[1])
            assert getattr(result, name) == pytest.approx(expected, abs=0.5 * 10**-places), name
        else:
            assert getattr(result, name) == expected, name
