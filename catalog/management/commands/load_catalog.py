"""python manage.py load_catalog: load catalog/data/*.yaml; a second run writes nothing."""

from django.core.management.base import BaseCommand, CommandError

from catalog.services.loader import CatalogError, catalog_load
from indicators.tasks import record_commitment_statuses


class Command(BaseCommand):
    help = (
        "Load the seven tasks, their commitments, sectors, geographies, sources, indicators, links and targets "
        "from catalog/data/. Rows an admin has edited since they were loaded are left as the admin made them."
    )

    def handle(self, *args, **options):
        try:
            summary = catalog_load()
        except CatalogError as exc:
            raise CommandError(f"The catalog was not loaded, nothing was written: {exc}") from exc
        record_commitment_statuses.delay_on_commit()  # targets and indicator links move statuses
        for model_name, counts in summary.counts.items():
            self.stdout.write(
                f"{model_name:<20} created {counts['created']:>3}  updated {counts['updated']:>3}  "
                f"unchanged {counts['unchanged']:>3}  kept as edited {counts['kept']:>3}"
            )
        for label in summary.kept:
            self.stdout.write(f"  kept as an admin edited it: {label}")
        self.stdout.write(self.style.SUCCESS(f"Catalog loaded: {summary.writes} row(s) written."))
