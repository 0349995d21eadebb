"""Read queries that the policy pages share. Each runs a fixed number of queries."""

from django.db.models import Prefetch, QuerySet

from tasks.models import Commitment, Task


def task_list_with_commitments() -> QuerySet[Task]:
    """The seven tasks with their commitments, in two queries."""
    return Task.objects.prefetch_related(Prefetch("commitments", queryset=Commitment.objects.order_by("position")))
