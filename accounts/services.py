"""The analyst and admin roles: Django groups with their permissions, kept in step after every migrate.

Permissions are created by a post_migrate handler of django.contrib.auth, so they do not exist inside a
migration; `roles_sync` runs from our own post_migrate handler (accounts/apps.py) instead, and is idempotent.
"""

from django.contrib.auth.models import Group, Permission
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import Q

ANALYST = "Analyst"
ADMIN = "Admin"

# Analysts enter and correct values, resolve disagreements with pulled figures and assess commitments.
ANALYST_PERMISSIONS = (
    "indicators.view_indicator",
    "indicators.view_observation",
    "indicators.add_observation",
    "indicators.change_observation",
    "indicators.view_observationrevision",
    "indicators.view_disagreement",
    "indicators.change_disagreement",
    "tasks.view_commitment",
    "tasks.view_assessment",
    "tasks.add_assessment",
)

# Admins hold every model permission of these apps: the catalog, the figures, job schedules and lockouts.
ADMIN_APPS = ("tasks", "indicators", "axes", "django_celery_beat")
# Of users and groups, only what managing analysts takes. Changing a group or a permission would let an admin grant
# itself anything; the user admin (accounts/admin.py) keeps superuser status and direct permissions to superusers.
ADMIN_USER_PERMISSIONS = ("auth.view_user", "auth.add_user", "auth.change_user", "auth.view_group")

# The permission that opens the analyst workspace; admins hold it too.
ENTER_VALUES_PERMISSION = "indicators.add_observation"
# Who may enter values on indicators whose figures arrive from an API, not only the analyst-entered ones.
ENTER_ANY_INDICATOR_PERMISSION = "indicators.change_indicator"
REVERT_PERMISSION = "indicators.change_indicator"


def _permissions(codes, using: str) -> list[Permission]:
    query = Q(pk__in=[])
    for code in codes:
        app_label, codename = code.split(".")
        query |= Q(content_type__app_label=app_label, codename=codename)
    found = list(Permission.objects.using(using).filter(query).select_related("content_type"))
    missing = set(codes) - {f"{p.content_type.app_label}.{p.codename}" for p in found}
    if missing:
        raise LookupError(f"permissions missing (have all migrations run?): {', '.join(sorted(missing))}")
    return found


def roles_sync(*, using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Create or update the Analyst and Admin groups so they hold exactly their permissions."""
    with transaction.atomic(using=using):
        analyst, _ = Group.objects.using(using).get_or_create(name=ANALYST)
        analyst.permissions.set(_permissions(ANALYST_PERMISSIONS, using))
        admin, _ = Group.objects.using(using).get_or_create(name=ADMIN)
        admin.permissions.set(
            [
                *Permission.objects.using(using).filter(content_type__app_label__in=ADMIN_APPS),
                *_permissions(ADMIN_USER_PERMISSIONS, using),
            ]
        )
        return {ANALYST: analyst.permissions.count(), ADMIN: admin.permissions.count()}


@transaction.atomic
def user_grant_role(*, user, role: str) -> None:
    """Put a user in a role. Admins also become staff, which the Django admin requires."""
    if role not in (ANALYST, ADMIN):
        raise ValueError(f"unknown role {role!r}; use {ANALYST!r} or {ADMIN!r}")
    user.groups.add(Group.objects.get(name=role))
    if role == ADMIN and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])


def user_can_enter_values(user) -> bool:
    return user.is_active and user.has_perm(ENTER_VALUES_PERMISSION)


def user_can_enter_on(user, indicator) -> bool:
    """Analysts enter only the indicators no API publishes; admins may enter on any."""
    if not user_can_enter_values(user):
        return False
    return indicator.arrival == "analyst" or user.has_perm(ENTER_ANY_INDICATOR_PERMISSION)


def user_can_revert(user) -> bool:
    return user.is_active and user.is_staff and user.has_perm(REVERT_PERMISSION)
