"""Issue 12 item 11: admins manage analysts, and cannot make themselves (or anyone) superuser."""

import pytest
from django.urls import reverse

from accounts.services import ADMIN
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def change_form(user) -> dict:
    """The user admin's change form as the browser would post it, asking for superuser status."""
    return {
        "username": user.username,
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "groups": [group.pk for group in user.groups.all()],
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }


def test_an_admin_ticking_superuser_status_on_their_own_account_stays_an_admin(client, admin_user):
    client.force_login(admin_user)

    response = client.post(reverse("admin:auth_user_change", args=[admin_user.pk]), change_form(admin_user))

    assert response.status_code == 302
    admin_user.refresh_from_db()
    assert not admin_user.is_superuser
    assert admin_user.user_permissions.count() == 0


def test_an_admin_cannot_open_a_superusers_account(client, admin_user):
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(admin_user)

    listing = client.get(reverse("admin:auth_user_changelist")).content.decode()
    response = client.get(reverse("admin:auth_user_change", args=[superuser.pk]))

    assert "root" not in listing
    assert response.status_code == 302  # the admin's "does not exist" redirect, not the form


def test_an_admin_cannot_edit_the_admin_groups_permissions(client, admin_user):
    client.force_login(admin_user)
    group = admin_user.groups.get(name=ADMIN)

    response = client.post(reverse("admin:auth_group_change", args=[group.pk]), {"name": ADMIN, "permissions": []})

    assert response.status_code == 403


def test_an_admin_still_adds_and_edits_analysts(client, admin_user, analyst):
    client.force_login(admin_user)

    assert client.get(reverse("admin:auth_user_change", args=[analyst.pk])).status_code == 200
    assert client.get(reverse("admin:auth_user_add")).status_code == 200
