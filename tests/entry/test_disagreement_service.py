from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from indicators.models import Disagreement, Observation, ObservationRevision
from indicators.services.disagreements import disagreement_resolve
from indicators.services.observations import ObservationConflict
from tests.factories import IngestRunFactory


@pytest.fixture
def disagreement(entered_observation, entered_indicator):
    run = IngestRunFactory(source=entered_indicator.source, indicator=entered_indicator)
    return Disagreement.objects.create(
        observation=entered_observation,
        run=run,
        source_value=Decimal("1180"),
        analyst_value=entered_observation.value,
        source_vintage="2024-02 release",
    )


@pytest.mark.django_db
def test_keeping_the_analyst_value_resolves_without_touching_the_value(disagreement, entered_observation, analyst):
    disagreement_resolve(
        disagreement=disagreement, resolution=Disagreement.Resolution.KEPT_ANALYST, user=analyst, expected_version=1
    )

    disagreement.refresh_from_db()
    entered_observation.refresh_from_db()
    assert (disagreement.resolution, disagreement.resolved_by) == (Disagreement.Resolution.KEPT_ANALYST, analyst)
    assert disagreement.resolved_at is not None
    assert (entered_observation.value, entered_observation.version) == (Decimal("1200"), 1)


@pytest.mark.django_db
def test_taking_the_source_value_is_a_correction_with_history(disagreement, entered_observation, analyst):
    disagreement_resolve(
        disagreement=disagreement, resolution=Disagreement.Resolution.TOOK_SOURCE, user=analyst, expected_version=1
    )

    entered_observation.refresh_from_db()
    assert (entered_observation.value, entered_observation.origin, entered_observation.vintage) == (
        Decimal("1180"),
        Observation.Origin.API,
        "2024-02 release",
    )
    assert entered_observation.entered_by is None
    assert "2024-02 release" in entered_observation.citation
    revision = ObservationRevision.objects.get()
    assert (revision.old_value, revision.new_value, revision.replaced_by_user) == (
        Decimal("1200"),
        Decimal("1180"),
        analyst,
    )


@pytest.mark.django_db
def test_a_resolved_disagreement_cannot_be_resolved_again(disagreement, analyst):
    disagreement_resolve(
        disagreement=disagreement, resolution=Disagreement.Resolution.KEPT_ANALYST, user=analyst, expected_version=1
    )

    with pytest.raises(ValidationError):
        disagreement_resolve(
            disagreement=disagreement, resolution=Disagreement.Resolution.TOOK_SOURCE, user=analyst, expected_version=1
        )


@pytest.mark.django_db
def test_taking_the_source_value_over_a_value_changed_meanwhile_is_refused(disagreement, entered_observation, analyst):
    Observation.objects.filter(pk=entered_observation.pk).update(version=2, value=Decimal("1210"))

    with pytest.raises(ObservationConflict):
        disagreement_resolve(
            disagreement=disagreement, resolution=Disagreement.Resolution.TOOK_SOURCE, user=analyst, expected_version=1
        )

    disagreement.refresh_from_db()
    assert disagreement.resolved_at is None
    entered_observation.refresh_from_db()
    assert entered_observation.value == Decimal("1210")
