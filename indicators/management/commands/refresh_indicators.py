"""Pull indicators' figures now, in the foreground, through the same service the scheduled jobs use."""

from django.core.management.base import BaseCommand, CommandError

from indicators.ingestion import service
from indicators.models import Indicator
from indicators.periods import format_period
from indicators.tasks import record_commitment_statuses


class Command(BaseCommand):
    help = (
        "Refresh indicators from their sources' APIs now; prints what changed per indicator and exits non-zero "
        "if any indicator failed. Transient faults are retried with the jobs' backoff."
    )

    def add_arguments(self, parser):
        parser.add_argument("--source", metavar="KEY", help="Only this source's indicators (worldbank, nbs, owid).")
        parser.add_argument("--indicator", metavar="CODE", help="Only this indicator.")

    def handle(self, *args, source=None, indicator=None, **options):
        if indicator:
            indicators = Indicator.objects.filter(code=indicator).select_related("source")
            if source:
                indicators = indicators.filter(source__key=source)
        else:
            indicators = service.pullable_indicators(source)
        indicators = list(indicators)
        if not indicators:
            raise CommandError(f"No indicator to refresh for source={source!r} indicator={indicator!r}.")
        failed = []
        for item in indicators:
            try:
                run = service.refresh_indicator_now(indicator_id=item.pk, trigger=service.MANUAL)
            except Exception as exc:
                failed.append(item.code)
                self.stderr.write(f"{item.code}: FAILED: {service.describe(exc)}")
                continue
            self.stdout.write(
                f"{item.code}: {run.rows_created} created, {run.rows_revised} revised, "
                f"{run.rows_unchanged} unchanged, {run.rows_skipped} skipped"
            )
            self._show_revisions(run, item)
            for skipped in run.skipped_reasons:
                self.stdout.write(f"  skipped {skipped['count']}: {skipped['reason']} (e.g. {skipped['examples'][0]})")
        record_commitment_statuses.delay_on_commit()
        if failed:
            raise CommandError(f"{len(failed)} of {len(indicators)} indicators failed: {', '.join(failed)}")
        self.stdout.write(self.style.SUCCESS(f"{len(indicators)} indicators refreshed."))

    def _show_revisions(self, run, indicator, shown: int = 5) -> None:
        """A few of the figures the source revised in this run, old value beside new."""
        if not run.rows_revised:
            return
        revisions = run.revisions.select_related("observation__geography").order_by("observation__period")
        for revision in revisions[:shown]:
            observation = revision.observation
            self.stdout.write(
                f"  revised {observation.geography.code} {format_period(observation.period, indicator.frequency)}: "
                f"{revision.old_value.normalize():f} -> {revision.new_value.normalize():f}"
            )
        if run.rows_revised > shown:
            self.stdout.write(f"  … and {run.rows_revised - shown} more revisions (see the run in the admin)")
