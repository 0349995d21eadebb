"""Issue 12 item 11 in the workspace: stored markup, evidence links checked by the model, query strings, SQLite."""

import contextlib
import sqlite3
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.urls import reverse

from indicators.models import Observation
from indicators.services import observations as observation_service
from indicators.services.observations import ObservationConflict, observation_record
from tasks.models import Assessment
from tests.factories import AssessmentFactory, CommitmentFactory, TaskFactory

pytestmark = pytest.mark.django_db
UNIT_MARKUP = '<img src=x onerror="alert(1)">'


def test_the_unit_is_escaped_in_the_value_help_text(client, analyst, entered_indicator):
    entered_indicator.unit = UNIT_MARKUP
    entered_indicator.save()
    client.force_login(analyst)

    body = client.get(reverse("entry:indicator", args=[entered_indicator.code])).content.decode()

    assert UNIT_MARKUP not in body
    assert "Plausible range: 0 to 100000 &lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in body


@pytest.mark.parametrize(
    "links, reason",
    [
        (["javascript:alert(1)"], "http:// or https://"),
        (["data:text/html,<script>alert(1)</script>"], "http:// or https://"),
        (123, "JSON list"),
        ({"url": "https://www.gov.cn/"}, "JSON list"),
        ([123], "JSON list"),
    ],
    ids=["javascript", "data", "number", "object", "list-of-numbers"],
)
def test_the_assessment_model_refuses_evidence_links_that_are_not_http_urls(links, reason):
    assessment = AssessmentFactory.build(commitment=CommitmentFactory(), evidence_links=links)

    with pytest.raises(ValidationError, match=reason):
        assessment.full_clean()


def test_an_admin_entering_a_non_list_of_links_gets_a_form_error_and_the_task_page_still_renders(client, admin_user):
    commitment = CommitmentFactory(task=TaskFactory(number=1))
    client.force_login(admin_user)
    form = {
        "commitment": commitment.pk,
        "status": "on_track",
        "note": "Checked against the ministry's list.",
        "evidence_links": "123",
        "assessed_on": "2026-01-05",
    }

    response = client.post(reverse("admin:tasks_assessment_add"), form)

    assert response.status_code == 200
    assert "JSON list of http(s) URLs" in response.content.decode()
    assert not Assessment.objects.exists()
    assert client.get(reverse("dashboard:detail", args=[1])).status_code == 200


@pytest.mark.parametrize("value", ["\u00b2", "\u2460", "1\x00", "99999999999999999999999", "-1", "1e3"])
def test_a_malformed_observation_in_the_query_string_is_ignored(client, analyst, entered_observation, value):
    client.force_login(analyst)
    url = reverse("entry:indicator", args=[entered_observation.indicator.code])

    response = client.get(url, {"observation": value})

    assert response.status_code == 200
    assert response.context["form"].initial.get("expected_version") is None


def _on_a_sqlite_file(path, work) -> tuple[threading.Thread, dict]:
    """Run `work` in a thread whose default connection opens `path` with the production settings' options."""
    outcome: dict = {}

    def run():
        connections["default"] = DatabaseWrapper({**connection.settings_dict, "NAME": str(path)}, "default")
        try:
            outcome["result"] = work()
        except Exception as exc:  # the test reads what each editor got
            outcome["error"] = exc
        finally:
            connections["default"].close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the embedded default's own locking")
@pytest.mark.django_db(transaction=True)  # committed, so the file copy holds the figure; the flush after it re-runs
# post_migrate, which recreates the roles (a serialized rollback would insert them a second time after another
# transactional test)
def test_two_analysts_saving_one_figure_at_once_on_sqlite_get_the_conflict_message(
    tmp_path, monkeypatch, analyst, entered_observation
):
    """Both editors loaded version 1; the one that waits must see version 2, never "database is locked"."""
    database = tmp_path / "tracker.sqlite3"
    with sqlite3.connect(database) as copy:
        connection.connection.backup(copy)  # the test database, schema and figure included
    both_read = threading.Barrier(2)
    revision_of = observation_service.ObservationRevision.of

    def after_reading(*args, **kwargs):
        # With deferred transactions both editors get here holding a read lock; with immediate ones the other
        # editor is still waiting to begin, and the barrier gives up.
        with contextlib.suppress(threading.BrokenBarrierError):
            both_read.wait(timeout=1)
        return revision_of(*args, **kwargs)

    monkeypatch.setattr(observation_service.ObservationRevision, "of", after_reading)
    observation = entered_observation

    def save(value: str):
        return lambda: observation_record(
            indicator=observation.indicator,
            geography=observation.geography,
            period=observation.period,
            value=Decimal(value),
            citation="https://example.org/list-2022",
            user=analyst,
            expected_version=1,
        )

    editors = [_on_a_sqlite_file(database, save(value)) for value in ("1300", "1400")]
    for thread, _ in editors:
        thread.join(timeout=30)

    errors = [outcome.get("error") for _, outcome in editors]
    assert sum(error is None for error in errors) == 1, errors
    conflict = next(error for error in errors if error is not None)
    assert isinstance(conflict, ObservationConflict), conflict
    assert "Someone saved a newer value while you were editing" in str(conflict)
    assert Observation.objects.count() == 1
