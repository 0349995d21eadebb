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
            message = f"no user named {username!r}; create it with create_user NAME --role analyst|admin"
            raise CommandError(message) from error
        role_name = ANALYST if role == ANALYST.lower() else ADMIN
        if user.is_superuser and role_name == ANALYST:
            raise CommandError(
                f"{username} is a superuser, who can do everything whatever their role: calling them an analyst "
                "would mean nothing. Create an analyst with create_user NAME --role analyst."
            )
        user_grant_role(user=user, role=role_name)
        note = " (also a superuser, which already allows everything)" if user.is_superuser else ""
        self.stdout.write(f"{username} is now in the {role_name} role{note}; staff: {user.is_staff}.")
