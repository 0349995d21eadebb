from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """The public policy pages: the seven tasks, one task, the sectors, built from the domain and the read model."""

    name = "dashboard"
    verbose_name = _("Dashboard pages")
