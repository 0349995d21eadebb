"""Analysts' writes to observations: record a value, correct it, revert a change.

Every replaced value goes into ObservationRevision (the one history shared with source revisions),
every write bumps `Observation.version` (which guards concurrent edits) and `Indicator.data_version`
(which keys the page and chart caches), all in the caller's one transaction.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from indicators.models import Geography, Indicator, Observation, ObservationRevision
from indicators.periods import PeriodError, check_period_over, check_period_start, format_period
from indicators.services.guards import series_outlier

CITATION_MAX_LENGTH = 1000
CITATION_MIN_LENGTH = 8
NOTE_MAX_LENGTH = 2000
# Observation.value is DecimalField(max_digits=24, decimal_places=6).
VALUE_DECIMAL_PLACES = 6
VALUE_INTEGER_DIGITS = 18
# SQLite keeps a decimal as a double and Django reads it back to 15 significant digits; data.json writes a float.
# Both keep 15 significant digits exactly, so a figure with more would be stored as some other number.
VALUE_SIGNIFICANT_DIGITS = 15
_STORED_STEP = Decimal(1).scaleb(-VALUE_DECIMAL_PLACES)

# Digits 0-9 only (re.ASCII), commas in groups of three before an optional dot, an optional exponent.
_NUMBER = re.compile(r"[+-]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_http_url = URLValidator(schemes=["http", "https"])
# Characters RFC 3986 never allows unencoded; a link holding them is pasted markup, not an address.
_UNSAFE_IN_URL = re.compile(r"[<>\"'`{}|\\^]")
# A citation that starts like a link must be an http(s) link; anything else is a document reference.
_LOOKS_LIKE_LINK = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|www\.|(?:javascript|data|vbscript|file|mailto):)", re.I)


class Outcome(StrEnum):
    CREATED = "created"
    CORRECTED = "corrected"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class RecordResult:
    observation: Observation
    outcome: Outcome


class ObservationConflict(Exception):
    """Someone saved this figure after the editor loaded it; `current` is what is stored now (None if removed)."""

    def __init__(self, current: Observation | None):
        self.current = current
        if current is None:
            message = (
                "No value is stored for this geography and period now (it was removed, or you changed the "
                "geography or period of a correction); nothing was saved. Save again to add it as a new value."
            )
        else:
            message = (
                f"Someone saved a newer value while you were editing: {current.value.normalize():f} "
                f"(version {current.version}, cited as “{current.citation}”). Your value was not saved."
            )
        super().__init__(message)


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
    """A finite number the Observation column can hold; ValidationError says why not."""
    if isinstance(text, float):
        text = repr(text)
    if isinstance(text, Decimal | int):
        value = Decimal(text)
    else:
        cleaned = _number_text(str(text))
        try:
            value = Decimal(cleaned)
        except InvalidOperation as error:
            raise ValidationError(f"“{cleaned[:40]}” is not a number.", code="invalid") from error
    if not value.is_finite():
        raise ValidationError("Enter a finite number.", code="invalid")
    if abs(value) >= Decimal(10) ** VALUE_INTEGER_DIGITS:
        raise ValidationError("The number is too large to store.", code="too_large")
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


def citation_clean(text: str) -> str:
    """An http(s) URL, or a document reference long enough to find the document again."""
    cleaned = " ".join((text or "").split())
    if not cleaned:
        raise ValidationError("Cite the source: an http(s) URL or a document reference.", code="required")
    if len(cleaned) > CITATION_MAX_LENGTH:
        raise ValidationError(f"Keep the citation under {CITATION_MAX_LENGTH} characters.", code="too_long")
    if _LOOKS_LIKE_LINK.match(cleaned):
        try:
            _http_url(cleaned)
        except ValidationError as error:
            raise ValidationError("A link must be a complete http:// or https:// URL.", code="scheme") from error
        if _UNSAFE_IN_URL.search(cleaned):
            raise ValidationError("A link cannot contain < > \" ' ` { } | \\ or ^; encode them.", code="scheme")
        return cleaned
    if len(cleaned) < CITATION_MIN_LENGTH or not any(ch.isalpha() for ch in cleaned):
        raise ValidationError(
            "A document reference names the document: issuer, title and date, or its number.", code="too_short"
        )
    return cleaned


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


def observation_check(
    *,
    indicator: Indicator,
    geography: Geography,
    period: datetime.date,
    value: Decimal,
    citation: str,
    confirm_out_of_range: bool,
) -> dict[str, list[str]]:
    """The rules every analyst write obeys, as field → messages (empty when all hold).

    A value outside the plausible range, or far outside its own series, is written only once confirmed.
    """
    errors: dict[str, list[str]] = {}
    try:
        check_period_start(period, indicator.frequency)
        check_period_over(period, indicator.frequency, today=timezone.localdate())
    except PeriodError as error:
        errors["period"] = [str(error)]
    if not confirm_out_of_range:
        unconfirmed = []
        if value_outside_plausible_range(indicator, value):
            unconfirmed.append(out_of_range_message(indicator, value))
        if outlier := series_outlier(indicator=indicator, geography=geography, period=period, value=value):
            unconfirmed.append(outlier.message)
        if unconfirmed:
            errors["confirm_out_of_range"] = unconfirmed
    try:
        citation_clean(citation)
    except ValidationError as error:
        errors["citation"] = error.messages
    return errors


def analyst_review_state(origin: str = Observation.Origin.ANALYST) -> str:
    """An analyst's changed figure waits for review (unless review is off); a source's is public at once."""
    if origin == Observation.Origin.ANALYST and settings.OBSERVATION_REVIEW_REQUIRED:
        return Observation.ReviewState.PENDING
    return Observation.ReviewState.PUBLISHED


def review_reset(observation: Observation, *, state: str, batch=None) -> None:
    """Start a fresh review of a changed figure (unsaved): the last review was of another value."""
    observation.review_state = state
    observation.upload_batch = batch
    observation.reviewed_by = None
    observation.reviewed_at = None
    observation.rejection_reason = ""


def observation_is_public(observation: Observation) -> bool:
    return (
        observation.review_state == Observation.ReviewState.PUBLISHED
        and observation.withdrawn_by_source_at is None
        and observation.withdrawn_at is None
    )


def indicator_data_bump(indicator: Indicator) -> None:
    Indicator.objects.filter(pk=indicator.pk).update(data_version=F("data_version") + 1)


def observation_replace(current: Observation, *, value, citation, note, origin, vintage, user) -> None:
    current.value = value
    current.citation = citation
    current.note = note
    current.origin = origin
    current.vintage = vintage
    current.entered_by = user if origin == Observation.Origin.ANALYST else None
    current.ingest_run = None
    current.version += 1
    current.revision_count += 1


@transaction.atomic
def observation_record(
    *,
    indicator: Indicator,
    geography: Geography,
    period: datetime.date,
    value: Decimal,
    citation: str,
    user,
    expected_version: int | None = None,
    note: str = "",
    confirm_out_of_range: bool = False,
    origin: str = Observation.Origin.ANALYST,
    vintage: str = "",
) -> RecordResult:
    """Add a figure, or correct the stored one if the editor saw its current version.

    `expected_version` is the version the editor loaded, None when they saw no figure for this period;
    anything else stored now raises ObservationConflict, so nobody overwrites a value they have not seen.
    """
    value = value_parse(value)
    errors = observation_check(
        indicator=indicator,
        geography=geography,
        period=period,
        value=value,
        citation=citation,
        confirm_out_of_range=confirm_out_of_range,
    )
    if errors:
        raise ValidationError(errors)
    citation = citation_clean(citation)
    note = (note or "").strip()
    current = (
        Observation.objects.select_for_update().filter(indicator=indicator, geography=geography, period=period).first()
    )
    if current is None:
        if expected_version is not None:
            raise ObservationConflict(None)
        try:
            with transaction.atomic():
                observation = Observation.objects.create(
                    indicator=indicator,
                    geography=geography,
                    period=period,
                    value=value,
                    citation=citation,
                    note=note,
                    origin=origin,
                    vintage=vintage,
                    entered_by=user if origin == Observation.Origin.ANALYST else None,
                    review_state=analyst_review_state(origin),
                )
        except IntegrityError:
            # Another editor created it between our read and our insert.
            raise ObservationConflict(
                Observation.objects.get(indicator=indicator, geography=geography, period=period)
            ) from None
        if observation_is_public(observation):
            indicator_data_bump(indicator)
        return RecordResult(observation, Outcome.CREATED)
    if expected_version != current.version:
        raise ObservationConflict(current)
    if (
        current.value == value
        and current.citation == citation
        and current.note == note
        and current.origin == origin
        and current.review_state != Observation.ReviewState.REJECTED
    ):
        return RecordResult(current, Outcome.UNCHANGED)
    was_public = observation_is_public(current)
    ObservationRevision.of(
        current, new_value=value, reason=ObservationRevision.Reason.ANALYST_CORRECTION, user=user
    ).save()
    observation_replace(current, value=value, citation=citation, note=note, origin=origin, vintage=vintage, user=user)
    review_reset(current, state=analyst_review_state(origin))
    current.save()
    if was_public or observation_is_public(current):
        indicator_data_bump(indicator)
    return RecordResult(current, Outcome.CORRECTED)


@transaction.atomic
def observation_revert(*, revision: ObservationRevision, user, expected_version: int) -> Observation:
    """Put back the value a revision replaced, keeping the value it replaces in history too."""
    current = Observation.objects.select_for_update().select_related("indicator").get(pk=revision.observation_id)
    if current.version != expected_version:
        raise ObservationConflict(current)
    if current.value == revision.old_value and current.citation == (revision.old_citation or current.citation):
        raise ValidationError("The observation already holds that value; there is nothing to revert.")
    ObservationRevision.of(
        current, new_value=revision.old_value, reason=ObservationRevision.Reason.REVERT, user=user
    ).save()
    observation_replace(
        current,
        value=revision.old_value,
        # Revisions recorded before citations were kept have none; the figure keeps its current one then.
        citation=revision.old_citation or current.citation,
        note=current.note,
        origin=revision.old_origin,
        vintage=revision.old_vintage,
        user=user,
    )
    current.save()
    indicator_data_bump(current.indicator)
    return current


def observation_label(observation: Observation) -> str:
    """'China 2023-Q2' for messages."""
    return f"{observation.geography.name_en} {format_period(observation.period, observation.indicator.frequency)}"
