from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts.services import ADMIN, ANALYST, user_grant_role


class Command(BaseCommand):
    help = "Put an existing user in the Analyst or Admin role (admins also become staff)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", choices=[ANALYST.lower(), ADMIN.lower()])

    def handle(self, *args, username, role, **options):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist as error:
            raise CommandError(f"no user named {username!r}; create it first (createsuperuser or the admin)") from error
        role_name = ANALYST if role == ANALYST.lower() else ADMIN
        user_grant_role(user=user, role=role_name)
        self.stdout.write(f"{username} is now in the {role_name} role.")
