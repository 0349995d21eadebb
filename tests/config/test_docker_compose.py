"""No Docker engine runs on our machines, so the compose file's shape is checked instead of run."""

from pathlib import Path

import yaml

BASE_DIR = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())


def test_compose_runs_postgres_redis_web_worker_and_beat():
    assert set(COMPOSE["services"]) == {"db", "redis", "web", "worker", "beat"}
    assert COMPOSE["services"]["db"]["image"].startswith("postgres:")
    assert COMPOSE["services"]["redis"]["image"].startswith("redis:")


def test_every_service_has_a_health_check():
    for name, service in COMPOSE["services"].items():
        assert service.get("healthcheck", {}).get("test"), f"{name} has no health check"


def test_web_is_served_by_gunicorn_and_checked_on_healthz():
    web = COMPOSE["services"]["web"]
    assert "gunicorn config.wsgi:application" in web["command"]
    assert "/healthz" in " ".join(web["healthcheck"]["test"])


def test_worker_and_beat_run_celery_with_the_database_scheduler():
    assert COMPOSE["services"]["worker"]["command"][:4] == ["celery", "-A", "config", "worker"]
    beat = COMPOSE["services"]["beat"]["command"]
    assert beat[:4] == ["celery", "-A", "config", "beat"]
    assert "django_celery_beat.schedulers:DatabaseScheduler" in beat


def test_data_lives_in_named_volumes():
    assert set(COMPOSE["volumes"]) == {"pgdata", "redisdata"}
    assert "pgdata:/var/lib/postgresql/data" in COMPOSE["services"]["db"]["volumes"]
    assert "redisdata:/data" in COMPOSE["services"]["redis"]["volumes"]


def test_app_services_wait_for_healthy_db_and_redis_and_read_settings_from_the_environment():
    for name in ("web", "worker", "beat"):
        service = COMPOSE["services"][name]
        assert service["depends_on"] == {
            "db": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
        }
        env = service["environment"]
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["REDIS_URL"].startswith("redis://")
        assert env["SECRET_KEY"].startswith("${SECRET_KEY:?")  # compose refuses to start without one
        assert env["DEBUG"] == "0"


def test_the_dockerfile_installs_from_the_lock_file_and_checks_health():
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    assert "requirements.lock" in dockerfile and "--require-hashes" in dockerfile
    assert "HEALTHCHECK" in dockerfile and "/healthz" in dockerfile
