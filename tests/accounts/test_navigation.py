import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_anonymous_visitors_see_sign_in_and_no_entry_link(client):
    body = client.get(reverse("dashboard:list")).content.decode()

    assert 'href="/accounts/login/?next=/"' in body
    assert reverse("entry:workspace") not in body
    assert "Sign out" not in body


@pytest.mark.django_db
def test_analysts_see_the_entry_link_and_a_sign_out_form_that_posts(client, analyst):
    client.force_login(analyst)

    body = client.get(reverse("dashboard:list")).content.decode()

    assert f'<a href="{reverse("entry:workspace")}">Entry</a>' in body
    assert f'<form action="{reverse("logout")}" method="post">' in body


@pytest.mark.django_db
def test_signed_in_users_without_a_role_see_no_entry_link(client, reader):
    client.force_login(reader)

    body = client.get(reverse("dashboard:list")).content.decode()

    assert reverse("entry:workspace") not in body and "Sign out" in body
