"""The one shared writer: validates a stream of records, then compares before it writes.

Every connector and the snapshot loader hand their records here. One call is one indicator batch in one
transaction: it takes the indicator's batch lock, reads the stored values for each chunk of keys in one query,
splits the records into created, revised, unchanged and skipped, locks and rewrites only the rows that change,
and writes in bulk. It never deletes.
"""

import datetime
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone

from indicators.ingestion import runs
from indicators.ingestion.errors import PermanentFetchError, RetryableFetchError
from indicators.ingestion.records import ObservationRecord, SkippedRecord
from indicators.models import Disagreement, Geography, Indicator, IngestRun, Observation, ObservationRevision
from indicators.periods import PeriodError, check_period_start, format_period
from indicators.services.observation_writes import (
    Figure,
    ValueRefused,
    data_version_bump,
    figure_apply,
    figure_unchanged,
    new_row,
    observations_insert,
    observations_update,
    revisions_insert,
    source_value_reader,
    value_outside_plausible_range,
)

Origin = Observation.Origin
_MAX_EXAMPLES = 5
_LOCK_NAMESPACE = 7301  # first key of the PostgreSQL advisory locks ingestion takes; the second is the indicator's id
_UNCHANGED, _REVISE = "unchanged", "revise"
_ANALYST_KEPT = "an analyst's value is kept"
_PULL_KEPT = "a value pulled from the API is newer than the snapshot"
_WITHDRAWN = "withdrawn by the source (now null): kept in history and marked withdrawn"


class _Stored(NamedTuple):
    """The stored columns a comparison needs; full rows are loaded only for the figures that change.

    `figure_unchanged` reads a row's citation, note and review state only against an analyst's write, which the
    writer never makes, so they are not loaded.
    """

    pk: int
    geography_id: int
    period: datetime.date
    value: Decimal
    origin: str
    is_provisional: bool
    is_estimated: bool
    is_break: bool
    withdrawn_by_source_at: datetime.datetime | None


@dataclass
class WriteResult:
    """What one batch did, row by row; skipped rows are grouped by reason with a few examples."""

    created: int = 0
    revised: int = 0
    unchanged: int = 0
    skipped: int = 0
    withdrawn: int = 0
    reasons: dict[str, list] = field(default_factory=dict)

    @property
    def changed(self) -> int:
        return self.created + self.revised + self.withdrawn

    def skip(self, reason: str, where: str) -> None:
        self.skipped += 1
        tally = self.reasons.setdefault(reason, [0, []])
        tally[0] += 1
        if len(tally[1]) < _MAX_EXAMPLES:
            tally[1].append(where)

    def skipped_reasons(self) -> list[dict]:
        return [{"reason": r, "count": n, "examples": examples} for r, (n, examples) in self.reasons.items()]

    def summary(self) -> str:
        return f"{self.created} created, {self.revised} revised, {self.unchanged} unchanged, {self.skipped} skipped"


def normalise_unit(unit: str) -> str:
    return " ".join(unit.split()).casefold()


def _lock(indicator_id: int) -> Indicator:
    """Take the indicator's batch lock: two runs for one indicator never write at the same time.

    On PostgreSQL a transaction-scoped advisory lock, released at commit, rollback or a dead connection, and
    waited for at most INGEST_LOCK_TIMEOUT. It blocks no one else: analysts' edits and the run records that
    reference the indicator go ahead. On SQLite the database's single writer serialises batches.
    """
    try:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('lock_timeout', %s, true)", [f"{settings.INGEST_LOCK_TIMEOUT}s"])
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_NAMESPACE, indicator_id])
        return Indicator.objects.get(pk=indicator_id)
    except OperationalError as exc:
        raise RetryableFetchError(f"indicator {indicator_id} is being written by another run ({exc})") from exc


class _Batch:
    """One indicator's batch, chunk by chunk; all state that a chunk needs from the ones before it."""

    def __init__(self, indicator: Indicator, run: IngestRun, origin: str):
        self.indicator = indicator
        self.run = run
        self.origin = origin
        self.result = WriteResult()
        self.unit = normalise_unit(indicator.unit)
        self.checked_periods: set = set()  # a series has few distinct periods; each is checked once
        self.value_of = source_value_reader()
        self.has_range = indicator.plausible_min is not None or indicator.plausible_max is not None
        self.nulls: dict[tuple[int, object], SkippedRecord] = {}  # the chunk's keys the source now gives as null
        self.geographies: dict[str, int] = {}
        self.geography_codes: dict[int, str] = {}
        for pk, code, iso3 in Geography.objects.values_list("pk", "code", "iso3"):
            self.geographies[code] = pk
            self.geography_codes[pk] = code
            if iso3:
                self.geographies.setdefault(iso3, pk)

    def validate(self, chunk: list) -> dict[tuple[int, datetime.date], Figure]:
        """Check every record of the chunk before any of it is written; returns them keyed by (geography, period)."""
        indicator, valid = self.indicator, {}
        self.nulls = {}
        for record in chunk:
            if isinstance(record, SkippedRecord):
                self._null_or_skip(record)
                continue
            if not isinstance(record, ObservationRecord):
                raise PermanentFetchError(f"the connector produced {type(record).__name__}, not a record")
            if record.period not in self.checked_periods:
                self._check_period(record)
            if record.unit is not None and normalise_unit(record.unit) != self.unit:
                raise PermanentFetchError(
                    f"unit changed: the source states {record.unit!r} for {self._label(record)}, but indicator "
                    f"{indicator.code} is in {indicator.unit!r}. Nothing was written or rescaled; review the "
                    "indicator's unit."
                )
            figure = self._figure(record)
            geography_id = self.geographies.get(record.geography_code)
            if geography_id is None:
                self.result.skip(f"geography {record.geography_code} is not in the catalogue", self._label(record))
                continue
            if self.has_range and value_outside_plausible_range(indicator, figure.value):
                self.result.skip(
                    "outside the indicator's plausible range; held for review",
                    f"{self._label(record)} = {figure.value}",
                )
                continue
            key = (geography_id, record.period)
            if key in valid:
                raise PermanentFetchError(f"{self._label(record)}: the source gives this figure twice")
            valid[key] = figure
        return valid

    def _check_period(self, record: ObservationRecord) -> None:
        """The period starts a period of the indicator's frequency (each distinct period is checked once)."""
        try:
            check_period_start(record.period, self.indicator.frequency)
        except (PeriodError, AttributeError, TypeError) as exc:
            raise PermanentFetchError(
                f"{record.geography_code} {record.period!r}: does not match the indicator's frequency "
                f"({self.indicator.frequency}): {exc}"
            ) from exc
        self.checked_periods.add(record.period)

    def _figure(self, record: ObservationRecord) -> Figure:
        try:
            value = self.value_of(record.value)
        except ValueRefused as exc:
            raise PermanentFetchError(f"{self._label(record)}: value {record.value!r} {exc}") from None
        if not record.citation:
            raise PermanentFetchError(f"{self._label(record)}: the record cites no source")
        return Figure(
            value,
            record.citation,
            self.origin,
            record.note,
            record.vintage,
            record.is_provisional,
            record.is_estimated,
            record.is_break,
        )

    def _null_or_skip(self, record: SkippedRecord) -> None:
        """A null at a known key may withdraw a pulled figure (decided in write); anything else is a skip."""
        geography_id = self.geographies.get(record.geography_code or "")
        if record.withdrawn and self.origin == Origin.API and geography_id is not None:
            self.nulls[(geography_id, record.period)] = record
        else:
            self.result.skip(record.reason, record.where)

    def _label(self, record: ObservationRecord) -> str:
        return f"{record.geography_code} {format_period(record.period, self.indicator.frequency)}"

    def _stored(self, keys) -> dict[tuple[int, datetime.date], _Stored]:
        """The compared columns of the stored figures at these keys, in one light query."""
        rows = (
            Observation.objects.filter(
                indicator=self.indicator,
                geography_id__in={geography_id for geography_id, _ in keys},
                period__in={period for _, period in keys},
            )
            .order_by()  # the model's ordering would join and sort two tables for nothing
            .values_list(*_Stored._fields)
        )
        return {(row.geography_id, row.period): row for row in map(_Stored._make, rows)}

    def write(self, valid: dict) -> None:
        """Compare the chunk with the stored figures, then write only what differs, in batch statements."""
        nulls, self.nulls = self.nulls, {}
        if not valid and not nulls:
            return
        stored = self._stored(valid.keys() | nulls.keys())
        created, to_revise, conflicts = [], {}, {}
        now = timezone.now()
        for key, figure in valid.items():
            current = stored.get(key)
            if current is None:
                created.append(self._new(key, figure, now))
            elif self._tally(current, figure, conflicts) == _REVISE:
                to_revise[current.pk] = figure
        updated, revisions = self._revise(to_revise, conflicts)
        withdrawn = self._withdraw(self._to_withdraw(nulls, stored), revisions, now)
        observations_insert(created)
        revisions_insert(revisions)
        observations_update(updated + withdrawn)
        if conflicts:
            Disagreement.objects.bulk_create(self._disagreements(conflicts), batch_size=settings.INGEST_CHUNK_SIZE)
        self.result.created += len(created)
        self.result.revised += len(updated)
        self.result.withdrawn += len(withdrawn)

    def _to_withdraw(self, nulls: dict, stored: dict) -> list[int]:
        """Pulled figures the source now gives as null; other nulls are counted as skips."""
        pks = []
        for key, record in nulls.items():
            current = stored.get(key)
            if current is not None and current.origin == Origin.API and current.withdrawn_by_source_at is None:
                pks.append(current.pk)
                self.result.skip(_WITHDRAWN, record.where)
            else:
                self.result.skip(record.reason, record.where)
        return pks

    def _withdraw(self, pks: list[int], revisions: list, now) -> list[Observation]:
        """Mark the figures withdrawn: the value stays, in history and on the row, but is no longer current."""
        withdrawn = []
        for current in Observation.objects.select_for_update().filter(pk__in=pks, origin=Origin.API).order_by():
            revisions.append(
                ObservationRevision.of(
                    current, new_value=current.value, reason=ObservationRevision.Reason.SOURCE_WITHDRAWAL, run=self.run
                )
            )
            current.withdrawn_by_source_at = now
            current.ingest_run = self.run
            current.version += 1
            current.revision_count += 1
            current.updated_at = now
            withdrawn.append(current)
        return withdrawn

    def _verdict(self, current, figure: Figure) -> str:
        """What a stored figure (an Observation or its compared columns) becomes when this figure arrives.

        A value an analyst entered (or, for the snapshot, one pulled since) is kept whatever arrives; the source
        then agrees with it or not. Anything else is revised unless `figure_unchanged` says it already holds.
        """
        if current.origin == Origin.ANALYST or (self.origin == Origin.SNAPSHOT and current.origin == Origin.API):
            if current.value == figure.value:
                return _UNCHANGED
            return _ANALYST_KEPT if current.origin == Origin.ANALYST else _PULL_KEPT
        return _UNCHANGED if figure_unchanged(current, figure) else _REVISE

    def _tally(self, current, figure: Figure, conflicts: dict) -> str:
        """Count the verdict; anything but a revision is settled here."""
        verdict = self._verdict(current, figure)
        if verdict == _UNCHANGED:
            self.result.unchanged += 1
        elif verdict != _REVISE:
            self.result.skip(verdict, self._where(current))
            if verdict == _ANALYST_KEPT and self.origin == Origin.API:
                conflicts[current.pk] = (current, figure)
        return verdict

    def _revise(self, to_revise: dict, conflicts: dict) -> tuple[list, list]:
        """Lock the rows to revise and decide again on what is stored now: an analyst may have just edited one."""
        if not to_revise:
            return [], []
        now = timezone.now()
        updated, revisions = [], []
        for current in Observation.objects.select_for_update().filter(pk__in=to_revise).order_by():
            figure = to_revise[current.pk]
            if self._tally(current, figure, conflicts) == _REVISE:
                reason = ObservationRevision.Reason.SOURCE_REVISION
                revisions.append(figure_apply(current, figure, reason=reason, now=now, run=self.run))
                updated.append(current)
        return updated, revisions

    def _where(self, observation) -> str:
        code = self.geography_codes.get(observation.geography_id, "?")
        return f"{code} {format_period(observation.period, self.indicator.frequency)}"

    def _new(self, key, figure: Figure, now) -> tuple:
        return new_row(
            indicator_id=self.indicator.pk,
            geography_id=key[0],
            period=key[1],
            figure=figure,
            now=now,
            review_state=Observation.ReviewState.PUBLISHED,  # figures from a source are published as they arrive
            run_id=self.run.pk,
        )

    def _disagreements(self, conflicts: dict) -> list[Disagreement]:
        """One disagreement per analyst value and source figure, open or resolved: a re-run does not repeat it."""
        open_ones = set(
            Disagreement.objects.filter(observation_id__in=conflicts).values_list("observation_id", "source_value")
        )
        return [
            Disagreement(
                observation_id=pk,
                run=self.run,
                source_value=figure.value,
                analyst_value=current.value,
                source_vintage=figure.vintage[:80],
            )
            for pk, (current, figure) in conflicts.items()
            if (pk, figure.value) not in open_ones
        ]


def write_observations(
    *, indicator: Indicator, records: Iterable[ObservationRecord | SkippedRecord], run: IngestRun, origin: str
) -> WriteResult:
    """Write one indicator's batch in one transaction; any error rolls all of it back and is raised.

    `records` is consumed lazily, chunk by chunk, inside the transaction, so memory stays flat and a fetch
    that fails half way leaves the previous data whole. A pull (origin api) sets `last_success_at`; any
    created or revised row bumps `data_version`, which keys the pages' caches.
    """
    if origin not in (Origin.API, Origin.SNAPSHOT):
        raise ValueError(f"the writer takes pulled or snapshot figures, not {str(origin)!r}")
    iterator = iter(records)
    try:
        return _write_batch(indicator, iterator, run, origin)
    except IntegrityError as exc:
        # The unique constraint is the backstop: someone stored one of these figures while the batch ran.
        raise RetryableFetchError(f"a figure was stored by someone else during the batch; retrying ({exc})") from exc


def _write_batch(indicator: Indicator, iterator, run: IngestRun, origin: str) -> WriteResult:
    with transaction.atomic():
        locked = _lock(indicator.pk)
        runs.close_abandoned(indicator_id=locked.pk, current_run=run)
        batch = _Batch(locked, run, origin)
        while chunk := list(itertools.islice(iterator, settings.INGEST_CHUNK_SIZE)):
            batch.write(batch.validate(chunk))
        pulled = {"last_success_at": timezone.now()} if origin == Origin.API else {}
        if batch.result.changed:
            data_version_bump(locked.pk, **pulled)
        elif pulled:
            Indicator.objects.filter(pk=locked.pk).update(**pulled)
    return batch.result
