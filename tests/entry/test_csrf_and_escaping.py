"""CSRF on every write, HTMX ones included; user text escaped wherever it comes back."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.services import ANALYST, user_grant_role
from indicators.models import Observation
from tasks.models import Assessment
from tests.entry.test_permissions import WRITES, _state
from tests.factories import CommitmentFactory, UserFactory

SCRIPT = '<script>alert("x")</script>'
MARKUP = '<b onmouseover="alert(1)">bold</b>'


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True)


@pytest.mark.django_db
@pytest.mark.parametrize("write", sorted(WRITES))
def test_every_write_without_a_csrf_token_is_refused_and_writes_nothing(csrf_client, world, admin_user, write):
    csrf_client.force_login(admin_user)
    url_for, data_for = WRITES[write]
    before = _state()

    response = csrf_client.post(url_for(world), data_for(world), HTTP_HX_REQUEST="true")

    assert response.status_code == 403
    assert _state() == before


@pytest.mark.django_db
def test_an_htmx_post_carrying_the_token_from_the_body_hx_headers_is_accepted(
    csrf_client, analyst, entered_indicator, china
):
    csrf_client.force_login(analyst)
    url = reverse("entry:indicator", args=[entered_indicator.code])
    page = csrf_client.get(url).content.decode()
    token = re.search(r"<body hx-headers='\{\"X-CSRFToken\": \"(\w+)\"\}'", page)
    assert token, "base.html puts the CSRF token in hx-headers on <body>"

    response = csrf_client.post(
        url,
        {"geography": china.pk, "period": "2023", "value": "1", "citation": "https://example.org/a"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="entry-form",
        HTTP_X_CSRFTOKEN=token.group(1),
    )

    assert response.status_code == 200
    assert Observation.objects.count() == 1


def _assert_escaped(body: str, *texts: str):
    for text in texts:
        assert text not in body, text
    assert "&lt;script&gt;" in body or "&lt;b onmouseover" in body


@pytest.mark.django_db
def test_text_entered_with_a_value_is_escaped_on_every_page_that_shows_it(client, entered_indicator, china):
    analyst = UserFactory(username="x<i>y")  # usernames are shown to staff on the history page
    user_grant_role(user=analyst, role=ANALYST)
    client.force_login(analyst)
    url = reverse("entry:indicator", args=[entered_indicator.code])
    citation = f"{SCRIPT} Test publisher list {MARKUP}"
    client.post(
        url, {"geography": china.pk, "period": "2023", "value": "1", "citation": citation, "note": SCRIPT + MARKUP}
    )
    observation = Observation.objects.get()
    assert observation.citation == citation  # stored as typed; escaped when shown
    client.post(
        url,
        {
            "geography": china.pk,
            "period": "2023",
            "value": "2",
            "citation": citation,
            "note": MARKUP,
            "expected_version": "1",
        },
    )

    for page in (url, reverse("entry:observation_history", args=[observation.pk])):
        _assert_escaped(client.get(page).content.decode(), SCRIPT, MARKUP)
    assert "x&lt;i&gt;y" in client.get(reverse("entry:observation_history", args=[observation.pk])).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["period", "value", "citation"])
def test_invalid_input_echoed_in_an_error_is_escaped(client, analyst, entered_indicator, china, field):
    client.force_login(analyst)
    data = {"geography": china.pk, "period": "2023", "value": "1", "citation": "https://example.org/a"}

    response = client.post(
        reverse("entry:indicator", args=[entered_indicator.code]),
        {**data, field: "javascript:" + SCRIPT},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="entry-form",
    )

    _assert_escaped(response.content.decode(), SCRIPT)
    assert not Observation.objects.exists()


@pytest.mark.django_db
def test_upload_previews_escape_the_files_text(client, analyst, entered_indicator, china):
    client.force_login(analyst)
    content = (
        "geography,period,value,citation,note\n"
        f'CHN,2021,1,"{SCRIPT.replace(chr(34), chr(34) * 2)} Test list","{MARKUP.replace(chr(34), chr(34) * 2)}"\n'
        f"{SCRIPT},2022,1,https://example.org/a,\n"
    )

    response = client.post(
        reverse("entry:indicator_upload", args=[entered_indicator.code]),
        {"file": SimpleUploadedFile("v.csv", content.encode())},
    )

    body = response.content.decode()
    assert "&lt;script&gt;" in body
    assert SCRIPT not in body and MARKUP not in body


@pytest.mark.django_db
def test_assessment_text_is_escaped_and_only_http_links_are_rendered_as_links(client, analyst):
    client.force_login(analyst)
    commitment = CommitmentFactory(title_en=f"Title {MARKUP}")
    url = reverse("entry:commitment", args=[commitment.code])
    client.post(
        url,
        {
            "status": "stalled",
            "note": SCRIPT + MARKUP,
            "evidence_links": 'https://example.org/"><script>alert(1)</script>',
            "assessed_on": "2024-06-01",
        },
    )
    assert not Assessment.objects.exists()  # the link is not a URL
    client.post(url, {"status": "stalled", "note": SCRIPT + MARKUP, "evidence_links": "", "assessed_on": "2024-06-01"})

    for page in (url, reverse("entry:commitments")):
        body = client.get(page).content.decode()
        assert SCRIPT not in body and MARKUP not in body
    assert Assessment.objects.count() == 1


@pytest.mark.django_db
def test_the_sign_in_page_escapes_the_next_parameter(client):
    response = client.get(reverse("login") + '?next="><script>alert(1)</script>')

    assert "<script>alert(1)</script>" not in response.content.decode()
