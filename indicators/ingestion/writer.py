"""The one shared writer: validates a stream of records, then compares before it writes.

Every connector and the snapshot loader hand their records here. One call is one indicator batch in one
transaction: it locks the indicator, reads the current values for each chunk of keys in one query, splits
the records into created, revised, unchanged and skipped, and writes in bulk. It never deletes.
"""

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.models import F
from django.utils import timezone

from indicators.ingestion import runs
from indicators.ingestion.errors import PermanentFetchError, RetryableFetchError
from indicators.ingestion.records import ObservationRecord, SkippedRecord
from indicators.models import Disagreement, Geography, Indicator, IngestRun, Observation, ObservationRevision
from indicators.periods import PeriodError, check_period_start, format_period

Origin = Observation.Origin
_PLACES = Decimal("0.000001")  # Observation.value has six decimal places
_LIMIT = Decimal(10) ** 18  # and eighteen digits before the point
_MAX_EXAMPLES = 5
_LOCK_NAMESPACE = 7301  # first key of the PostgreSQL advisory locks ingestion takes; the second is the indicator's id
_UPDATED_FIELDS = [
    "value",
    "vintage",
    "citation",
    "note",
    "is_provisional",
    "is_estimated",
    "is_break",
    "origin",
    "ingest_run",
    "version",
    "revision_count",
    "updated_at",
]


@dataclass
class WriteResult:
    """What one batch did, row by row; skipped rows are grouped by reason with a few examples."""

    created: int = 0
    revised: int = 0
    unchanged: int = 0
    skipped: int = 0
    reasons: dict[str, list] = field(default_factory=dict)

    @property
    def changed(self) -> int:
        return self.created + self.revised

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


def _validated_value(value: object, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise PermanentFetchError(f"{where}: value {value!r} is not a number")
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise PermanentFetchError(f"{where}: value {value!r} is not a number") from None
    if not number.is_finite():
        raise PermanentFetchError(f"{where}: value {value!r} is not a finite number")
    if abs(number) >= _LIMIT:
        raise PermanentFetchError(f"{where}: value {value!r} is too large to store")
    return number.quantize(_PLACES)


class _Batch:
    """One indicator's batch, chunk by chunk; all state that a chunk needs from the ones before it."""

    def __init__(self, indicator: Indicator, run: IngestRun, origin: str):
        self.indicator = indicator
        self.run = run
        self.origin = origin
        self.result = WriteResult()
        self.unit = normalise_unit(indicator.unit)
        self.geographies: dict[str, int] = {}
        self.geography_codes: dict[int, str] = {}
        for pk, code, iso3 in Geography.objects.values_list("pk", "code", "iso3"):
            self.geographies[code] = pk
            self.geography_codes[pk] = code
            if iso3:
                self.geographies.setdefault(iso3, pk)

    def validate(self, chunk: list) -> dict[tuple[int, object], tuple[ObservationRecord, Decimal]]:
        """Check every record of the chunk before any of it is written; returns them keyed by (geography, period)."""
        indicator, valid = self.indicator, {}
        for record in chunk:
            if isinstance(record, SkippedRecord):
                self.result.skip(record.reason, record.where)
                continue
            if not isinstance(record, ObservationRecord):
                raise PermanentFetchError(f"the connector produced {type(record).__name__}, not a record")
            try:
                check_period_start(record.period, indicator.frequency)
                label = format_period(record.period, indicator.frequency)
            except (PeriodError, AttributeError, TypeError) as exc:
                raise PermanentFetchError(
                    f"{record.geography_code} {record.period!r}: does not match the indicator's frequency "
                    f"({indicator.frequency}): {exc}"
                ) from exc
            where = f"{record.geography_code} {label}"
            if record.unit is not None and normalise_unit(record.unit) != self.unit:
                raise PermanentFetchError(
                    f"unit changed: the source states {record.unit!r} for {where}, but indicator {indicator.code} "
                    f"is in {indicator.unit!r}. Nothing was written or rescaled; review the indicator's unit."
                )
            value = _validated_value(record.value, where)
            if not record.citation:
                raise PermanentFetchError(f"{where}: the record cites no source")
            geography_id = self.geographies.get(record.geography_code)
            if geography_id is None:
                self.result.skip(f"geography {record.geography_code} is not in the catalogue", where)
                continue
            if (indicator.plausible_min is not None and value < indicator.plausible_min) or (
                indicator.plausible_max is not None and value > indicator.plausible_max
            ):
                self.result.skip("outside the indicator's plausible range; held for review", f"{where} = {value}")
                continue
            key = (geography_id, record.period)
            if key in valid:
                raise PermanentFetchError(f"{where}: the source gives this figure twice")
            valid[key] = (record, value)
        return valid

    def write(self, valid: dict) -> None:
        if not valid:
            return
        existing = {
            (obs.geography_id, obs.period): obs
            for obs in Observation.objects.select_for_update().filter(
                indicator=self.indicator,
                geography_id__in={geography_id for geography_id, _ in valid},
                period__in={period for _, period in valid},
            )
        }
        now = timezone.now()
        created, updated, revisions, disagreements = [], [], [], []
        analyst_conflicts: dict[int, tuple[Observation, ObservationRecord, Decimal]] = {}
        for key, (record, value) in valid.items():
            current = existing.get(key)
            if current is None:
                created.append(self._new(key, record, value))
            elif current.origin == Origin.ANALYST or (self.origin == Origin.SNAPSHOT and current.origin == Origin.API):
                if current.value == value:
                    self.result.unchanged += 1
                elif current.origin == Origin.ANALYST:
                    self.result.skip("an analyst's value is kept", self._where(current))
                    if self.origin == Origin.API:
                        analyst_conflicts[current.pk] = (current, record, value)
                else:
                    self.result.skip("a value pulled from the API is newer than the snapshot", self._where(current))
            elif self._same(current, record, value):
                self.result.unchanged += 1
            else:
                revisions.append(self._revision(current, value))
                self._apply(current, record, value, now)
                updated.append(current)
        if analyst_conflicts:
            disagreements = self._disagreements(analyst_conflicts)
        chunk_size = settings.INGEST_CHUNK_SIZE
        Observation.objects.bulk_create(created, batch_size=chunk_size)
        ObservationRevision.objects.bulk_create(revisions, batch_size=chunk_size)
        Observation.objects.bulk_update(updated, _UPDATED_FIELDS, batch_size=500)
        Disagreement.objects.bulk_create(disagreements, batch_size=chunk_size)
        self.result.created += len(created)
        self.result.revised += len(updated)

    @staticmethod
    def _same(current: Observation, record: ObservationRecord, value: Decimal) -> bool:
        """Unchanged means the same figure with the same flags; a new vintage label alone is no change."""
        return (current.value, current.is_provisional, current.is_estimated, current.is_break) == (
            value,
            record.is_provisional,
            record.is_estimated,
            record.is_break,
        )

    def _where(self, observation: Observation) -> str:
        code = self.geography_codes.get(observation.geography_id, "?")
        return f"{code} {format_period(observation.period, self.indicator.frequency)}"

    def _new(self, key, record: ObservationRecord, value: Decimal) -> Observation:
        return Observation(
            indicator=self.indicator,
            geography_id=key[0],
            period=record.period,
            value=value,
            vintage=record.vintage[:80],
            citation=record.citation,
            note=record.note,
            is_provisional=record.is_provisional,
            is_estimated=record.is_estimated,
            is_break=record.is_break,
            origin=self.origin,
            ingest_run=self.run,
        )

    def _revision(self, current: Observation, value: Decimal) -> ObservationRevision:
        return ObservationRevision(
            observation=current,
            old_value=current.value,
            new_value=value,
            old_vintage=current.vintage,
            old_origin=current.origin,
            old_citation=current.citation,
            old_version=current.version,
            reason=ObservationRevision.Reason.SOURCE_REVISION,
            replaced_by_run=self.run,
        )

    def _apply(self, current: Observation, record: ObservationRecord, value: Decimal, now) -> None:
        current.value = value
        current.vintage = record.vintage[:80]
        current.citation = record.citation
        current.note = record.note
        current.is_provisional = record.is_provisional
        current.is_estimated = record.is_estimated
        current.is_break = record.is_break
        current.origin = self.origin
        current.ingest_run = self.run
        current.version += 1
        current.revision_count += 1
        current.updated_at = now

    def _disagreements(self, conflicts: dict) -> list[Disagreement]:
        """One disagreement per analyst value and source figure, open or resolved: a re-run does not repeat it."""
        open_ones = set(
            Disagreement.objects.filter(observation_id__in=conflicts).values_list("observation_id", "source_value")
        )
        return [
            Disagreement(
                observation=current,
                run=self.run,
                source_value=value,
                analyst_value=current.value,
                source_vintage=record.vintage[:80],
            )
            for pk, (current, record, value) in conflicts.items()
            if (pk, value) not in open_ones
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
    with transaction.atomic():
        locked = _lock(indicator.pk)
        runs.close_abandoned(indicator_id=locked.pk, current_run=run)
        batch = _Batch(locked, run, origin)
        while chunk := list(itertools.islice(iterator, settings.INGEST_CHUNK_SIZE)):
            batch.write(batch.validate(chunk))
        updates = {}
        if batch.result.changed:
            updates["data_version"] = F("data_version") + 1
        if origin == Origin.API:
            updates["last_success_at"] = timezone.now()
        if updates:
            Indicator.objects.filter(pk=locked.pk).update(**updates)
    return batch.result
