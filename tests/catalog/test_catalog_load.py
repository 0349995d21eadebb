"""catalog_load(): loads the catalog, writes nothing the second time, and keeps what admins edited."""

import re
from decimal import Decimal

import pytest
import yaml
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.services.loader import LOADER_CHANGE_REASON, CatalogError, catalog_load
from indicators.models import CommitmentIndicator, Geography, Indicator, Source, Target
from tasks.models import Assessment, Commitment, Sector, Task
from tests.factories import UserFactory

CATALOG_MODELS = [Source, Geography, Sector, Task, Commitment, Indicator, CommitmentIndicator, Target]


def _history_counts():
    counts = {model.__name__: model.history.count() for model in CATALOG_MODELS}
    counts["Commitment.sectors"] = Commitment.history.model.sectors.model.objects.count()
    return counts


def _edit_yaml(directory, name, change):
    path = directory / f"{name}.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(document[name])
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_load_creates_every_catalog_row(loaded_catalog, catalog):
    assert Task.objects.count() == 7
    assert Commitment.objects.count() == len(catalog["commitments"])
    assert Indicator.objects.count() == len(catalog["indicators"])
    assert Sector.objects.count() == len(catalog["sectors"])
    assert CommitmentIndicator.objects.count() == sum(len(row.get("indicators", [])) for row in catalog["commitments"])
    assert Geography.objects.order_by("position").first().code == "CHN"
    assert loaded_catalog.writes == sum(c["created"] for c in loaded_catalog.counts.values())


def test_every_loaded_measured_commitment_links_an_indicator(loaded_catalog):
    unlinked = Commitment.objects.filter(kind=Commitment.Kind.MEASURED, indicator_links__isnull=True)
    assert list(unlinked.values_list("code", flat=True)) == []


def test_loaded_rows_carry_the_loaders_change_reason(loaded_catalog):
    reasons = set(Indicator.history.values_list("history_change_reason", flat=True))
    reasons |= set(Commitment.history.values_list("history_change_reason", flat=True))
    assert reasons == {LOADER_CHANGE_REASON}


def test_catalog_seeds_no_assessments(loaded_catalog):
    assert Assessment.objects.count() == 0


def test_second_run_writes_nothing(loaded_catalog):
    history_before = _history_counts()
    with CaptureQueriesContext(connection) as queries:
        summary = catalog_load()
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []
    assert summary.writes == 0
    assert _history_counts() == history_before


def test_row_an_admin_edited_is_kept_as_the_admin_made_it(loaded_catalog):
    admin = UserFactory(username="admin-editor")
    indicator = Indicator.objects.get(code="wb-manufacturing-value-added-share")
    indicator.name_en = "Manufacturing share of GDP (edited by an admin)"
    indicator._history_user = admin
    indicator.save()
    commitment = Commitment.objects.get(code="1.1")
    commitment.sectors.set([Sector.objects.get(slug="manufacturing")])
    history_before = _history_counts()

    summary = catalog_load()

    indicator.refresh_from_db()
    assert indicator.name_en == "Manufacturing share of GDP (edited by an admin)"
    assert set(commitment.sectors.values_list("slug", flat=True)) == {"manufacturing"}
    assert "Indicator wb-manufacturing-value-added-share" in summary.kept
    assert "Commitment 1.1" in summary.kept
    assert summary.writes == 0
    assert _history_counts() == history_before


def test_catalog_change_updates_a_row_only_the_loader_wrote(db, catalog_copy):
    catalog_load(directory=catalog_copy)

    def rename(indicators):
        next(row for row in indicators if row["code"] == "wb-gdp-growth")["name_en"] = "GDP growth, renamed"

    _edit_yaml(catalog_copy, "indicators", rename)
    summary = catalog_load(directory=catalog_copy)

    assert Indicator.objects.get(code="wb-gdp-growth").name_en == "GDP growth, renamed"
    assert summary.counts["Indicator"]["updated"] == 1
    assert summary.writes == 1
    latest = Indicator.objects.get(code="wb-gdp-growth").history.latest()
    assert latest.history_change_reason == LOADER_CHANGE_REASON


def test_target_loads_once_and_is_not_rewritten(db, catalog_copy):
    def add_target(targets):
        targets.append(
            {
                "indicator": "little-giant-enterprises",
                "geography": "CHN",
                "kind": "level",
                "value": 1,
                "target_year": 2025,
                "document_title": "Test document for the loader",
                "document_issuer": "Test issuer",
                "document_date": "2021-12-17",
                "document_url": "https://example.org/test-document",
                "clause_quote": "Test clause for the loader.",
            }
        )

    _edit_yaml(catalog_copy, "targets", add_target)
    catalog_load(directory=catalog_copy)
    second = catalog_load(directory=catalog_copy)

    target = Target.objects.get(indicator__code="little-giant-enterprises")
    assert (target.value, target.target_year) == (Decimal(1), 2025)
    assert second.writes == 0


def test_unknown_reference_is_reported_and_nothing_is_written(db, catalog_copy):
    def misspell(commitments):
        commitments[-1]["sectors"] = ["no-such-sector"]

    _edit_yaml(catalog_copy, "commitments", misspell)
    with pytest.raises(CatalogError, match=re.escape("commitment 7.9: unknown sector 'no-such-sector'")):
        catalog_load(directory=catalog_copy)
    assert Task.objects.count() == 0
    assert Source.objects.count() == 0


def test_row_breaking_a_model_rule_is_reported_by_name(db, catalog_copy):
    def drop_publication(indicators):
        next(row for row in indicators if row["code"] == "5g-base-stations")["publication"] = ""

    _edit_yaml(catalog_copy, "indicators", drop_publication)
    with pytest.raises(CatalogError, match="Indicator 5g-base-stations"):
        catalog_load(directory=catalog_copy)
    assert Indicator.objects.count() == 0


def test_load_catalog_command_prints_what_it_wrote(db, capsys):
    call_command("load_catalog")
    first = capsys.readouterr().out
    call_command("load_catalog")
    second = capsys.readouterr().out
    assert "Commitment" in first and "created  63" not in second
    assert "Catalog loaded: 0 row(s) written." in second


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": "growth"}, "kind"),
        ({"kind": "share", "plausible_max": 1000}, "A share cannot pass 100"),
        ({"kind": "growth_yoy", "unit": "万吨"}, "A growth rate is in percent"),
        ({"kind": "diffusion_index", "neutral_value": None}, "indicator_index_states_neutral_value"),
    ],
    ids=["unknown-kind", "share-over-100", "growth-without-percent", "diffusion-without-neutral-line"],
)
def test_what_a_series_measures_is_checked_when_the_catalog_loads(db, catalog_copy, change, message):
    def edit(indicators):
        next(row for row in indicators if row["code"] == "crude-steel-output").update(change)

    _edit_yaml(catalog_copy, "indicators", edit)
    with pytest.raises(CatalogError, match=f"Indicator crude-steel-output.*{message}"):
        catalog_load(directory=catalog_copy)
    assert Indicator.objects.count() == 0
