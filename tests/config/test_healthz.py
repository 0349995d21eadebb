import pytest
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import OperationalError

from config import views


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "migrations": "ok"}}
    assert "no-cache" in response.headers["Cache-Control"]


@pytest.mark.django_db
def test_healthz_names_the_database_when_it_fails_without_exception_text(client, monkeypatch, settings):
    settings.REDIS_URL = ""

    def refuse(*args, **kwargs):
        raise OperationalError("connection to server at 10.0.0.5 failed: password authentication failed")

    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {"database": "failed", "migrations": "failed"}}
    assert b"password" not in response.content and b"10.0.0.5" not in response.content


@pytest.mark.django_db
def test_healthz_checks_redis_where_configured_and_names_it_when_unreachable(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "migrations": "ok", "redis": "failed"}


@pytest.mark.integration
@pytest.mark.django_db
def test_healthz_reports_redis_ok_on_the_full_stack(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "migrations": "ok", "redis": "ok"}


@pytest.mark.django_db
def test_healthz_fails_while_a_migration_is_unapplied(client, settings, monkeypatch):
    settings.REDIS_URL = ""
    monkeypatch.setattr(views, "_migrated", False)
    unapplied = ("tasks", "0002_assessment_evidence_links_validator")
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [(unapplied, False)])

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {"database": "ok", "migrations": "failed"}}


@pytest.mark.django_db
def test_healthz_answers_head_as_it_answers_get(client, settings):
    settings.REDIS_URL = ""
    response = client.head("/healthz")
    assert response.status_code == 200
