import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.accounts.conftest import PASSWORD

BASE_DIR = Path(__file__).resolve().parents[2]
ADDRESS_A, ADDRESS_B = "192.0.2.10", "198.51.100.20"


def sign_in(client, username, password, address):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.mark.django_db
def test_the_sign_in_page_is_at_accounts_login(client):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    assert 'name="username"' in response.content.decode() and 'name="password"' in response.content.decode()


@pytest.mark.django_db
def test_an_analyst_signs_in_and_is_sent_where_they_were_going(client, analyst):
    response = sign_in(client, "analyst", PASSWORD, ADDRESS_A)
    assert response.status_code == 302

    response = client.post(
        reverse("login") + "?next=/entry/",
        {"username": "analyst", "password": PASSWORD, "next": "/entry/"},
        REMOTE_ADDR=ADDRESS_A,
    )
    assert response["Location"] == "/entry/"


@pytest.mark.django_db
def test_a_wrong_password_is_refused_with_a_message(client, analyst):
    response = sign_in(client, "analyst", "wrong", ADDRESS_A)

    assert response.status_code == 200
    assert "enter a correct username and password" in response.content.decode()


@pytest.mark.django_db
def test_failures_lock_that_username_from_that_address_only(client, analyst, reader):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "analyst", "wrong", ADDRESS_A)

    locked = sign_in(client, "analyst", PASSWORD, ADDRESS_A)
    assert locked.status_code == 429
    assert "locked" in locked.content.decode().lower()
    assert "_auth_user_id" not in client.session

    from_elsewhere = sign_in(client, "analyst", PASSWORD, ADDRESS_B)
    assert from_elsewhere.status_code == 302
    client.logout()

    other_user_same_address = sign_in(client, "reader", PASSWORD, ADDRESS_A)
    assert other_user_same_address.status_code == 302


@pytest.mark.django_db
def test_four_failures_do_not_lock(client, analyst):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "analyst", "wrong", ADDRESS_A)

    assert sign_in(client, "analyst", PASSWORD, ADDRESS_A).status_code == 302


@pytest.mark.django_db
def test_signing_out_is_a_post_and_a_get_is_refused(client, analyst):
    client.force_login(analyst)

    assert client.get(reverse("logout")).status_code == 405
    assert "_auth_user_id" in client.session

    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_check_deploy_is_clean_with_sign_in_and_the_workspace_installed():
    """Production settings (DEBUG off, a real key): secure cookies, HSTS, SSL redirect; no warning at all."""
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in ("DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")
        },
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DEBUG": "0",
        "SECRET_KEY": "a9!Qz#4mW2$kL7^pX8&rT1*vB6(nH3)jF0-yU5+cE2=sD9~gM4",
        "ALLOWED_HOSTS": "tracker.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.django_db
def test_the_lockout_page_is_the_sites_layout_with_the_time_to_wait(client, analyst, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "analyst", "wrong", ADDRESS_A)

    locked = sign_in(client, "analyst", PASSWORD, ADDRESS_A)

    body = locked.content.decode()
    assert locked.status_code == 429
    assert "<html" in body and '<header class="site-header">' in body
    assert "Sign-in paused" in body
    assert "after 5 wrong passwords. Try again in 60 minutes, at" in body
