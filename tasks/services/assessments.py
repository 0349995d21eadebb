"""Analysts' assessments of commitments. Each is a new record: earlier judgements stay visible."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from tasks.models import Assessment, Commitment, ProgressStatus

MAX_EVIDENCE_LINKS = 20
_http_url = URLValidator(schemes=["http", "https"])
# Characters RFC 3986 never allows unencoded; a link holding them is pasted markup, not an address.
_UNSAFE_IN_URL = re.compile(r"[<>\"'`{}|\\^]")


def evidence_links_clean(links: list[str]) -> list[str]:
    """Each link a complete http(s) URL; blanks dropped, duplicates kept once, order kept."""
    cleaned: list[str] = []
    bad: list[str] = []
    for link in links:
        link = link.strip()
        if not link:
            continue
        try:
            _http_url(link)
        except ValidationError:
            bad.append(link)
            continue
        if _UNSAFE_IN_URL.search(link):
            bad.append(link)
            continue
        if link not in cleaned:
            cleaned.append(link)
    if bad:
        raise ValidationError(
            "Links must be complete http:// or https:// URLs: %(links)s", params={"links": ", ".join(bad)}
        )
    if len(cleaned) > MAX_EVIDENCE_LINKS:
        raise ValidationError(f"Give at most {MAX_EVIDENCE_LINKS} links.")
    return cleaned


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
    return assessment
