"""What changed: the Atom and RSS feeds and the /changes/ page, for the site, a task and an indicator."""

from decimal import Decimal

import pytest
from defusedxml import ElementTree as ET

from indicators.ingestion import service
from tests.dashboard.conftest import build_dataset
from tests.factories import AssessmentFactory, TargetFactory
from tests.ingestion.conftest import china, replay, usa, worldbank_rd  # noqa: F401 - fixtures
from tests.ingestion.replay import Reply
from tests.ingestion.test_worldbank import SERIES, built, serve

ATOM = "{http://www.w3.org/2005/Atom}"


def _atom_entries(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return [
        {
            "id": entry.findtext(f"{ATOM}id"),
            "title": entry.findtext(f"{ATOM}title"),
            "updated": entry.findtext(f"{ATOM}updated"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "kind": entry.find(f"{ATOM}category").get("term"),
        }
        for entry in root.findall(f"{ATOM}entry")
    ]


@pytest.mark.django_db
def test_the_atom_feed_lists_a_revision_made_by_a_refresh(client, replay, worldbank_rd, china):  # noqa: F811
    worldbank_rd.geographies.set([china])
    older = built(SERIES, ("CHN",), 1000, 1, origin="wdi-v2025-extract")
    newer = built(SERIES, ("CHN",), 1000, 1)
    serve(replay, Reply(body=older), Reply(body=newer), countries=("CHN",))
    service.refresh_indicator(indicator_id=worldbank_rd.pk, trigger="test")
    service.refresh_indicator(indicator_id=worldbank_rd.pk, trigger="test")

    entries = _atom_entries(client, "/feeds/changes/")

    revisions = [entry for entry in entries if entry["kind"] == "revision"]
    assert any(", China 2021: 2.4326 → 2.38165" in entry["title"] for entry in revisions)
    assert all(entry["link"].endswith("/indicators/rd-expenditure/") for entry in revisions)
    assert len({entry["id"] for entry in entries}) == len(entries)
    figures = [entry for entry in entries if entry["kind"] == "figures"]
    assert [entry["title"] for entry in figures][-1].endswith(": 20 new figure(s)")


@pytest.fixture
def dataset(db):
    return build_dataset(scale=1)


def test_the_feed_lists_new_assessments_and_targets(client, dataset):
    commitment = dataset.commitments[0]
    AssessmentFactory(commitment=commitment, note="A fresh look at the evidence.")
    TargetFactory(indicator=dataset.indicators[0], target_year=2035, value=Decimal("55"))
    kinds = [entry["kind"] for entry in _atom_entries(client, "/feeds/changes/")]
    assert {"assessment", "target", "revision", "figures"} <= set(kinds)


def test_an_indicators_feed_holds_only_its_changes(client, dataset):
    entries = _atom_entries(client, "/feeds/changes/indicators/ind-2-1/")
    assert entries
    assert {entry["link"].rsplit("/indicators/", 1)[-1] for entry in entries if entry["kind"] != "assessment"} == {
        "ind-2-1/"
    }


def test_a_tasks_feed_holds_only_its_changes(client, dataset):
    links = {entry["link"] for entry in _atom_entries(client, "/feeds/changes/tasks/3/")}
    assert links
    assert all("/indicators/ind-3-" in link or "/tasks/3/" in link for link in links)


def test_the_rss_feed_holds_the_same_changes(client, dataset):
    response = client.get("/feeds/changes/rss/")
    assert response["Content-Type"].startswith("application/rss+xml")
    items = ET.fromstring(response.content).findall("./channel/item")
    assert len(items) == len(_atom_entries(client, "/feeds/changes/"))


def test_the_feed_of_an_unknown_task_or_indicator_is_not_found(client, dataset):
    assert client.get("/feeds/changes/tasks/9/").status_code == 404
    assert client.get("/feeds/changes/indicators/nope/").status_code == 404


def test_the_changes_page_filters_by_kind(client, dataset):
    html = client.get("/changes/?kind=revision").content.decode()
    assert "change-revision" in html
    assert "change-figures" not in html
    assert "change-assessment" not in html


@pytest.mark.parametrize("query", ["?kind=%00", "?task=%C2%B2", "?indicator=%00"])
def test_the_changes_page_ignores_a_bad_filter(client, dataset, query):
    assert client.get(f"/changes/{query}").status_code == 200


def test_the_changes_page_runs_the_same_queries_at_any_size(client, db, django_assert_num_queries):
    build_dataset(scale=2)
    # One query per kind of change (runs, entered figures, revisions, assessments, targets) and one for the
    # monthly and quarterly indicators whose warnings are read (none here: two more queries when there are).
    with django_assert_num_queries(6):
        client.get("/changes/")


def test_the_home_page_links_the_changes_and_their_feed(client, dataset):
    html = client.get("/").content.decode()
    assert 'href="/changes/"' in html
    assert 'href="/feeds/changes/"' in html


def test_a_revision_reads_old_then_new(client, dataset):
    titles = [entry["title"] for entry in _atom_entries(client, "/feeds/changes/") if entry["kind"] == "revision"]
    assert "Indicator ind-1-1, China 2022: 1 → 30" in titles
