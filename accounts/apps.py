from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles_after_migrate(sender, using, verbosity=1, **kwargs):
    """Create every app's permissions first: auth makes them app by app, and ours runs before tasks' and indicators'."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    from accounts.services import roles_sync

    for app_config in apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0, using=using)
        create_permissions(app_config, verbosity=0, using=using)
    roles_sync(using=using)


class AccountsConfig(AppConfig):
    """Sign-in and the analyst and admin roles."""

    name = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        post_migrate.connect(_sync_roles_after_migrate, sender=self, dispatch_uid="accounts.roles_sync")
