"""Analysts' assessments of commitments. Each is a new record: earlier judgements stay visible."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from config.generations import site_generation_bump
from tasks.models import Assessment, Commitment, ProgressStatus
from tasks.validators import evidence_links_clean


@transaction.atomic
def commitment_assess(
    *,
    commitment: Commitment,
    status: str,
    note: str,
    evidence_links: list[str],
    assessed_on: datetime.date,
    user,
) -> Assessment:
    """Record a judgement of a commitment with its evidence; simple-history keeps every later edit."""
    errors: dict[str, list[str]] = {}
    if status not in ProgressStatus.values:
        errors["status"] = [f"Unknown status {status!r}."]
    if not (note or "").strip():
        errors["note"] = ["Say what the evidence shows."]
    try:
        evidence_links = evidence_links_clean(evidence_links)
    except ValidationError as error:
        errors["evidence_links"] = error.messages
    if assessed_on > timezone.localdate():
        errors["assessed_on"] = ["An assessment cannot be dated in the future."]
    if errors:
        raise ValidationError(errors)
    assessment = Assessment(
        commitment=commitment,
        status=status,
        note=note.strip(),
        evidence_links=evidence_links,
        assessed_on=assessed_on,
        assessed_by=user,
    )
    assessment.full_clean()
    assessment.save()
    site_generation_bump()
    return assessment
