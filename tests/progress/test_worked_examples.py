"""Every worked example in docs/progress-method.md, run through the code: the page and the method must agree."""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from tasks.progress import Point, TargetSpec, assess_indicator

DOC = Path(__file__).resolve().parents[2] / "docs" / "progress-method.md"
_BLOCK = re.compile(r"```yaml example\n(.*?)```", re.DOTALL)


def _examples() -> list[dict]:
    return [yaml.safe_load(block) for block in _BLOCK.findall(DOC.read_text(encoding="utf-8"))]


def _period(label: str) -> datetime.date:
    year, _, month = str(label).partition("-")
    return datetime.date(int(year), int(month or 1), 1)


def _decimals(number: float) -> int:
    exponent = Decimal(str(number)).as_tuple().exponent
    return max(-exponent, 0)


def _run(example: dict):
    target = example["target"]
    spec = None
    if target is not None:
        spec = TargetSpec(
            kind=target["kind"],
            value=float(target["value"]),
            value_high=None if target.get("value_high") is None else float(target["value_high"]),
            base_year=target.get("base_year"),
            target_year=target["target_year"],
        )
    points = [Point(_period(label), float(value)) for label, value in example["points"].items()]
    return assess_indicator(
        points=points,
        frequency=example["frequency"],
        aggregation=example["aggregation"],
        direction=example["direction"],
        target=spec,
        unit=example.get("unit", ""),
    )


def test_the_document_has_worked_examples():
    assert len(_examples()) >= 10


@pytest.mark.parametrize("example", _examples(), ids=lambda e: e["name"])
def test_worked_example(example):
    result = _run(example)
    for field, expected in example["expect"].items():
        if field == "reason_contains":
            assert expected in result.reason
        elif field in ("base_period", "latest_period"):
            assert getattr(result, field) == datetime.date.fromisoformat(expected)
        elif field == "years":
            assert result.years == tuple(expected)
        elif isinstance(expected, float):
            places = _decimals(expected)
            assert getattr(result, field) == pytest.approx(expected, abs=0.5 * 10**-places), field
        else:
            assert getattr(result, field) == expected, field
