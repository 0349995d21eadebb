"""Resolving a disagreement between a pulled figure and the analyst's value it did not replace."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from indicators.models import Disagreement, Observation
from indicators.services.observations import observation_record


def source_citation(disagreement: Disagreement) -> str:
    source = disagreement.run.source
    vintage = f", {disagreement.source_vintage}" if disagreement.source_vintage else ""
    return f"{source.publisher}, {source.name}{vintage}: {source.url}"


@transaction.atomic
def disagreement_resolve(*, disagreement: Disagreement, resolution: str, user, expected_version: int) -> Disagreement:
    """Keep the analyst's value, or take the source's as a correction recorded in the value's history."""
    disagreement = Disagreement.objects.select_for_update().select_related("run__source").get(pk=disagreement.pk)
    if disagreement.resolved_at is not None:
        raise ValidationError("This disagreement was already resolved.")
    if resolution not in Disagreement.Resolution.values:
        raise ValidationError(f"Unknown resolution {resolution!r}.")
    observation = Observation.objects.select_related("indicator", "geography").get(pk=disagreement.observation_id)
    if resolution == Disagreement.Resolution.TOOK_SOURCE:
        observation_record(
            indicator=observation.indicator,
            geography=observation.geography,
            period=observation.period,
            value=disagreement.source_value,
            citation=source_citation(disagreement),
            user=user,
            expected_version=expected_version,
            note=observation.note,
            # The publisher's own figure: its range was checked when it was pulled.
            confirm_out_of_range=True,
            origin=Observation.Origin.API,
            vintage=disagreement.source_vintage,
        )
    disagreement.resolution = resolution
    disagreement.resolved_at = timezone.now()
    disagreement.resolved_by = user
    disagreement.save(update_fields=["resolution", "resolved_at", "resolved_by"])
    return disagreement
