"""What changed: the Atom and RSS feeds and the /changes/ page, for the site, a task and an indicator."""

import datetime
import json
from decimal import Decimal

import pytest
from defusedxml import ElementTree as ET

from indicators.ingestion import service
from indicators.models import CommitmentStatusChange
from indicators.services.commitment_statuses import commitment_status_changes_record
from indicators.services.observations import observation_record
from indicators.services.review import observation_approve
from indicators.tasks import refresh_indicator
from tasks.models import ProgressStatus
from tests.dashboard.conftest import build_dataset
from tests.factories import (
    AssessmentFactory,
    CommitmentFactory,
    CommitmentIndicatorFactory,
    TargetFactory,
    UserFactory,
)
from tests.indicators.ingestion.conftest import china, replay, usa, worldbank_rd  # noqa: F401 - fixtures
from tests.indicators.ingestion.replay import Reply
from tests.indicators.ingestion.test_worldbank import SERIES, built, serve
from tests.indicators.test_commitment_statuses import status_jobs_run, status_jobs_sent

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


def _regressing(dataset, *indicators) -> None:
    """A 2024 figure far below the trend for each indicator's China series, entered and approved by two analysts."""
    analyst, reviewer = UserFactory(username="first-analyst"), UserFactory(username="second-analyst")
    for indicator in indicators:
        figure = observation_record(
            indicator=indicator,
            geography=indicator.geographies.get(code="CHN"),
            period=datetime.date(2024, 1, 1),
            value=Decimal("20"),
            citation="https://example.org/yearbook-2025",
            user=analyst,
        ).observation
        observation_approve(observation_id=figure.pk, user=reviewer)


def _status_entries(client, url: str) -> list[dict]:
    response = client.get(url)
    entries = ET.fromstring(response.content).findall(f"{ATOM}entry")
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "summary": entry.findtext(f"{ATOM}summary"),
            "link": entry.find(f"{ATOM}link").get("href"),
        }
        for entry in entries
        if entry.find(f"{ATOM}category").get("term") == "status"
    ]


def test_an_approved_figure_that_moves_a_status_is_one_atom_entry_naming_why(
    client, dataset, django_capture_on_commit_callbacks
):
    commitment_status_changes_record()
    assert _status_entries(client, "/feeds/changes/") == []  # the baseline is not a change

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _regressing(dataset, dataset.indicators[0])
    status_jobs_run(callbacks)

    (entry,) = _status_entries(client, "/feeds/changes/")
    commitment = dataset.commitments[0]
    assert entry["title"] == f"Commitment 1.1 {commitment.title_en}: On track → Regressing"
    assert entry["summary"].startswith(
        "Decided by Indicator ind-1-1 (ind-1-1): Since 2015 the figure moved -1.54% a year (compound)"
    )
    assert entry["link"].endswith("/tasks/1/#commitment-1.1")


def test_the_feed_of_a_task_or_an_indicator_lists_only_its_commitments_status_changes(client, dataset):
    commitment_status_changes_record()
    _regressing(dataset, dataset.indicators[0], dataset.indicators[4])  # ind-1-1 (commitment 1.1), ind-3-1 (3.1)
    commitment_status_changes_record()

    assert len(_status_entries(client, "/feeds/changes/")) == 2
    assert [entry["title"][:15] for entry in _status_entries(client, "/feeds/changes/tasks/3/")] == ["Commitment 3.1 "]
    assert [entry["title"][:15] for entry in _status_entries(client, "/feeds/changes/indicators/ind-1-1/")] == [
        "Commitment 1.1 "
    ]
    assert _status_entries(client, "/feeds/changes/tasks/2/") == []


def test_the_changes_page_filters_status_changes_and_reads_them_in_chinese(client, dataset):
    commitment_status_changes_record()
    _regressing(dataset, dataset.indicators[0])
    commitment_status_changes_record()

    html = client.get("/changes/?kind=status").content.decode()
    assert html.count('class="change change-status"') == 1
    assert "change-assessment" not in html
    assert '<option value="status" selected>Status changes</option>' in html

    client.cookies["django_language"] = "zh-hans"
    html = client.get("/changes/?kind=status").content.decode()
    assert f"承诺 1.1 {dataset.commitments[0].title_zh}：进展顺利 → 倒退" in html
    assert "自2015年以来" in html


@pytest.mark.parametrize("scale", [1, 2])
def test_the_changes_page_reads_status_changes_with_the_assessments_in_one_query(
    client, db, django_assert_num_queries, scale
):
    data = build_dataset(scale=scale)
    commitment_status_changes_record()
    _regressing(data, *data.indicators)
    assert len(commitment_status_changes_record()) == 14 * scale
    AssessmentFactory(commitment=data.commitments[-1], note="Read after the status changes.")
    # As without status changes: they share the assessments' query (a UNION), so the page still runs six.
    with django_assert_num_queries(6):
        html = client.get("/changes/").content.decode()
    assert "change-status" in html and "change-assessment" in html
    with django_assert_num_queries(1):
        client.get("/changes/?kind=status")


def _revised_down(body: bytes, years: set[str], factor: float) -> bytes:
    """The World Bank's reply with China's figures for `years` revised by `factor`."""
    meta, rows = json.loads(body)
    for row in rows:
        if row["date"] in years and row["value"] is not None:
            row["value"] = round(row["value"] * factor, 5)
    return json.dumps([meta, rows]).encode()


def _refresh_job(indicator, capture) -> None:
    """The refresh job, then the status job it sends on commit."""
    with capture(execute=False) as callbacks:
        assert refresh_indicator.apply(args=[indicator.pk]).get() == "success"
    assert status_jobs_sent(callbacks) == 1
    status_jobs_run(callbacks)


def test_a_refresh_job_that_moves_a_status_adds_one_row_and_one_atom_entry(
    client,
    replay,  # noqa: F811
    worldbank_rd,  # noqa: F811
    china,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    worldbank_rd.geographies.set([china])
    commitment = CommitmentFactory(code="3.2", title_en="Raise spending on research")
    CommitmentIndicatorFactory(commitment=commitment, indicator=worldbank_rd)
    published = built(SERIES, ("CHN",), 1000, 1)
    serve(
        replay, Reply(body=published), Reply(body=_revised_down(published, {"2022", "2023"}, 0.5)), countries=("CHN",)
    )

    _refresh_job(worldbank_rd, django_capture_on_commit_callbacks)
    (baseline,) = CommitmentStatusChange.objects.all()
    _refresh_job(worldbank_rd, django_capture_on_commit_callbacks)

    change = CommitmentStatusChange.objects.exclude(pk=baseline.pk).get()
    assert baseline.status_from == ""
    assert (change.status_from, change.status_to) == (baseline.status_to, ProgressStatus.REGRESSING)
    assert change.deciding_indicator == worldbank_rd
    (entry,) = _status_entries(client, "/feeds/changes/")
    assert (
        entry["title"] == f"Commitment 3.2 Raise spending on research: {baseline.get_status_to_display()} → Regressing"
    )
    assert entry["summary"].startswith("Decided by Indicator rd-expenditure (rd-expenditure): ")
