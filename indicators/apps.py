from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    """Indicators, their observations and sources, and the jobs that fill them."""

    name = "indicators"
    verbose_name = _("Indicators and statistics")

    def ready(self):
        post_migrate.connect(self.ensure_schedules, sender=self, dispatch_uid="indicators.ensure_schedules")

    def ensure_schedules(self, sender, using="default", **kwargs):
        """Every migrate creates the default refresh schedules that are missing; admins' edits are kept."""
        from indicators.ingestion.schedules import ensure_schedules

        ensure_schedules(using=using)
