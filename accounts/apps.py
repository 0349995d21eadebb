from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Sign-in and the analyst and admin roles."""

    name = "accounts"
    verbose_name = _("Accounts and roles")
