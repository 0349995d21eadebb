"""The settings rules, checked by importing the settings in a fresh process under each environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
PROBE = """
import json, django
from django.conf import settings
django.setup()
from config.celery import app
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "ENGINE": settings.DATABASES["default"]["ENGINE"],
    "NAME": str(settings.DATABASES["default"]["NAME"]),
    "CACHE": settings.CACHES["default"]["BACKEND"],
    "ALWAYS_EAGER": app.conf.task_always_eager,
    "BROKER": app.conf.broker_url,
    "ACKS_LATE": app.conf.task_acks_late,
    "REJECT_ON_WORKER_LOST": app.conf.task_reject_on_worker_lost,
    "PREFETCH": app.conf.worker_prefetch_multiplier,
    "VISIBILITY_TIMEOUT": app.conf.broker_transport_options.get("visibility_timeout"),
    "TIME_LIMIT": app.conf.task_time_limit,
    "SERIALIZER": app.conf.task_serializer,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "HSTS": settings.SECURE_HSTS_SECONDS,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "CSRF_TRUSTED_ORIGINS": settings.CSRF_TRUSTED_ORIGINS,
}))
"""
CLEAN_ENV_KEYS = (
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "CELERY_VISIBILITY_TIMEOUT",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


def _run(env_overrides: dict[str, str], code: str = PROBE) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in CLEAN_ENV_KEYS}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )


def _settings(env_overrides: dict[str, str]) -> dict:
    result = _run(env_overrides)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


PROD = {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "tracker.example.org"}


def test_without_debug_and_without_secret_key_the_process_refuses_to_start_saying_what_to_set():
    result = _run({})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert "Traceback" in result.stderr  # it is ImproperlyConfigured, raised at import


def test_debug_defaults_to_off_with_secure_cookies_and_hsts():
    values = _settings(PROD)
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["HSTS"] >= 31536000


def test_debug_without_a_secret_key_uses_a_key_generated_once_into_var(tmp_path):
    values = _settings({"DEBUG": "1"})
    assert values["DEBUG"] is True
    assert (BASE_DIR / "var" / "dev-secret-key").read_text().strip()


def test_unset_database_url_means_a_sqlite_file_under_var():
    values = _settings(PROD)
    assert values["ENGINE"] == "django.db.backends.sqlite3"
    assert values["NAME"] == str(BASE_DIR / "var" / "tracker.sqlite3")


def test_a_sqlite_url_names_the_file(tmp_path):
    values = _settings({**PROD, "DATABASE_URL": f"sqlite:///{tmp_path}/other.sqlite3"})
    assert values["NAME"] == f"{tmp_path}/other.sqlite3"


def test_a_postgres_url_selects_postgresql():
    values = _settings({**PROD, "DATABASE_URL": "postgres://tracker@db.example:5432/tracker"})
    assert values["ENGINE"] == "django.db.backends.postgresql"
    assert values["NAME"] == "tracker"


def test_unset_redis_url_runs_jobs_eagerly_with_a_cache_every_local_process_shares():
    values = _settings(PROD)
    assert values["ALWAYS_EAGER"] is True
    assert values["CACHE"] == "django.core.cache.backends.filebased.FileBasedCache"


def test_a_redis_url_is_the_broker_and_the_cache_with_late_acks():
    values = _settings({**PROD, "REDIS_URL": "redis://127.0.0.1:6379/3"})
    assert values["ALWAYS_EAGER"] is False
    assert values["BROKER"] == "redis://127.0.0.1:6379/3"
    assert values["CACHE"] == "config.cache.ResilientRedisCache"
    assert values["ACKS_LATE"] is True
    assert values["REJECT_ON_WORKER_LOST"] is True
    assert values["PREFETCH"] == 1
    assert values["SERIALIZER"] == "json"


def test_the_visibility_timeout_comes_from_the_environment_and_outlasts_the_hard_limit():
    values = _settings({**PROD, "REDIS_URL": "redis://127.0.0.1:6379/3", "CELERY_VISIBILITY_TIMEOUT": "900"})
    assert values["VISIBILITY_TIMEOUT"] == 900
    assert _settings(PROD)["VISIBILITY_TIMEOUT"] > _settings(PROD)["TIME_LIMIT"]


def test_hosts_and_trusted_origins_are_read_as_lists():
    values = _settings({**PROD, "ALLOWED_HOSTS": "a.example,b.example", "CSRF_TRUSTED_ORIGINS": "https://a.example"})
    assert values["ALLOWED_HOSTS"] == ["a.example", "b.example"]
    assert values["CSRF_TRUSTED_ORIGINS"] == ["https://a.example"]


@pytest.mark.parametrize("database_url", ["", "postgres://tracker@db.example:5432/tracker"])
def test_check_deploy_is_clean_under_production_settings(database_url):
    env = {
        **PROD,
        "SECRET_KEY": "k7#Vq2!pL9@xR4$mN8^wT1&zY6*bH3(cJ5)fG0-sD2+aQ-u8%eW3~nB6",
        "DATABASE_URL": database_url,
    }
    if not database_url:
        env.pop("DATABASE_URL")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env={
            **{k: v for k, v in os.environ.items() if k not in CLEAN_ENV_KEYS},
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
