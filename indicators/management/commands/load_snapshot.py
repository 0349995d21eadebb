"""Load the bundled snapshot of real published figures through the shared writer."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from indicators.ingestion.errors import PermanentFetchError
from indicators.ingestion.snapshot import DEFAULT_PATH, load_snapshot
from indicators.tasks import record_commitment_statuses


class Command(BaseCommand):
    help = (
        "Load indicators/snapshot/observations.csv: creates missing figures, revises earlier snapshot figures, "
        "never touches pulled or analysts' values. A second run writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--path", type=Path, default=DEFAULT_PATH, help=f"The CSV to load (default {DEFAULT_PATH})."
        )

    def handle(self, *args, path: Path, **options):
        try:
            loads = load_snapshot(path)
        except PermanentFetchError as exc:
            raise CommandError(str(exc)) from exc
        record_commitment_statuses.delay_on_commit()
        failed = [load for load in loads if load.error]
        for load in loads:
            if load.error:
                self.stderr.write(f"{load.code}: FAILED: {load.error}")
            else:
                self.stdout.write(f"{load.code}: {load.result.summary()}")
        if failed:
            raise CommandError(f"{len(failed)} of {len(loads)} indicators failed to load: see above.")
        self.stdout.write(self.style.SUCCESS(f"Snapshot loaded for {len(loads)} indicators from {path}."))
