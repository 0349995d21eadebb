"""Bulk upload of analyst figures: a preview that writes nothing, then one all-or-nothing write.

The file reader (entry/readers.py) turns a CSV or XLSX into rows of text; here those rows are checked
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
from indicators.services.observation_writes import (
    Figure,
    data_version_bump,
    figure_apply,
    figure_unchanged,
    new_row,
    observation_is_public,
    observations_insert,
    observations_update,
    review_reset,
    review_state_for,
    revisions_insert,
    value_outside_plausible_range,
    value_parse,
)
from indicators.services.observations import NOTE_MAX_LENGTH, Flags, citation_clean
from indicators.tasks import record_commitment_statuses

# The words the optional flags column takes, separated by semicolons (or commas): "provisional; break".
FLAG_WORDS = {"provisional": "is_provisional", "estimated": "is_estimated", "break": "is_break"}


def flags_text(flags: Flags) -> str:
    """The flags column's text for a figure, as the templates write it."""
    return "; ".join(word for word, name in FLAG_WORDS.items() if getattr(flags, name))


def flags_parse(text: str) -> Flags:
    """The flags a cell names; ValueError says which word is not one (a blank cell is no flag)."""
    names = set()
    for word in text.replace(",", ";").split(";"):
        word = word.strip().lower()
        if not word:
            continue
        if word not in FLAG_WORDS:
            raise ValueError(
                f"“{word[:40]}” is not a flag: write provisional, estimated or break, separated by semicolons "
                "(or leave the cell blank for none)"
            )
        names.add(FLAG_WORDS[word])
    return Flags(*(name in names for name in Flags._fields))


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
    is_provisional: bool = False
    is_estimated: bool = False
    is_break: bool = False


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


# The stored columns the preview compares a row with (figure_unchanged reads them by name).
_STORED_COLUMNS = (
    "geography_id",
    "period",
    "value",
    "citation",
    "note",
    "origin",
    "version",
    "review_state",
    "withdrawn_by_source_at",
    "is_provisional",
    "is_estimated",
    "is_break",
)


@dataclass
class _CheckedRow:
    """One row's fields once every column has been checked; `problems` is empty when it can be written."""

    number: int
    problems: list[RowProblem] = field(default_factory=list)
    geography: Geography | None = None
    period: datetime.date | None = None
    value: Decimal | None = None
    citation: str = ""
    note: str = ""
    flags: Flags | None = None  # None when the file has no flags column: the stored flags stay


def _row_check(raw: dict, number: int, *, indicator: Indicator, geography_for, today) -> _CheckedRow:
    """Every column of one row checked, each problem named by row and column."""
    row = _CheckedRow(number)
    row.geography, reason = geography_for(raw.get("geography") or "")
    if row.geography is None:
        row.problems.append(RowProblem(number, "geography", reason))
    try:
        row.period = parse_period(raw.get("period") or "", indicator.frequency)
        check_period_over(row.period, indicator.frequency, today=today)
    except PeriodError as error:
        row.problems.append(RowProblem(number, "period", str(error)))
    try:
        row.value = value_parse(raw.get("value") or "")
    except ValidationError as error:
        row.problems.append(RowProblem(number, "value", " ".join(error.messages)))
    try:
        row.citation = citation_clean(raw.get("citation") or "")
    except ValidationError as error:
        row.problems.append(RowProblem(number, "citation", " ".join(error.messages)))
    row.note = (raw.get("note") or "").strip()
    if len(row.note) > NOTE_MAX_LENGTH:
        row.problems.append(RowProblem(number, "note", f"keep notes under {NOTE_MAX_LENGTH} characters"))
    if "flags" in raw:
        try:
            row.flags = flags_parse(raw["flags"] or "")
        except ValueError as error:
            row.problems.append(RowProblem(number, "flags", str(error)))
    return row


def _preview_row(indicator: Indicator, row: _CheckedRow, current) -> PreviewRow:
    """The row as the preview shows it and the confirmation writes it; without a flags column, flags stay as stored."""
    preview_row = PreviewRow(
        row=row.number,
        geography_id=row.geography.pk,
        geography_code=row.geography.code,
        period=row.period.isoformat(),
        period_label=format_period(row.period, indicator.frequency),
        value=f"{row.value.normalize():f}",
        citation=row.citation,
        note=row.note,
        status=RowStatus.NEW,
        out_of_range=value_outside_plausible_range(indicator, row.value),
        current_value=None if current is None else f"{current.value.normalize():f}",
        expected_version=None if current is None else current.version,
    )
    flags = row.flags
    if flags is None and current is not None:
        flags = Flags(current.is_provisional, current.is_estimated, current.is_break)
    if flags is not None:
        preview_row.is_provisional, preview_row.is_estimated, preview_row.is_break = flags
    if current is not None:
        unchanged = figure_unchanged(current, _change_figure(asdict(preview_row)))
        preview_row.status = RowStatus.UNCHANGED if unchanged else RowStatus.CHANGED
    return preview_row


def observations_upload_preview(*, indicator: Indicator, rows: list[dict[str, str]]) -> UploadPreview:
    """Check every row and compare it with what is stored: two queries whatever the file's size.

    `rows` map column names to text, with the spreadsheet row number under "_row" (else their position
    after the header row).
    """
    geography_for = _geography_resolver(indicator)
    today = timezone.localdate()
    stored = {
        (obs.geography_id, obs.period): obs
        for obs in Observation.objects.filter(indicator=indicator).values_list(*_STORED_COLUMNS, named=True)
    }
    preview = UploadPreview()
    seen: dict[tuple[int, datetime.date], int] = {}
    for position, raw in enumerate(rows, start=2):
        number = raw.get("_row", position)
        row = _row_check(raw, number, indicator=indicator, geography_for=geography_for, today=today)
        if row.geography is not None and row.period is not None:
            first = seen.setdefault((row.geography.pk, row.period), number)
            if first != number:
                row.problems.append(
                    RowProblem(number, "period", f"row {first} already gives this geography and period")
                )
        if row.problems:
            preview.problems.extend(row.problems)
            continue
        preview.rows.append(_preview_row(indicator, row, stored.get((row.geography.pk, row.period))))
    _flag_scale(preview, stored)
    return preview


def _flag_scale(preview: UploadPreview, stored: dict) -> None:
    """Mark a file whose values sit on another scale than the stored figures of its geographies."""
    geographies = {row.geography_id for row in preview.rows}
    stored_values = [float(obs.value) for (geography_id, _), obs in stored.items() if geography_id in geographies]
    preview.scale_warning = scale_mismatch_message([Decimal(row.value) for row in preview.rows], stored_values)
    for row in preview.rows:
        row.scale_mismatch = bool(preview.scale_warning)


def _change_figure(change: dict) -> Figure:
    """The figure a kept preview row says, as an analyst's write."""
    return Figure(
        Decimal(change["value"]),
        change["citation"],
        Observation.Origin.ANALYST,
        change["note"],
        "",
        change.get("is_provisional", False),
        change.get("is_estimated", False),
        change.get("is_break", False),
    )


def _confirmations_check(changes: list[dict], *, confirm_out_of_range: bool, confirm_scale: bool) -> None:
    if not confirm_out_of_range and any(change["out_of_range"] for change in changes):
        raise ValidationError(
            {"confirm_out_of_range": ["Some values are outside the plausible range: confirm them to upload."]}
        )
    if not confirm_scale and any(change.get("scale_mismatch") for change in changes):
        raise ValidationError(
            {"confirm_scale": ["This file's values sit on another scale from the stored series: confirm the file."]}
        )


def _locked_current(indicator: Indicator, changes: list[dict]) -> dict:
    """The stored figures the changes touch, locked; any that moved since the preview refuse the whole file."""
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
    return current_by_key


@transaction.atomic
def observations_upload_apply(
    *, indicator: Indicator, changes: list[dict], user, confirm_out_of_range: bool, confirm_scale: bool = False
) -> dict[str, int]:
    """Write a confirmed preview's changes in one transaction, or nothing if any figure moved since.

    New figures and corrections go through the write core's batch statements; the whole file is one review batch.
    """
    _confirmations_check(changes, confirm_out_of_range=confirm_out_of_range, confirm_scale=confirm_scale)
    current_by_key = _locked_current(indicator, changes)
    created, revisions, corrected = [], [], []
    now = timezone.now()
    batch, state = uuid.uuid4(), review_state_for(Observation.Origin.ANALYST)
    public_changed = state == Observation.ReviewState.PUBLISHED
    for change in changes:
        key = (change["geography_id"], datetime.date.fromisoformat(change["period"]))
        figure, current = _change_figure(change), current_by_key.get(key)
        if current is None:
            created.append(
                new_row(
                    indicator_id=indicator.pk,
                    geography_id=key[0],
                    period=key[1],
                    figure=figure,
                    now=now,
                    review_state=state,
                    entered_by_id=user.pk,
                    upload_batch=batch,
                )
            )
            continue
        public_changed = public_changed or observation_is_public(current)
        reason = ObservationRevision.Reason.ANALYST_CORRECTION
        revisions.append(figure_apply(current, figure, reason=reason, now=now, user=user))
        review_reset(current, state=state, batch=batch)
        corrected.append(current)
    try:
        with transaction.atomic():
            observations_insert(created)
    except IntegrityError:
        raise UploadConflict(
            [RowProblem(0, "period", "another upload or editor added some of these figures meanwhile")]
        ) from None
    revisions_insert(revisions)
    observations_update(corrected)
    if (created or corrected) and public_changed:
        data_version_bump(indicator.pk)
        record_commitment_statuses.delay_on_commit()
    return {
        "created": len(created),
        "corrected": len(corrected),
        "batch": batch,
        "pending": state == Observation.ReviewState.PENDING,
    }
