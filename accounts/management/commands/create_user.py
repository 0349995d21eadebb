import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.services import ADMIN, ANALYST, user_grant_role

PASSWORD_ENV = "TRACKER_NEW_USER_PASSWORD"  # noqa: S105 (the variable's name, not a password)


class Command(BaseCommand):
    help = (
        "Create a user in the Analyst or Admin role, never a superuser. The password comes from "
        f"{PASSWORD_ENV}, else a prompt."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=[ANALYST.lower(), ADMIN.lower()])
        parser.add_argument("--email", default="")

    def handle(self, *args, username, role, email, **options):
        users = get_user_model()
        if users.objects.filter(username=username).exists():
            raise CommandError(f"a user named {username!r} exists already; use grant_role to change their role")
        password = os.environ.get(PASSWORD_ENV) or self._prompt()
        user = users(username=username, email=email)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        role_name = ANALYST if role == ANALYST.lower() else ADMIN
        with transaction.atomic():
            user.set_password(password)
            user.save()
            user_grant_role(user=user, role=role_name)
        self.stdout.write(f"Created {username} in the {role_name} role (not a superuser).")

    def _prompt(self) -> str:
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("the two passwords differ")
        return password
