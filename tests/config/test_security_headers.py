import pytest
from django.urls import reverse

from tests.factories import TaskFactory


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/healthz", "/accounts/login/", "/admin/login/", "/no-such-page/"])
def test_every_response_carries_a_content_security_policy_without_inline_scripts(client, path):
    TaskFactory(number=1)
    response = client.get(path)
    policy = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in directives["script-src"]
    assert "unsafe-eval" not in policy
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"


@pytest.mark.django_db
def test_the_first_page_has_no_inline_script_or_event_handler(client):
    TaskFactory(number=1)
    html = client.get(reverse("dashboard:list")).content.decode()
    for tag in html.split("<script")[1:]:
        opening = tag.split(">", 1)[0]
        assert "src=" in opening or 'type="application/json"' in opening, opening
    assert " onclick=" not in html and " onload=" not in html and "hx-on" not in html
