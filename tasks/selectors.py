"""Read queries over the policy domain alone: nothing here knows about indicators."""

from django.db.models import JSONField, OuterRef, QuerySet, Subquery

from tasks.models import Assessment, Commitment


def commitments_with_latest_assessment() -> QuerySet[Commitment]:
    """Commitments in task order, annotated with the analysts' latest assessment (`assessed_*`), task selected."""
    latest = Assessment.objects.filter(commitment=OuterRef("pk")).order_by("-assessed_on", "-created_at")
    return (
        Commitment.objects.select_related("task")
        .annotate(
            assessed_status=Subquery(latest.values("status")[:1]),
            assessed_on=Subquery(latest.values("assessed_on")[:1]),
            assessed_note=Subquery(latest.values("note")[:1]),
            assessed_links=Subquery(latest.values("evidence_links")[:1], output_field=JSONField()),
        )
        .order_by("task__number", "position")
    )
