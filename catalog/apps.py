from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    """The catalog: the YAML the tasks, commitments, sectors, indicators, targets and sources are loaded from."""

    name = "catalog"
    verbose_name = _("Catalog")
