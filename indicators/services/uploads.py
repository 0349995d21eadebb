"""Bulk upload of analyst figures: a preview that writes nothing, then one all-or-nothing write.

The file reader (entry/uploads.py) turns a CSV or XLSX into rows of text; here those rows are checked
against the indicator and the stored figures, and a confirmed preview is written in one transaction.
"""

import datetime
import uuid
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from indicators.models import Geography, Indicator, Observation, ObservationRevision
from indicators.periods import PeriodError, check_period_over, format_period, parse_period
from indicators.services.guards import scale_mismatch_message
from indicators.services.observations import (
    NOTE_MAX_LENGTH,
    analyst_review_state,
    citation_clean,
    indicator_data_bump,
    observation_is_public,
    observation_replace,
    review_reset,
    value_outside_plausible_range,
    value_parse,
)

UPLOAD_COLUMNS = ("geography", "period", "value", "citation", "note")
REQUIRED_COLUMNS = ("geography", "period", "value", "citation")


class RowStatus:
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str
    reason: str


@dataclass
class PreviewRow:
    row: int
    geography_id: int
    geography_code: str
    period: str  # ISO date of the period's first day
    period_label: str
    value: str
    citation: str
    note: str
    status: str
    out_of_range: bool
    current_value: str | None
    expected_version: int | None
    scale_mismatch: bool = False


@dataclass
class UploadPreview:
    rows: list[PreviewRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    scale_warning: str = ""

    def _count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def new_count(self) -> int:
        return self._count(RowStatus.NEW)

    @property
    def changed_count(self) -> int:
        return self._count(RowStatus.CHANGED)

    @property
    def unchanged_count(self) -> int:
        return self._count(RowStatus.UNCHANGED)

    @property
    def out_of_range_count(self) -> int:
        return sum(1 for row in self.rows if row.out_of_range and row.status != RowStatus.UNCHANGED)

    @property
    def changes(self) -> list[dict]:
        """The rows that would write something, as plain data to keep until the upload is confirmed."""
        return [asdict(row) for row in self.rows if row.status != RowStatus.UNCHANGED]


class UploadConflict(Exception):
    """Figures changed between the preview and the confirmation; nothing was written."""

    def __init__(self, problems: list[RowProblem]):
        self.problems = problems
        super().__init__(
            f"{len(problems)} figure(s) changed since the preview; nothing was written. Upload the file again."
        )


def _geography_resolver(indicator: Indicator):
    """code → (geography, problem), from one query: the indicator's geographies, or any when it lists none.

    The same choice the entry form offers: a geography that exists but is not the indicator's is refused.
    """
    listed = Indicator.geographies.through.objects.filter(indicator_id=indicator.pk, geography_id=OuterRef("pk"))
    by_code = {geography.code.upper(): geography for geography in Geography.objects.annotate(listed=Exists(listed))}
    allowed = {code for code, geography in by_code.items() if geography.listed} or set(by_code)
    shown = ", ".join(sorted(allowed)[:10]) + (", …" if len(allowed) > 10 else "")

    def resolve(text: str) -> tuple[Geography | None, str]:
        code = text.strip()
        if not code:
            return None, "a geography code is required"
        if code.upper() not in by_code:
            return None, f"unknown geography code “{code}”"
        if code.upper() not in allowed:
            return None, f"“{code}” is not one of this indicator's geographies ({shown})"
        return by_code[code.upper()], ""

    return resolve


def observations_upload_preview(*, indicator: Indicator, rows: list[dict[str, str]]) -> UploadPreview:
    """Check every row and compare it with what is stored: two queries whatever the file's size.

    `rows` map column names to text, with the spreadsheet row number under "_row" (else their position
    after the header row).
    """
    geography_for = _geography_resolver(indicator)
    today = timezone.localdate()
    stored = {
        (obs["geography_id"], obs["period"]): obs
        for obs in Observation.objects.filter(indicator=indicator).values(
            "geography_id", "period", "value", "citation", "note", "origin", "version"
        )
    }
    preview = UploadPreview()
    seen: dict[tuple[int, datetime.date], int] = {}
    for position, raw in enumerate(rows, start=2):
        number = raw.get("_row", position)
        problems: list[RowProblem] = []
        geography, reason = geography_for(raw.get("geography") or "")
        if geography is None:
            problems.append(RowProblem(number, "geography", reason))
        period = None
        try:
            period = parse_period(raw.get("period") or "", indicator.frequency)
            check_period_over(period, indicator.frequency, today=today)
        except PeriodError as error:
            problems.append(RowProblem(number, "period", str(error)))
        value = None
        try:
            value = value_parse(raw.get("value") or "")
        except ValidationError as error:
            problems.append(RowProblem(number, "value", " ".join(error.messages)))
        citation = ""
        try:
            citation = citation_clean(raw.get("citation") or "")
        except ValidationError as error:
            problems.append(RowProblem(number, "citation", " ".join(error.messages)))
        note = (raw.get("note") or "").strip()
        if len(note) > NOTE_MAX_LENGTH:
            problems.append(RowProblem(number, "note", f"keep notes under {NOTE_MAX_LENGTH} characters"))
        if geography is not None and period is not None:
            first = seen.setdefault((geography.pk, period), number)
            if first != number:
                problems.append(RowProblem(number, "period", f"row {first} already gives this geography and period"))
        if problems:
            preview.problems.extend(problems)
            continue
        current = stored.get((geography.pk, period))
        if current is None:
            status = RowStatus.NEW
        elif (
            current["value"] == value
            and current["citation"] == citation
            and current["note"] == note
            and current["origin"] == Observation.Origin.ANALYST
        ):
            status = RowStatus.UNCHANGED
        else:
            status = RowStatus.CHANGED
        preview.rows.append(
            PreviewRow(
                row=number,
                geography_id=geography.pk,
                geography_code=geography.code,
                period=period.isoformat(),
                period_label=format_period(period, indicator.frequency),
                value=f"{value.normalize():f}",
                citation=citation,
                note=note,
                status=status,
                out_of_range=value_outside_plausible_range(indicator, value),
                current_value=None if current is None else f"{current['value'].normalize():f}",
                expected_version=None if current is None else current["version"],
            )
        )
    _flag_scale(preview, stored)
    return preview


def _flag_scale(preview: UploadPreview, stored: dict) -> None:
    """Mark a file whose values sit on another scale than the stored figures of its geographies."""
    geographies = {row.geography_id for row in preview.rows}
    stored_values = [float(obs["value"]) for (geography_id, _), obs in stored.items() if geography_id in geographies]
    preview.scale_warning = scale_mismatch_message([Decimal(row.value) for row in preview.rows], stored_values)
    for row in preview.rows:
        row.scale_mismatch = bool(preview.scale_warning)


@transaction.atomic
def observations_upload_apply(
    *, indicator: Indicator, changes: list[dict], user, confirm_out_of_range: bool, confirm_scale: bool = False
) -> dict[str, int]:
    """Write a confirmed preview's changes in one transaction, or nothing if any figure moved since."""
    if not confirm_out_of_range and any(change["out_of_range"] for change in changes):
        raise ValidationError(
            {"confirm_out_of_range": ["Some values are outside the plausible range: confirm them to upload."]}
        )
    if not confirm_scale and any(change.get("scale_mismatch") for change in changes):
        raise ValidationError(
            {"confirm_scale": ["This file's values sit on another scale from the stored series: confirm the file."]}
        )
    periods = {datetime.date.fromisoformat(change["period"]) for change in changes}
    current_by_key = {
        (obs.geography_id, obs.period): obs
        for obs in Observation.objects.select_for_update().filter(indicator=indicator, period__in=periods)
    }
    conflicts = []
    for change in changes:
        current = current_by_key.get((change["geography_id"], datetime.date.fromisoformat(change["period"])))
        stored_version = None if current is None else current.version
        if stored_version != change["expected_version"]:
            now = "removed" if current is None else f"now {current.value.normalize():f} (version {current.version})"
            conflicts.append(RowProblem(change["row"], "value", f"changed since the preview: {now}"))
    if conflicts:
        raise UploadConflict(conflicts)

    created, revisions, corrected = [], [], []
    now = timezone.now()
    # The whole file is reviewed as one batch.
    batch, state = uuid.uuid4(), analyst_review_state()
    public_changed = state == Observation.ReviewState.PUBLISHED
    for change in changes:
        period = datetime.date.fromisoformat(change["period"])
        value = Decimal(change["value"])
        current = current_by_key.get((change["geography_id"], period))
        if current is None:
            created.append(
                Observation(
                    indicator=indicator,
                    geography_id=change["geography_id"],
                    period=period,
                    value=value,
                    citation=change["citation"],
                    note=change["note"],
                    origin=Observation.Origin.ANALYST,
                    entered_by=user,
                    review_state=state,
                    upload_batch=batch,
                )
            )
            continue
        public_changed = public_changed or observation_is_public(current)
        revisions.append(
            ObservationRevision.of(
                current, new_value=value, reason=ObservationRevision.Reason.ANALYST_CORRECTION, user=user
            )
        )
        observation_replace(
            current,
            value=value,
            citation=change["citation"],
            note=change["note"],
            origin=Observation.Origin.ANALYST,
            vintage="",
            user=user,
        )
        review_reset(current, state=state, batch=batch)
        current.updated_at = now  # bulk_update skips auto_now
        corrected.append(current)
    try:
        with transaction.atomic():
            Observation.objects.bulk_create(created, batch_size=1000)
    except IntegrityError:
        raise UploadConflict(
            [RowProblem(0, "period", "another upload or editor added some of these figures meanwhile")]
        ) from None
    ObservationRevision.objects.bulk_create(revisions, batch_size=1000)
    Observation.objects.bulk_update(
        corrected,
        [
            "value",
            "citation",
            "note",
            "origin",
            "vintage",
            "entered_by",
            "ingest_run",
            "version",
            "revision_count",
            "updated_at",
            "review_state",
            "upload_batch",
            "reviewed_by",
            "reviewed_at",
            "rejection_reason",
        ],
        batch_size=1000,
    )
    if (created or corrected) and public_changed:
        indicator_data_bump(indicator)
    return {
        "created": len(created),
        "corrected": len(corrected),
        "batch": batch,
        "pending": state == Observation.ReviewState.PENDING,
    }
