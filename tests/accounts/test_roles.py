import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from accounts.services import (
    ADMIN,
    ANALYST,
    ANALYST_PERMISSIONS,
    roles_sync,
    user_can_enter_on,
    user_can_revert,
    user_grant_role,
)
from indicators.models import Indicator
from tests.factories import UserFactory

BASE_DIR = Path(__file__).resolve().parents[2]

FRESH_DATABASE_PROBE = """
import json, django
django.setup()
from django.core.management import call_command
from django.contrib.auth.models import Group
def roles():
    return {
        g.name: sorted(f"{p.content_type.app_label}.{p.codename}" for p in g.permissions.all())
        for g in Group.objects.all()
    }
call_command("migrate", verbosity=0)
first = roles()
call_command("migrate", verbosity=0)
print(json.dumps({"first": first, "second": roles(), "groups": Group.objects.count()}))
"""


def _perms(group_name: str) -> set[str]:
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Group.objects.get(name=group_name).permissions.select_related("content_type")
    }


def test_a_fresh_database_gets_both_roles_from_migrate_and_a_second_migrate_changes_nothing(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DEBUG")},
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", FRESH_DATABASE_PROBE], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr

    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["groups"] == 2
    assert probe["first"] == probe["second"]
    assert set(probe["first"][ANALYST]) == set(ANALYST_PERMISSIONS)
    assert {"tasks.change_commitment", "indicators.change_target", "auth.change_user"} <= set(probe["first"][ADMIN])


@pytest.mark.django_db
def test_the_analyst_role_enters_values_assesses_and_resolves_but_edits_no_catalog():
    permissions = _perms(ANALYST)

    assert {
        "indicators.add_observation",
        "indicators.change_observation",
        "tasks.add_assessment",
        "indicators.view_disagreement",
        "indicators.change_disagreement",
    } <= permissions
    assert not any(
        code in permissions
        for code in (
            "tasks.change_task",
            "tasks.change_commitment",
            "indicators.change_indicator",
            "indicators.change_target",
            "indicators.change_source",
            "auth.change_user",
            "indicators.delete_observation",
        )
    )


@pytest.mark.django_db
def test_the_admin_role_holds_every_model_permission_of_the_catalog_and_figures_and_of_users_only_analysts_care():
    expected = set(
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.filter(content_type__app_label__in=["tasks", "indicators"])
    )

    assert expected <= _perms(ADMIN)
    assert {"tasks.change_task", "tasks.change_commitment", "indicators.change_target"} <= expected
    assert {p for p in _perms(ADMIN) if p.startswith("auth.")} == {
        "auth.view_user",
        "auth.add_user",
        "auth.change_user",
        "auth.view_group",
    }


@pytest.mark.django_db
def test_syncing_roles_again_keeps_exactly_the_same_groups_and_repairs_a_drifted_one():
    Group.objects.get(name=ANALYST).permissions.add(Permission.objects.get(codename="delete_task"))
    Group.objects.get(name=ANALYST).permissions.remove(Permission.objects.get(codename="add_assessment"))

    roles_sync()
    roles_sync()

    assert Group.objects.filter(name__in=[ANALYST, ADMIN]).count() == 2
    assert _perms(ANALYST) == set(ANALYST_PERMISSIONS)


@pytest.mark.django_db
def test_granting_the_admin_role_makes_the_user_staff_and_the_analyst_role_does_not():
    analyst, admin = UserFactory(username="a"), UserFactory(username="b")

    user_grant_role(user=analyst, role=ANALYST)
    user_grant_role(user=admin, role=ADMIN)

    analyst.refresh_from_db()
    admin.refresh_from_db()
    assert (analyst.is_staff, admin.is_staff) == (False, True)
    assert admin.has_perm("tasks.change_commitment") and not analyst.has_perm("tasks.change_commitment")


@pytest.mark.django_db
def test_the_grant_role_command_puts_an_existing_user_in_a_role():
    user = UserFactory(username="ops")

    call_command("grant_role", "ops", "admin")

    user.refresh_from_db()
    assert user.is_staff and user.groups.filter(name=ADMIN).exists()


@pytest.mark.django_db
def test_who_may_enter_on_which_indicator_and_who_may_revert(analyst, admin_user, reader):
    entered = Indicator(arrival=Indicator.Arrival.ANALYST)
    pulled = Indicator(arrival=Indicator.Arrival.API)

    assert (user_can_enter_on(analyst, entered), user_can_enter_on(analyst, pulled)) == (True, False)
    assert (user_can_enter_on(admin_user, entered), user_can_enter_on(admin_user, pulled)) == (True, True)
    assert (user_can_enter_on(reader, entered), user_can_revert(reader)) == (False, False)
    assert (user_can_revert(analyst), user_can_revert(admin_user)) == (False, True)
