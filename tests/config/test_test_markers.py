"""The e2e marker selects the browser tests and nothing else."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _collected(*args: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return [line for line in result.stdout.splitlines() if "::" in line]


def test_not_e2e_selects_the_tests_outside_the_browser_suite():
    selected = _collected("-m", "not e2e", "tests/indicators", "tests/e2e")
    assert selected
    assert not any(line.startswith("tests/e2e/") for line in selected)


def test_e2e_selects_only_the_browser_tests():
    selected = _collected("-m", "e2e", "tests/indicators", "tests/e2e")
    assert selected
    assert all(line.startswith("tests/e2e/") for line in selected)
