"""Create the default refresh schedules that are missing (migrate does this too); never resets one."""

from django.core.management.base import BaseCommand

from indicators.ingestion.schedules import ensure_schedules


class Command(BaseCommand):
    help = "Create each connector source's default periodic refresh where missing; admins' edits are kept."

    def handle(self, *args, **options):
        created = ensure_schedules()
        self.stdout.write(f"Created: {', '.join(created)}" if created else "All default schedules exist.")
