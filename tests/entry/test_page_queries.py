"""Each workspace page runs the same fixed number of queries with one or ten times the data."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import Disagreement, ObservationRevision
from tests.factories import AssessmentFactory, CommitmentFactory, GeographyFactory, IngestRunFactory, ObservationFactory

# session, user, then each page's own reads (permissions are two queries, cached on the user afterwards)
PAGES = {
    "indicator": (lambda d: reverse("entry:indicator", args=[d["indicator"].code]), 9),
    "history": (lambda d: reverse("entry:observation_history", args=[d["observation"].pk]), 6),
    "disagreements": (lambda d: reverse("entry:disagreements"), 5),
    "commitments": (lambda d: reverse("entry:commitments"), 5),
    "commitment": (lambda d: reverse("entry:commitment", args=[d["commitment"].code]), 6),
}


@pytest.fixture(params=[1, 10], ids=["1x", "10x"])
def dataset(request, entered_indicator, china, analyst):
    size = request.param
    run = IngestRunFactory(source=entered_indicator.source, indicator=entered_indicator)
    commitment = CommitmentFactory()
    observation = None
    for number in range(size):
        geography = GeographyFactory(code=f"G{number:02d}") if number else china
        entered_indicator.geographies.add(geography)
        observation = ObservationFactory(
            indicator=entered_indicator,
            geography=geography,
            period=datetime.date(2010 + number, 1, 1),
            origin="analyst",
            entered_by=analyst,
        )
        Disagreement.objects.create(
            observation=observation, run=run, source_value=Decimal("1"), analyst_value=observation.value
        )
        AssessmentFactory(commitment=commitment, assessed_by=analyst)
        CommitmentFactory(task=commitment.task)
    for number in range(size):
        ObservationRevision.objects.create(
            observation=observation,
            old_value=Decimal(number),
            new_value=observation.value,
            old_origin="analyst",
            old_version=number + 1,
            reason="analyst_correction",
            replaced_by_user=analyst,
            replaced_by_run=run,
        )
    return {"indicator": entered_indicator, "observation": observation, "commitment": commitment}


@pytest.mark.django_db
@pytest.mark.parametrize("page", sorted(PAGES))
def test_workspace_pages_run_a_fixed_number_of_queries(client, analyst, dataset, page, django_assert_num_queries):
    url_for, queries = PAGES[page]
    client.force_login(analyst)

    with django_assert_num_queries(queries):
        response = client.get(url_for(dataset))

    assert response.status_code == 200
