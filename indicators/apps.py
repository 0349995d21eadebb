from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    """Indicators, their observations and sources, and the jobs that fill them."""

    name = "indicators"
    verbose_name = _("Indicators and statistics")
