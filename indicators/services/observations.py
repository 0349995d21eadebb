"""Analysts' writes to observations: record a value, correct it, revert a change.

Every replaced value goes into ObservationRevision (the one history shared with source revisions),
every write bumps `Observation.version` (which guards concurrent edits) and `Indicator.data_version`
(which keys the page and chart caches), all in the caller's one transaction.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from indicators.models import Geography, Indicator, Observation, ObservationRevision
from indicators.periods import PeriodError, check_period_over, check_period_start, format_period
from indicators.services.guards import series_outlier
from indicators.services.observation_writes import (
    Figure,
    data_version_bump,
    figure_apply,
    figure_unchanged,
    new_row,
    observation_from_row,
    observation_is_public,
    observations_update,
    out_of_range_message,
    review_reset,
    review_state_for,
    revisions_insert,
    value_outside_plausible_range,
    value_parse,
)
from indicators.tasks import record_commitment_statuses
from tasks.validators import http_url_check

CITATION_MAX_LENGTH = 1000
CITATION_MIN_LENGTH = 8
NOTE_MAX_LENGTH = 2000

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


def citation_clean(text: str) -> str:
    """An http(s) URL, or a document reference long enough to find the document again."""
    cleaned = " ".join((text or "").split())
    if not cleaned:
        raise ValidationError("Cite the source: an http(s) URL or a document reference.", code="required")
    if len(cleaned) > CITATION_MAX_LENGTH:
        raise ValidationError(f"Keep the citation under {CITATION_MAX_LENGTH} characters.", code="too_long")
    if _LOOKS_LIKE_LINK.match(cleaned):
        http_url_check(cleaned)
        return cleaned
    if len(cleaned) < CITATION_MIN_LENGTH or not any(ch.isalpha() for ch in cleaned):
        raise ValidationError(
            "A document reference names the document: issuer, title and date, or its number.", code="too_short"
        )
    return cleaned


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


class Flags(NamedTuple):
    """The flags an analyst sets on a figure, in Figure's order; charts and tables mark each."""

    is_provisional: bool = False
    is_estimated: bool = False
    is_break: bool = False


NO_FLAGS = Flags()


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
    flags: Flags = NO_FLAGS,
    confirm_out_of_range: bool = False,
    origin: str = Observation.Origin.ANALYST,
    vintage: str = "",
) -> RecordResult:
    """Add a figure, or correct the stored one if the editor saw its current version.

    `expected_version` is the version the editor loaded, None when they saw no figure for this period;
    anything else stored now raises ObservationConflict, so nobody overwrites a value they have not seen.
    A change of flags alone is a correction too, with its revision.
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
    figure = Figure(value, citation_clean(citation), origin, (note or "").strip(), vintage, *flags)
    current = (
        Observation.objects.select_for_update().filter(indicator=indicator, geography=geography, period=period).first()
    )
    if current is None:
        if expected_version is not None:
            raise ObservationConflict(None)
        return RecordResult(_observation_create(indicator, geography, period, figure, user), Outcome.CREATED)
    if expected_version != current.version:
        raise ObservationConflict(current)
    if figure_unchanged(current, figure):
        return RecordResult(current, Outcome.UNCHANGED)
    was_public = observation_is_public(current)
    reason = ObservationRevision.Reason.ANALYST_CORRECTION
    revision = figure_apply(current, figure, reason=reason, now=timezone.now(), user=user)
    review_reset(current, state=review_state_for(origin))
    revisions_insert([revision])
    observations_update([current])
    if was_public or observation_is_public(current):
        data_version_bump(indicator.pk)
        record_commitment_statuses.delay_on_commit()
    return RecordResult(current, Outcome.CORRECTED)


def _observation_create(indicator, geography, period, figure: Figure, user) -> Observation:
    """Insert one new figure; another editor creating it first is a conflict showing theirs."""
    row = new_row(
        indicator_id=indicator.pk,
        geography_id=geography.pk,
        period=period,
        figure=figure,
        now=timezone.now(),
        review_state=review_state_for(figure.origin),
        entered_by_id=user.pk if figure.origin == Observation.Origin.ANALYST else None,
    )
    observation = observation_from_row(row)
    try:
        with transaction.atomic():
            observation.save(force_insert=True)
    except IntegrityError:
        # Another editor created it between our read and our insert.
        raise ObservationConflict(
            Observation.objects.get(indicator=indicator, geography=geography, period=period)
        ) from None
    if observation_is_public(observation):
        data_version_bump(indicator.pk)
        record_commitment_statuses.delay_on_commit()
    return observation


@transaction.atomic
def observation_revert(*, revision: ObservationRevision, user, expected_version: int) -> Observation:
    """Put back the figure a revision replaced (value, flags, provenance), keeping the one it replaces in history."""
    current = Observation.objects.select_for_update().select_related("indicator").get(pk=revision.observation_id)
    if current.version != expected_version:
        raise ObservationConflict(current)
    figure = Figure(
        revision.old_value,
        # Revisions recorded before citations were kept have none; the figure keeps its current one then.
        revision.old_citation or current.citation,
        revision.old_origin,
        current.note,
        revision.old_vintage,
        revision.old_is_provisional,
        revision.old_is_estimated,
        revision.old_is_break,
    )
    if figure_unchanged(current, figure):
        raise ValidationError("The observation already holds that value; there is nothing to revert.")
    reason = ObservationRevision.Reason.REVERT
    revisions_insert([figure_apply(current, figure, reason=reason, now=timezone.now(), user=user)])
    observations_update([current])
    data_version_bump(current.indicator_id)
    record_commitment_statuses.delay_on_commit()
    return current


def observation_label(observation: Observation) -> str:
    """'China 2023-Q2' for messages."""
    return f"{observation.geography.name_en} {format_period(observation.period, observation.indicator.frequency)}"
