"""create_user makes role holders without superuser powers; grant_role will not call a superuser an analyst."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from accounts.services import user_can_enter_values, user_can_revert
from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"


@pytest.mark.django_db
def test_create_user_makes_an_analyst_who_enters_values_but_is_no_superuser_or_staff(monkeypatch):
    monkeypatch.setenv("TRACKER_NEW_USER_PASSWORD", PASSWORD)

    call_command("create_user", "li", "--role", "analyst")

    user = get_user_model().objects.get(username="li")
    assert (user.is_superuser, user.is_staff, user.check_password(PASSWORD)) == (False, False, True)
    assert user_can_enter_values(user) and not user_can_revert(user)


@pytest.mark.django_db
def test_create_user_makes_an_admin_who_is_staff_but_no_superuser(monkeypatch):
    monkeypatch.setenv("TRACKER_NEW_USER_PASSWORD", PASSWORD)

    call_command("create_user", "wang", "--role", "admin")

    user = get_user_model().objects.get(username="wang")
    assert (user.is_superuser, user.is_staff) == (False, True)
    assert user_can_revert(user)


@pytest.mark.django_db
def test_create_user_refuses_a_weak_password_and_creates_nobody(monkeypatch):
    monkeypatch.setenv("TRACKER_NEW_USER_PASSWORD", "123")

    with pytest.raises(CommandError):
        call_command("create_user", "zhao", "--role", "analyst")

    assert not get_user_model().objects.filter(username="zhao").exists()


@pytest.mark.django_db
def test_grant_role_refuses_to_call_a_superuser_an_analyst():
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)

    with pytest.raises(CommandError, match="superuser"):
        call_command("grant_role", "root", "analyst")

    assert not superuser.groups.exists()
