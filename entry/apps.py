from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EntryConfig(AppConfig):
    """The analyst workspace: entering values no API publishes, uploads, assessments."""

    name = "entry"
    verbose_name = _("Analyst workspace")
