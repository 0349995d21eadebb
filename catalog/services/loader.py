"""Load the catalog (catalog/data/*.yaml) into the database: tasks, sectors, commitments, sources,
geographies, indicators, their links and targets.

How a second run writes nothing, and how admins' edits survive:

- Every row the loader writes is saved with the django-simple-history change reason ``load_catalog``.
- A row that already matches the catalog is not touched: no UPDATE, so no new history row either.
- A row that differs from the catalog is updated only when its latest history record was written by the
  loader (the catalog itself changed since the last load). When the latest record carries any other reason
  (an admin edited the row in the admin, or someone in a shell), the row is left exactly as it is and the
  summary counts it as ``kept``.
- The loader never deletes: a row removed from the catalog stays until an admin deletes it.

Many-to-many sets (a commitment's or an indicator's sectors, an indicator's geographies) are compared and
set with the row they belong to, under the same rule.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import models, transaction

from config.generations import site_generation_bump
from indicators.models import CommitmentIndicator, Geography, Indicator, PolicyClause, Source, Target
from tasks.models import Commitment, Sector, Task

LOADER_CHANGE_REASON = "load_catalog"
CATALOG_DIR = Path(__file__).resolve().parent.parent / "data"
CATALOG_FILES = (
    "sources",
    "geographies",
    "sectors",
    "tasks",
    "commitments",
    "indicators",
    "targets",
    "policy_clauses",
    "units",
)


class CatalogError(ValueError):
    """The catalog files are malformed or refer to something that does not exist; nothing was written."""


@dataclass
class LoadSummary:
    """What one load did, per model: rows created, updated, unchanged, and kept as an admin left them."""

    counts: dict[str, Counter] = field(default_factory=dict)
    kept: list[str] = field(default_factory=list)

    def count(self, model: type[models.Model], outcome: str) -> None:
        self.counts.setdefault(model.__name__, Counter())[outcome] += 1

    @property
    def writes(self) -> int:
        return sum(c["created"] + c["updated"] for c in self.counts.values())


def catalog_read(*, directory: Path = CATALOG_DIR) -> dict[str, list[dict[str, Any]]]:
    """Read the catalog files into plain lists of dicts, one list per file."""
    catalog = {}
    for name in CATALOG_FILES:
        path = directory / f"{name}.yaml"
        try:
            with path.open(encoding="utf-8") as handle:
                document = yaml.safe_load(handle) or {}
        except OSError as exc:
            raise CatalogError(f"cannot read {path}: {exc}") from exc
        except yaml.YAMLError as exc:
            raise CatalogError(f"{path} is not valid YAML: {exc}") from exc
        rows = document.get(name)
        if not isinstance(rows, list):
            raise CatalogError(f"{path} must hold a list under the key {name!r}")
        catalog[name] = rows
    return catalog


class _ModelSync:
    """Create, update or keep the rows of one model, by natural key, under the rule in the module docstring."""

    def __init__(self, model: type[models.Model], key_fields: tuple[str, ...], summary: LoadSummary):
        self.model = model
        self.key_fields = key_fields
        self.summary = summary
        self.rows = {self._key_of(obj): obj for obj in model.objects.all()}
        self.latest_reason = _latest_history_reasons(model)
        self.m2m_current: dict[str, dict[int, set[int]]] = {}

    def _key_of(self, obj: models.Model) -> tuple:
        return tuple(getattr(obj, name) for name in self.key_fields)

    def _current_m2m(self, name: str) -> dict[int, set[int]]:
        if name not in self.m2m_current:
            relation = self.model._meta.get_field(name)
            through = relation.remote_field.through
            pairs = through.objects.values_list(
                f"{relation.m2m_field_name()}_id", f"{relation.m2m_reverse_field_name()}_id"
            )
            current: dict[int, set[int]] = {}
            for owner_id, target_id in pairs:
                current.setdefault(owner_id, set()).add(target_id)
            self.m2m_current[name] = current
        return self.m2m_current[name]

    def sync(self, key: dict[str, Any], values: dict[str, Any], m2m: dict[str, set[int]] | None = None) -> models.Model:
        m2m = m2m or {}
        values = {name: _python_value(self.model, name, value) for name, value in values.items()}
        label = f"{self.model.__name__} {'/'.join(str(v) for v in key.values())}"
        obj = self.rows.get(tuple(key[name] for name in self.key_fields))
        if obj is None:
            obj = self.model(**key, **values)
            self._save(obj, label)
            for name, target_ids in m2m.items():
                getattr(obj, name).set(target_ids)
            self.rows[self._key_of(obj)] = obj
            self.summary.count(self.model, "created")
            return obj

        changed = {name: value for name, value in values.items() if getattr(obj, name) != value}
        changed_m2m = {name: ids for name, ids in m2m.items() if self._current_m2m(name).get(obj.pk, set()) != set(ids)}
        if not changed and not changed_m2m:
            self.summary.count(self.model, "unchanged")
            return obj
        if self.latest_reason.get(obj.pk) != LOADER_CHANGE_REASON:
            self.summary.count(self.model, "kept")
            self.summary.kept.append(label)
            return obj
        for name, value in changed.items():
            setattr(obj, name, value)
        if changed:
            self._save(obj, label)
        obj._change_reason = LOADER_CHANGE_REASON
        for name, target_ids in changed_m2m.items():
            getattr(obj, name).set(target_ids)
        self.summary.count(self.model, "updated")
        return obj

    def _save(self, obj: models.Model, label: str) -> None:
        try:
            obj.full_clean()
        except ValidationError as exc:
            raise CatalogError(f"{label}: {exc.message_dict}") from exc
        obj._change_reason = LOADER_CHANGE_REASON
        obj.save()


def _latest_history_reasons(model: type[models.Model]) -> dict[int, str | None]:
    """The change reason of each row's most recent history record."""
    history = model.history.model.objects.order_by("id", "history_date", "history_id")
    return dict(history.values_list("id", "history_change_reason"))


def _python_value(model: type[models.Model], name: str, value: Any) -> Any:
    """The value as the model holds it after a load from the database, so comparisons are exact."""
    model_field = model._meta.get_field(name.removesuffix("_id"))
    if isinstance(model_field, models.ForeignKey):
        return value
    if value is None:
        return "" if isinstance(model_field, (models.CharField, models.TextField)) and not model_field.null else None
    if isinstance(model_field, (models.CharField, models.TextField)):
        return str(value).strip()
    if isinstance(model_field, models.DateField) and isinstance(value, datetime.date):
        return value
    return model_field.to_python(value)


def _lookup(mapping: dict, key: Any, what: str, where: str) -> Any:
    try:
        return mapping[key]
    except KeyError:
        raise CatalogError(f"{where}: unknown {what} {key!r}") from None


def _require(row: dict, keys: tuple[str, ...], where: str) -> None:
    missing = [key for key in keys if key not in row]
    if missing:
        raise CatalogError(f"{where}: missing {', '.join(missing)}")


@transaction.atomic
def catalog_load(*, directory: Path = CATALOG_DIR) -> LoadSummary:
    """Load the catalog in one transaction; a CatalogError rolls everything back."""
    load = _CatalogLoad(catalog_read(directory=directory))
    for step in (
        load.sources,
        load.geographies,
        load.sectors,
        load.tasks,
        load.commitments,
        load.indicators,
        load.commitment_links,
        load.targets,
        load.policy_clauses,
    ):
        step()
    if load.summary.writes:
        site_generation_bump()
    return load.summary


_INDICATOR_FIELDS = (
    "name_en",
    "name_zh",
    "definition",
    "unit",
    "frequency",
    "aggregation",
    "kind",
    "direction",
    "arrival",
    "release_lag_days",
)
_TARGET_FIELDS = ("value", "document_title", "document_issuer", "document_date", "clause_quote")
_CLAUSE_FIELDS = ("document_title", "document_issuer", "document_date", "clause_quote", "bearing")


class _CatalogLoad:
    """One load: each table in dependency order, each keeping the rows later tables look up by their key."""

    def __init__(self, catalog: dict[str, list[dict[str, Any]]]):
        self.catalog = catalog
        self.summary = LoadSummary()
        self.source_by_key: dict = {}
        self.geography_by_code: dict = {}
        self.sector_by_slug: dict = {}
        self.task_by_number: dict = {}
        self.indicator_by_code: dict = {}
        self.links: list = []

    def _sync(self, model, key_fields: tuple[str, ...]) -> _ModelSync:
        return _ModelSync(model, key_fields, self.summary)

    def sources(self) -> None:
        sources = self._sync(Source, ("key",))
        for row in self.catalog["sources"]:
            _require(row, ("key", "publisher", "name", "url"), f"source {row.get('key')}")
            values = {
                name: row.get(name, "") for name in ("publisher", "name", "name_zh", "url", "attribution", "connector")
            }
            values["licence"] = row.get("licence") or "unverified"
            self.source_by_key[row["key"]] = sources.sync({"key": row["key"]}, values)

    def geographies(self) -> None:
        geographies = self._sync(Geography, ("code",))
        for row in self.catalog["geographies"]:
            _require(row, ("code", "name_en", "name_zh", "kind"), f"geography {row.get('code')}")
            values = {name: row.get(name, "") for name in ("iso3", "name_en", "name_zh", "kind")}
            values["position"] = row.get("position", 100)
            self.geography_by_code[row["code"]] = geographies.sync({"code": row["code"]}, values)

    def sectors(self) -> None:
        sectors = self._sync(Sector, ("slug",))
        for row in self.catalog["sectors"]:
            _require(row, ("slug", "name_en", "name_zh"), f"sector {row.get('slug')}")
            values = {
                "name_en": row["name_en"],
                "name_zh": row["name_zh"],
                "is_aggregate": row.get("is_aggregate", False),
            }
            self.sector_by_slug[row["slug"]] = sectors.sync({"slug": row["slug"]}, values)

    def tasks(self) -> None:
        tasks = self._sync(Task, ("number",))
        fields = ("slug", "title_en", "title_zh", "summary_en", "summary_zh", "article_text")
        for row in self.catalog["tasks"]:
            _require(row, ("number", *fields), f"task {row.get('number')}")
            self.task_by_number[row["number"]] = tasks.sync(
                {"number": row["number"]}, {name: row[name] for name in fields}
            )

    def _sector_ids(self, row: dict, where: str) -> set[int]:
        return {_lookup(self.sector_by_slug, slug, "sector", where).pk for slug in row.get("sectors", [])}

    def commitments(self) -> None:
        commitments = self._sync(Commitment, ("code",))
        for row in self.catalog["commitments"]:
            where = f"commitment {row.get('code')}"
            _require(row, ("code", "title_en", "title_zh", "quote", "kind"), where)
            task_number, _, position = str(row["code"]).partition(".")
            if not (task_number.isdigit() and position.isdigit()):
                raise CatalogError(f"{where}: the code must read <task>.<position>, like 1.2")
            values = {
                "task_id": _lookup(self.task_by_number, int(task_number), "task", where).pk,
                "position": int(position),
                "title_en": row["title_en"],
                "title_zh": row["title_zh"],
                "article_quote": " ".join(str(row["quote"]).split()),
                "kind": row["kind"],
                "evidence_needed": " ".join(str(row.get("evidence", "")).split()),
            }
            commitment = commitments.sync({"code": str(row["code"])}, values, {"sectors": self._sector_ids(row, where)})
            self.links.extend((commitment, link, where) for link in row.get("indicators", []))

    def _unit_labels(self) -> dict[str, tuple[str, str]]:
        labels = {}
        for row in self.catalog["units"]:
            _require(row, ("unit", "en", "zh"), f"unit {row.get('unit')!r}")
            labels[str(row["unit"])] = (str(row["en"]), str(row["zh"]))
        return labels

    def indicators(self) -> None:
        indicators = self._sync(Indicator, ("code",))
        unit_labels = self._unit_labels()
        for row in self.catalog["indicators"]:
            where = f"indicator {row.get('code')}"
            _require(row, ("code", "source", *_INDICATOR_FIELDS), where)
            values = {name: row[name] for name in _INDICATOR_FIELDS}
            unit_en, unit_zh = _lookup(unit_labels, str(row["unit"]), "unit (add it to units.yaml)", where)
            values.update({"unit_en": unit_en, "unit_zh": unit_zh, **self._indicator_values(row, where)})
            m2m = {
                "sectors": self._sector_ids(row, where),
                "geographies": {
                    _lookup(self.geography_by_code, code, "geography", where).pk for code in row.get("geographies", [])
                },
            }
            self.indicator_by_code[row["code"]] = indicators.sync({"code": row["code"]}, values, m2m)

    def _indicator_values(self, row: dict, where: str) -> dict[str, Any]:
        headline = row.get("headline_for")
        return {
            "definition_zh": " ".join(str(row.get("definition_zh", "")).split()),
            "scale": row.get("scale", 0),
            "decimals": row.get("decimals", 1),
            "plausible_min": row.get("plausible_min"),
            "plausible_max": row.get("plausible_max"),
            "neutral_value": row.get("neutral_value"),
            "source_id": _lookup(self.source_by_key, row["source"], "source", where).pk,
            "source_series_code": row.get("series_code", ""),
            "publication": " ".join(str(row.get("publication", "")).split()),
            "headline_for_id": _lookup(self.task_by_number, headline, "task", where).pk if headline else None,
        }

    def commitment_links(self) -> None:
        commitment_links = self._sync(CommitmentIndicator, ("commitment_id", "indicator_id"))
        for commitment, link, where in self.links:
            _require(link, ("code", "reason"), f"{where} indicator link")
            indicator = _lookup(self.indicator_by_code, link["code"], "indicator", where)
            commitment_links.sync(
                {"commitment_id": commitment.pk, "indicator_id": indicator.pk}, {"reason": link["reason"]}
            )

    def targets(self) -> None:
        targets = self._sync(Target, ("indicator_id", "geography_id", "kind", "target_year"))
        for row in self.catalog["targets"]:
            where = f"target {row.get('indicator')} {row.get('target_year')}"
            _require(row, ("indicator", "geography", "kind", "target_year", *_TARGET_FIELDS), where)
            key = {
                "indicator_id": _lookup(self.indicator_by_code, row["indicator"], "indicator", where).pk,
                "geography_id": _lookup(self.geography_by_code, row["geography"], "geography", where).pk,
                "kind": row["kind"],
                "target_year": row["target_year"],
            }
            values = {name: row[name] for name in _TARGET_FIELDS}
            values.update(
                {
                    "value_high": row.get("value_high"),
                    "base_year": row.get("base_year"),
                    "qualifier": row.get("qualifier", Target.Qualifier.EXACT),
                    **{name: " ".join(str(row.get(name, "")).split()) for name in _DOCUMENT_NOTES},
                    "period_note": row.get("period_note", ""),
                }
            )
            targets.sync(key, values)

    def policy_clauses(self) -> None:
        clauses = self._sync(PolicyClause, ("code",))
        for row in self.catalog["policy_clauses"]:
            where = f"policy clause {row.get('code')}"
            _require(row, ("code", "indicator", *_CLAUSE_FIELDS), where)
            values = {name: row[name] for name in _CLAUSE_FIELDS}
            values["indicator_id"] = _lookup(self.indicator_by_code, row["indicator"], "indicator", where).pk
            values.update({name: " ".join(str(row.get(name, "")).split()) for name in _DOCUMENT_NOTES})
            clauses.sync({"code": str(row["code"])}, values)


_DOCUMENT_NOTES = ("document_url", "clause_gloss_en", "where_read")
