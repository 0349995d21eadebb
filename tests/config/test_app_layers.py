"""The apps depend on each other one way: pages -> read model -> domain, never back.

`config` (settings, the cache generation, rendering helpers) imports no app; `tasks` is the policy domain and
imports nothing but `config`; `indicators` (the statistics and the read model the pages use) imports `tasks` and
nothing above it; `catalog` loads both; the page apps sit on top. The check
reads every import in app code, those inside functions included, so a lazy import cannot hide a circle.
"""

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Each app and the project apps it may import (config/urls.py names the apps' URL modules as strings).
ALLOWED = {
    "config": set(),
    "tasks": {"config"},
    "accounts": set(),
    "indicators": {"tasks", "config"},
    "catalog": {"tasks", "indicators", "config"},
    "dashboard": {"tasks", "indicators", "config"},
    "entry": {"tasks", "indicators", "accounts", "config"},
    "publicapi": {"tasks", "indicators", "config"},
}
PROJECT_PACKAGES = set(ALLOWED)


def _imports(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
            modules.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {module for module in modules if module.split(".")[0] in PROJECT_PACKAGES}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _app_code() -> dict[str, set[str]]:
    """Every module of the project apps and config (migrations left out: Django orders them) with its imports."""
    graph = {}
    for package in sorted(PROJECT_PACKAGES):
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                graph[_module_name(path)] = _imports(path)
    return graph


def test_each_app_imports_only_the_apps_below_it():
    crossings = defaultdict(set)
    for module, imported in _app_code().items():
        app = module.split(".")[0]
        if app not in ALLOWED:
            continue
        for target in imported:
            target_app = target.split(".")[0]
            if target_app != app and target_app not in ALLOWED[app]:
                crossings[f"{app} -> {target_app}"].add(module)
    assert not crossings, dict(crossings)


def test_tasks_and_indicators_import_each_other_in_one_direction_only():
    graph = _app_code()
    tasks_to_indicators = [
        m for m, imported in graph.items() if m.startswith("tasks") and _reaches(imported, "indicators")
    ]
    assert graph.keys() and not tasks_to_indicators


def _reaches(imported: set[str], app: str) -> bool:
    return any(target.split(".")[0] == app for target in imported)


def test_no_module_imports_itself_through_a_circle():
    graph = _app_code()
    modules = set(graph)
    edges = {
        module: {_known(target, modules) for target in imported} - {None, module} for module, imported in graph.items()
    }
    circles = [module for module in modules if _on_a_circle(module, edges)]
    assert not circles, sorted(circles)


def _known(target: str, modules: set[str]) -> str | None:
    """The module an import names (`from a.b import c` names `a.b.c` if that is a module, else `a.b`)."""
    while target and target not in modules:
        target = target.rpartition(".")[0]
    return target or None


def _on_a_circle(start: str, edges: dict[str, set[str]]) -> bool:
    seen, stack = set(), list(edges.get(start, ()))
    while stack:
        module = stack.pop()
        if module == start:
            return True
        if module not in seen:
            seen.add(module)
            stack.extend(edges.get(module, ()))
    return False
