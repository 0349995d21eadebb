"""Issue 12 item 11: oversize bodies refused unread, HEAD wherever GET, static files under the CSP."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.conftest import analyst  # noqa: F401 (a fixture)
from tests.factories import IndicatorFactory, SectorFactory, TaskFactory

pytestmark = pytest.mark.django_db


class UnreadableBody:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def post_declaring(client, path: str, length: int):
    return client.post(
        path,
        CONTENT_LENGTH=str(length),
        CONTENT_TYPE="multipart/form-data; boundary=x",
        **{"wsgi.input": UnreadableBody()},
    )


@pytest.mark.parametrize(
    "path", ["/accounts/login/", "/entry/indicators/test-entered-count/upload/"], ids=["sign-in", "upload"]
)
def test_a_body_over_the_limit_is_refused_with_413_before_it_is_read(client, settings, path):
    response = post_declaring(client, path, settings.REQUEST_BODY_MAX_BYTES + 1)

    assert response.status_code == 413
    assert "refused before it was read" in response.content.decode()
    assert "Content-Security-Policy" in response.headers


def test_a_content_length_in_other_digits_is_a_400_not_a_500(client):
    response = client.post("/accounts/login/", CONTENT_LENGTH="\u00b2", **{"wsgi.input": UnreadableBody()})
    assert response.status_code == 400


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/tasks/1/",
        "/sectors/",
        "/sectors/steel/",
        "/accounts/login/",
        "/healthz",
        "/indicators/",
        "/indicators/head-check/",
        "/indicators/head-check/data.csv",
        "/sources/",
        "/method/",
        "/changes/",
    ],
)
def test_head_is_answered_wherever_get_is(client, settings, path):
    settings.REDIS_URL = ""
    TaskFactory(number=1)
    SectorFactory(slug="steel")
    IndicatorFactory(code="head-check")

    response = client.head(path)

    assert response.status_code == 200, path
    assert response.content == b""


def test_head_is_answered_on_the_analyst_workspace(client, analyst):  # noqa: F811
    client.force_login(analyst)
    assert client.head(reverse("entry:workspace")).status_code == 200


def test_static_files_carry_the_content_security_policy(settings):
    settings.WHITENOISE_USE_FINDERS = True  # serve from static/ as a collected tree would be served
    response = Client().get("/static/css/app.css")  # a new client builds its middleware with these settings

    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "object-src 'none'" in policy
