"""No function in app code is over 60 lines (migrations, generated, aside): a longer one is doing more than one job."""

import ast
from pathlib import Path

from tests.config.test_app_layers import PROJECT_PACKAGES, ROOT

LIMIT = 60


def _long_functions(path: Path, root: Path = ROOT) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [
        f"{path.relative_to(root)}:{node.lineno} {node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno - node.lineno + 1 > LIMIT
    ]


def _app_modules() -> list[Path]:
    return [
        path
        for package in sorted(PROJECT_PACKAGES)
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts
    ]


def test_no_function_in_app_code_is_over_sixty_lines():
    modules = _app_modules()
    assert len(modules) > 50  # the apps were found
    assert [found for path in modules for found in _long_functions(path)] == []


def test_the_length_check_finds_a_long_function(tmp_path):
    module = tmp_path / "long.py"
    body = "\n".join(f"    x{n} = {n}" for n in range(LIMIT))
    module.write_text(f"def too_long():\n{body}\n", encoding="utf-8")
    assert _long_functions(module, root=tmp_path) == [f"long.py:1 too_long ({LIMIT + 1} lines)"]
