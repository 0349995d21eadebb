"""The one write core for observations: every writer (ingestion, analyst entry, upload, revert) goes through here.

It owns what a figure may be (the value limits and the plausible range), what "unchanged" means, how a new
value replaces a stored one (its ObservationRevision, `version`, the review state), and the batch statements
that write rows (COPY on PostgreSQL for new rows, one prepared UPDATE for changed ones) and bump
`Indicator.data_version`, which keys the pages' caches. The writers decide who may write what and when.
"""

import datetime
import re
from collections.abc import Callable
from decimal import Context, Decimal, InvalidOperation
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import F

from config.generations import site_generation_bump
from indicators.ingestion.records import FIGURE_FIELDS
from indicators.models import Indicator, Observation, ObservationRevision

Origin = Observation.Origin
State = Observation.ReviewState

# Observation.value is DecimalField(max_digits=24, decimal_places=6).
VALUE_DECIMAL_PLACES = 6
VALUE_INTEGER_DIGITS = 18
# SQLite keeps a decimal as a double and Django reads it back to 15 significant digits; data.json writes a float.
# Both keep 15 significant digits exactly, so a figure with more would be stored as some other number.
VALUE_SIGNIFICANT_DIGITS = 15
VINTAGE_MAX_LENGTH = 80
_STORED_STEP = Decimal(1).scaleb(-VALUE_DECIMAL_PLACES)
_LIMIT = Decimal(10) ** VALUE_INTEGER_DIGITS
_SQLITE_DIGITS = Context(prec=VALUE_SIGNIFICANT_DIGITS)
# Digits 0-9 only (re.ASCII), commas in groups of three before an optional dot, an optional exponent.
_NUMBER = re.compile(r"[+-]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)

# The columns a new row is written with, in the order `new_row` gives them (COPY takes them so).
NEW_FIELDS = (
    "indicator",
    "geography",
    "period",
    "value",
    "is_provisional",
    "is_estimated",
    "is_break",
    "vintage",
    "version",
    "origin",
    "ingest_run",
    "citation",
    "note",
    "revision_count",
    "created_at",
    "updated_at",
    "review_state",
    "rejection_reason",
    "withdrawal_reason",
    "entered_by",
    "upload_batch",
)
# Everything `figure_apply` and `review_reset` change on a stored row.
UPDATED_FIELDS = (
    *FIGURE_FIELDS,
    "origin",
    "ingest_run",
    "entered_by",
    "version",
    "revision_count",
    "withdrawn_by_source_at",
    "updated_at",
    "review_state",
    "upload_batch",
    "reviewed_by",
    "reviewed_at",
    "rejection_reason",
)
_NEW_ATTNAMES = tuple(Observation._meta.get_field(name).attname for name in NEW_FIELDS)


class Figure(NamedTuple):
    """What one write says about a figure: its value, flags and provenance (a tuple: the writer makes millions)."""

    value: Decimal
    citation: str
    origin: str
    note: str = ""
    vintage: str = ""
    is_provisional: bool = False
    is_estimated: bool = False
    is_break: bool = False


class ValueRefused(ValueError):
    """A number the column cannot hold; the message completes "value X ..." and `code` names the rule."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


# --- Values: what may be stored -----------------------------------------------------------------


def value_number(raw: object) -> Decimal:
    """A finite Decimal within the column's integer digits, from a Decimal, an int or a string."""
    if isinstance(raw, bool) or not isinstance(raw, Decimal | int | str):
        raise ValueRefused("is not a number", "invalid")
    try:
        number = raw if isinstance(raw, Decimal) else Decimal(raw)
    except InvalidOperation:
        raise ValueRefused("is not a number", "invalid") from None
    if not number.is_finite():
        raise ValueRefused("is not a finite number", "invalid")
    if abs(number) >= _LIMIT:
        raise ValueRefused("is too large to store", "too_large")
    return number


def source_value_reader() -> Callable[[object], Decimal]:
    """The function that rounds a published figure to what the column holds (ValueRefused says why it cannot).

    Built once per batch for the connection's database: on SQLite the figure is first rounded to 15
    significant digits, as SQLite will hold it; compared unrounded, every re-run would "revise" a figure
    such as 17734062645371.396 (stored as ...371.4).
    """
    if connection.vendor == "sqlite":
        return lambda raw: _SQLITE_DIGITS.plus(value_number(raw)).quantize(_STORED_STEP)
    return lambda raw: value_number(raw).quantize(_STORED_STEP)


def _number_text(text: str) -> str:
    """The typed number as Decimal reads it: ASCII digits, a dot for decimals, commas only between thousands.

    `1,5` and `1.234,5` are refused rather than guessed: read the European way they are another number.
    Python's Decimal would also take full-width digits and `1_0`; the rule here is what the message says.
    """
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    if not cleaned:
        raise ValidationError("Enter a number.", code="required")
    if _NUMBER.fullmatch(cleaned):
        return cleaned.replace(",", "")
    shown = cleaned[:40]
    if "," in cleaned and _NUMBER.fullmatch(cleaned.replace(",", "")):
        raise ValidationError(
            f"“{shown}” has ambiguous separators: a comma may only separate thousands (1,234.5). "
            "Write decimals with a dot and no other separator, like 1234.5.",
            code="separators",
        )
    raise ValidationError(
        f"“{shown}” is not a number: write digits 0-9 with a dot for decimals, like 1234.5.", code="invalid"
    )


def value_parse(text: str | Decimal | int | float) -> Decimal:
    """A figure a person typed, stored exactly or refused: never rounded behind their back (ValidationError)."""
    if isinstance(text, float):
        text = repr(text)
    if not isinstance(text, Decimal | int):
        text = _number_text(str(text))
    try:
        value = value_number(text)
    except ValueRefused as refused:
        raise ValidationError(f"“{str(text)[:40]}” {refused}.", code=refused.code) from None
    stored = value.quantize(_STORED_STEP)
    if stored != value:
        raise ValidationError(f"Use at most {VALUE_DECIMAL_PLACES} decimal places.", code="precision")
    significant = len(value.normalize().as_tuple().digits) if value else 0
    if significant > VALUE_SIGNIFICANT_DIGITS:
        raise ValidationError(
            f"Use at most {VALUE_SIGNIFICANT_DIGITS} significant digits ({significant} given): the database and the "
            "JSON download keep no more exactly. Round the figure.",
            code="precision",
        )
    return stored


def value_outside_plausible_range(indicator: Indicator, value: Decimal) -> bool:
    low, high = indicator.plausible_min, indicator.plausible_max
    return (low is not None and value < low) or (high is not None and value > high)


def plausible_range_label(indicator: Indicator) -> str:
    low, high = indicator.plausible_min, indicator.plausible_max
    if low is not None and high is not None:
        return f"{low.normalize():f} to {high.normalize():f} {indicator.unit}"
    if low is not None:
        return f"at least {low.normalize():f} {indicator.unit}"
    if high is not None:
        return f"at most {high.normalize():f} {indicator.unit}"
    return ""


def out_of_range_message(indicator: Indicator, value: Decimal) -> str:
    return (
        f"{value.normalize():f} is outside the plausible range ({plausible_range_label(indicator)}). "
        "Check the unit and scale, then confirm the value."
    )


# --- One figure: unchanged, replaced, reviewed ----------------------------------------------------


def figure_unchanged(stored, figure: Figure) -> bool:
    """Whether writing `figure` over `stored` (an Observation or its compared columns) would change nothing.

    The one definition for every writer. A figure is unchanged when the stored row is live (not withdrawn by
    its source) with the same value and the same provisional, estimated and break-in-series flags, and
    - for an analyst's write, the row is already that analyst claim: origin analyst, the same citation and
      note, and not rejected (saving a rejected figure again submits it for review again);
    - for a source's write (a pull or the snapshot), the row is a source's figure: a new vintage, citation or
      note alone is no change, so a pull that agrees with the bundled snapshot rewrites nothing.
    """
    if (stored.value, stored.is_provisional, stored.is_estimated, stored.is_break) != (
        figure.value,
        figure.is_provisional,
        figure.is_estimated,
        figure.is_break,
    ) or stored.withdrawn_by_source_at is not None:
        return False
    if figure.origin != Origin.ANALYST:
        return stored.origin != Origin.ANALYST
    return (
        stored.origin == Origin.ANALYST
        and stored.review_state != State.REJECTED
        and (stored.citation, stored.note) == (figure.citation, figure.note)
    )


def figure_apply(current: Observation, figure: Figure, *, reason: str, now, run=None, user=None) -> ObservationRevision:
    """Replace the stored figure in memory; returns the unsaved revision keeping what it held.

    Bumps `version` (which guards concurrent edits) and `revision_count`; a figure the source had withdrawn is
    current again. The caller writes both (observations_update, revisions_insert) in its transaction.
    """
    revision = ObservationRevision.of(current, new_value=figure.value, reason=reason, run=run, user=user)
    current.value = figure.value
    current.citation = figure.citation
    current.note = figure.note
    current.vintage = figure.vintage[:VINTAGE_MAX_LENGTH]
    current.is_provisional = figure.is_provisional
    current.is_estimated = figure.is_estimated
    current.is_break = figure.is_break
    current.origin = figure.origin
    current.ingest_run = run
    current.entered_by = user if figure.origin == Origin.ANALYST else None
    current.withdrawn_by_source_at = None
    current.version += 1
    current.revision_count += 1
    current.updated_at = now
    return revision


def review_state_for(origin: str) -> str:
    """An analyst's changed figure waits for review (unless review is off); a source's is public at once."""
    if origin == Origin.ANALYST and settings.OBSERVATION_REVIEW_REQUIRED:
        return State.PENDING
    return State.PUBLISHED


def review_reset(observation: Observation, *, state: str, batch=None) -> None:
    """Start a fresh review of a changed figure (unsaved): the last review was of another value."""
    observation.review_state = state
    observation.upload_batch = batch
    observation.reviewed_by = None
    observation.reviewed_at = None
    observation.rejection_reason = ""


def observation_is_public(observation: Observation) -> bool:
    return (
        observation.review_state == State.PUBLISHED
        and observation.withdrawn_by_source_at is None
        and observation.withdrawn_at is None
    )


def new_row(
    *,
    indicator_id: int,
    geography_id: int,
    period: datetime.date,
    figure: Figure,
    now,
    review_state: str,
    run_id: int | None = None,
    entered_by_id: int | None = None,
    upload_batch=None,
) -> tuple:
    """A new observation's columns in NEW_FIELDS order: version 1, never revised, its review state given."""
    return (
        indicator_id,
        geography_id,
        period,
        figure.value,
        figure.is_provisional,
        figure.is_estimated,
        figure.is_break,
        figure.vintage[:VINTAGE_MAX_LENGTH],
        1,
        figure.origin,
        run_id,
        figure.citation,
        figure.note,
        0,
        now,
        now,
        review_state,
        "",
        "",
        entered_by_id,
        upload_batch,
    )


def observation_from_row(row: tuple) -> Observation:
    """The unsaved Observation a new row describes (for one create, where the caller needs its id)."""
    return Observation(**dict(zip(_NEW_ATTNAMES, row, strict=True)))


# --- Batch statements ---------------------------------------------------------------------------


def observations_insert(rows: list[tuple]) -> None:
    """Insert new observations (rows from `new_row`): COPY on PostgreSQL, bulk_create elsewhere.

    The unique constraint on (indicator, geography, period) raises IntegrityError for a figure someone
    else stored meanwhile; the caller decides what that means.
    """
    if not rows:
        return
    if connection.vendor == "postgresql":
        columns = ", ".join(connection.ops.quote_name(Observation._meta.get_field(f).column) for f in NEW_FIELDS)
        table = connection.ops.quote_name(Observation._meta.db_table)
        with (
            connection.wrap_database_errors,  # psycopg's errors become Django's, as for any query
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    Observation.objects.bulk_create([observation_from_row(row) for row in rows], batch_size=settings.INGEST_CHUNK_SIZE)


def observations_update(observations: list[Observation]) -> None:
    """Write changed rows with one prepared UPDATE run for each (bulk_update's CASE per field costs far more)."""
    if not observations:
        return
    fields = [Observation._meta.get_field(name) for name in UPDATED_FIELDS]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    sql = f"UPDATE {quote(Observation._meta.db_table)} SET {assignments} WHERE {quote('id')} = %s"  # noqa: S608
    params = [
        [field.get_db_prep_save(getattr(observation, field.attname), connection) for field in fields] + [observation.pk]
        for observation in observations
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def revisions_insert(revisions: list[ObservationRevision]) -> None:
    ObservationRevision.objects.bulk_create(revisions, batch_size=settings.INGEST_CHUNK_SIZE)


def data_version_bump(*indicator_ids: int, **also) -> None:
    """Move the versions the caches are keyed by: the indicators' own, inside the writer's transaction, and the
    site generation every cached page holds (config/generations.py).

    `also` sets other columns of the indicators in the same statement (a pull's `last_success_at`).
    """
    Indicator.objects.filter(pk__in=indicator_ids).update(data_version=F("data_version") + 1, **also)
    site_generation_bump()
