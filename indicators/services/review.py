"""A second pair of eyes on analysts' figures: approve or reject a pending value or upload, withdraw and restore.

A figure an analyst enters or uploads is pending until a different analyst or an admin approves it
(OBSERVATION_REVIEW_REQUIRED turns this off for a one-person deployment). Nobody approves their own work.
`Indicator.data_version` is bumped exactly when what `Observation.objects.public()` returns changes.
"""

import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from indicators.models import Observation
from indicators.services.observation_writes import data_version_bump
from indicators.tasks import record_commitment_statuses

REASON_MAX_LENGTH = 2000
State = Observation.ReviewState


def review_required() -> bool:
    return settings.OBSERVATION_REVIEW_REQUIRED


def _reason_clean(reason: str) -> str:
    cleaned = (reason or "").strip()
    if not cleaned:
        raise ValidationError({"reason": ["Give the reason, so the analyst knows what to fix."]})
    if len(cleaned) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": [f"Keep the reason under {REASON_MAX_LENGTH} characters."]})
    return cleaned


def _refuse_own(observations, user, *, who: str = "entered_by_id") -> None:
    if any(getattr(observation, who) == user.pk for observation in observations):
        raise PermissionDenied("Nobody reviews their own figures: ask another analyst or an admin.")


def _pending(queryset) -> list[Observation]:
    pending = list(
        queryset.select_for_update().filter(review_state=State.PENDING).select_related("indicator").order_by("pk")
    )
    if not pending:
        raise ValidationError("Nothing here is waiting for review (someone may have reviewed it already).")
    return pending


def _published_data_moved(*indicator_ids: int) -> None:
    """Published figures changed: the indicators' caches move and the commitments' statuses are recomputed."""
    data_version_bump(*indicator_ids)
    record_commitment_statuses.delay_on_commit()


def _public_change_saved(observation: Observation) -> Observation:
    """Save a figure that left or rejoined the public pages, and move what reads published data."""
    observation.save()
    _published_data_moved(observation.indicator_id)
    return observation


def _decide(pending: list[Observation], *, user, state: str, reason: str = "") -> int:
    now = timezone.now()
    Observation.objects.filter(pk__in=[observation.pk for observation in pending]).update(
        review_state=state, reviewed_by=user, reviewed_at=now, rejection_reason=reason, updated_at=now
    )
    if state == State.PUBLISHED:
        _published_data_moved(*{observation.indicator_id for observation in pending})
    return len(pending)


@transaction.atomic
def observation_approve(*, observation_id: int, user) -> int:
    """Publish one pending figure entered by someone else."""
    pending = _pending(Observation.objects.filter(pk=observation_id, upload_batch__isnull=True))
    _refuse_own(pending, user)
    return _decide(pending, user=user, state=State.PUBLISHED)


@transaction.atomic
def observation_reject(*, observation_id: int, user, reason: str) -> int:
    """Keep a pending figure off public pages, saying why; it stays in the workspace to be corrected."""
    reason = _reason_clean(reason)
    pending = _pending(Observation.objects.filter(pk=observation_id, upload_batch__isnull=True))
    _refuse_own(pending, user)
    return _decide(pending, user=user, state=State.REJECTED, reason=reason)


@transaction.atomic
def batch_approve(*, batch: uuid.UUID, user) -> int:
    """Publish every pending figure of one upload together."""
    pending = _pending(Observation.objects.filter(upload_batch=batch))
    _refuse_own(pending, user)
    return _decide(pending, user=user, state=State.PUBLISHED)


@transaction.atomic
def batch_reject(*, batch: uuid.UUID, user, reason: str) -> int:
    reason = _reason_clean(reason)
    pending = _pending(Observation.objects.filter(upload_batch=batch))
    _refuse_own(pending, user)
    return _decide(pending, user=user, state=State.REJECTED, reason=reason)


@transaction.atomic
def withdrawal_propose(*, observation_id: int, user, reason: str) -> Observation:
    """Ask for a public figure to be taken down; it stays public until someone else approves."""
    reason = _reason_clean(reason)
    observation = Observation.objects.select_for_update().get(pk=observation_id)
    if not Observation.objects.public().filter(pk=observation.pk).exists():
        raise ValidationError("Only a published figure can be withdrawn.")
    if withdrawals_pending().filter(pk=observation.pk).exists():
        raise ValidationError("A withdrawal of this figure is already waiting for review.")
    observation.withdrawal_reason = reason
    observation.withdrawal_proposed_by = user
    observation.withdrawal_proposed_at = timezone.now()
    observation.withdrawal_approved_by = None
    observation.restored_by = observation.restored_at = None
    observation.withdrawal_declined_by = observation.withdrawal_declined_at = None
    observation.withdrawal_decline_reason = ""
    observation.save()
    return observation


def withdrawals_pending():
    """Proposed withdrawals nobody has approved or declined yet (an approved one leaves the public figures)."""
    return Observation.objects.public().filter(
        withdrawal_proposed_at__isnull=False, restored_at__isnull=True, withdrawal_declined_at__isnull=True
    )


@transaction.atomic
def withdrawal_approve(*, observation_id: int, user) -> Observation:
    """Take the figure off public pages and downloads; who asked, who approved and why stay on the row."""
    observation = withdrawals_pending().select_for_update().select_related("indicator").filter(pk=observation_id)
    observation = observation.first()
    if observation is None:
        raise ValidationError("No withdrawal of this figure is waiting for review.")
    _refuse_own([observation], user, who="withdrawal_proposed_by_id")
    observation.withdrawal_approved_by = user
    observation.withdrawn_at = timezone.now()
    return _public_change_saved(observation)


@transaction.atomic
def withdrawal_decline(*, observation_id: int, user, reason: str) -> Observation:
    """Keep the figure public: the proposal leaves the queue, and who declined it and why stay on the row."""
    reason = _reason_clean(reason)
    observation = withdrawals_pending().select_for_update().filter(pk=observation_id).first()
    if observation is None:
        raise ValidationError("No withdrawal of this figure is waiting for review.")
    _refuse_own([observation], user, who="withdrawal_proposed_by_id")
    observation.withdrawal_declined_by = user
    observation.withdrawal_declined_at = timezone.now()
    observation.withdrawal_decline_reason = reason
    observation.save(
        update_fields=["withdrawal_declined_by", "withdrawal_declined_at", "withdrawal_decline_reason", "updated_at"]
    )
    return observation


@transaction.atomic
def withdrawal_restore(*, observation_id: int, user) -> Observation:
    """An admin puts a withdrawn figure back; the withdrawal's who, when and why stay recorded."""
    if not (user.is_staff and user.has_perm("indicators.change_indicator")):
        raise PermissionDenied("Only an admin restores a withdrawn figure.")
    observation = Observation.objects.select_for_update().select_related("indicator").get(pk=observation_id)
    if observation.withdrawn_at is None:
        raise ValidationError("This figure is not withdrawn.")
    observation.withdrawn_at = None
    observation.restored_by = user
    observation.restored_at = timezone.now()
    return _public_change_saved(observation)
