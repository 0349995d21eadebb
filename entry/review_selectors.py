"""What waits for a second pair of eyes: single figures, upload batches and proposed withdrawals."""

from dataclasses import dataclass

from django.db.models import BooleanField, Count, ExpressionWrapper, Max, Min, Q, QuerySet

from indicators.models import Observation
from indicators.services.review import withdrawals_pending

State = Observation.ReviewState


@dataclass(frozen=True)
class PendingBatch:
    batch: str
    indicator_name: str
    entered_by: str
    count: int
    first_period: object
    last_period: object
    uploaded_at: object
    mine: bool


def _mine(user, author: str) -> ExpressionWrapper:
    """Whether the reviewer is the row's author, who may not review it."""
    return ExpressionWrapper(Q(**{author: user.pk}), output_field=BooleanField())


def pending_observations(*, user) -> QuerySet[Observation]:
    """Figures entered one by one and waiting for review, oldest first, each saying whether it is `user`'s own."""
    return (
        Observation.objects.filter(review_state=State.PENDING, upload_batch__isnull=True)
        .select_related("indicator", "geography", "entered_by")
        .annotate(mine=_mine(user, "entered_by_id"))
        .order_by("updated_at", "pk")
    )


def pending_batches(*, user) -> list[PendingBatch]:
    """Uploads waiting for review, one row per file, in one query."""
    rows = (
        Observation.objects.filter(review_state=State.PENDING, upload_batch__isnull=False)
        .values("upload_batch", "indicator__name_en", "entered_by_id", "entered_by__username")
        .annotate(count=Count("pk"), first=Min("period"), last=Max("period"), uploaded=Max("updated_at"))
        .order_by("uploaded")
    )
    return [
        PendingBatch(
            batch=str(row["upload_batch"]),
            indicator_name=row["indicator__name_en"],
            entered_by=row["entered_by__username"] or "",
            count=row["count"],
            first_period=row["first"],
            last_period=row["last"],
            uploaded_at=row["uploaded"],
            mine=row["entered_by_id"] == user.pk,
        )
        for row in rows
    ]


def pending_withdrawals(*, user) -> QuerySet[Observation]:
    """Proposed withdrawals waiting for review, each saying whether `user` proposed it."""
    return (
        withdrawals_pending()
        .select_related("indicator", "geography", "withdrawal_proposed_by")
        .annotate(mine=_mine(user, "withdrawal_proposed_by_id"))
        .order_by("pk")
    )


def withdrawn_observations() -> QuerySet[Observation]:
    """Figures an approved withdrawal took off public pages; an admin may restore them."""
    return (
        Observation.objects.filter(withdrawn_at__isnull=False)
        .select_related("indicator", "geography", "withdrawal_proposed_by", "withdrawal_approved_by")
        .order_by("-withdrawn_at")
    )
