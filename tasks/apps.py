from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    """The policy domain: the seven tasks, their commitments, the sectors they concern."""

    name = "tasks"
    verbose_name = _("Policy tasks")
