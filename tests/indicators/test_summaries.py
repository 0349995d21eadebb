"""One definition of a commitment's computed status: the task pages and the API read the same one."""

import pytest

from dashboard.selectors import task_list_with_progress
from indicators.selectors import commitments_with_indicator_links
from indicators.summaries import commitment_statuses, indicator_summaries_get
from tasks.models import ProgressStatus
from tests.dashboard.conftest import build_dataset
from tests.factories import CommitmentFactory, TaskFactory


@pytest.fixture
def dataset(db):
    return build_dataset(scale=1)


def test_the_task_pages_and_the_api_give_every_commitment_the_same_computed_status(client, dataset):
    pages = {
        row.commitment.code: row.computed_status
        for task in task_list_with_progress(language="en")
        for row in task.commitments
    }
    api = {item["code"]: item["computed_status"] for item in client.get("/api/v1/commitments/").json()["results"]}
    assert len(pages) == len(dataset.commitments)
    assert api == pages


def test_summaries_passed_in_give_the_statuses_read_without_them(dataset):
    commitments = list(commitments_with_indicator_links())
    summaries = indicator_summaries_get(indicators=dataset.indicators)
    assert commitment_statuses(commitments=commitments, summaries=summaries) == commitment_statuses(
        commitments=commitments
    )


@pytest.mark.django_db
def test_a_commitment_no_indicator_measures_cannot_be_assessed_and_never_disagrees():
    CommitmentFactory(task=TaskFactory(number=1))
    commitment = commitments_with_indicator_links().get()
    status = commitment_statuses(commitments=[commitment])[commitment.pk]
    assert status.computed_status == ProgressStatus.NOT_ASSESSABLE
    assert status.trace == ()
    assert not status.disagrees_with(ProgressStatus.STALLED)
