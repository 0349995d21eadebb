"""Commitments' computed statuses over time: the baseline, one row per move, nothing on a rerun, and the jobs
that record them after each change to published data."""

import datetime
import io
from decimal import Decimal

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.test import RequestFactory

from indicators.models import CommitmentStatusChange, Indicator, Observation, Target
from indicators.services.commitment_statuses import commitment_status_changes_record
from indicators.services.observation_writes import data_version_bump
from indicators.services.observations import observation_record, observation_revert
from indicators.services.review import observation_approve, withdrawal_approve, withdrawal_propose
from indicators.summaries import indicator_summaries_get
from indicators.tasks import record_commitment_statuses
from tasks.models import ProgressStatus
from tests.dashboard.conftest import build_dataset
from tests.factories import CommitmentFactory, CommitmentIndicatorFactory, UserFactory

Status = ProgressStatus
Y2024 = datetime.date(2024, 1, 1)
CITATION = "https://example.org/yearbook-2025"


@pytest.fixture
def dataset(db):
    return build_dataset(scale=1)


def _figure_enter(indicator, geography, value: str, user) -> Observation:
    """An analyst's figure for 2024: pending until someone else approves it."""
    return observation_record(
        indicator=indicator, geography=geography, period=Y2024, value=Decimal(value), citation=CITATION, user=user
    ).observation


def _china(dataset):
    return dataset.indicators[0].geographies.get(code="CHN")


def status_jobs_sent(callbacks) -> int:
    """How many of the captured on-commit callbacks send the status job."""
    job = getattr(record_commitment_statuses, "name", None)
    sent = [getattr(getattr(callback, "func", None), "__self__", None) for callback in callbacks]
    return sum(getattr(task, "name", None) == job for task in sent)


def status_jobs_run(callbacks) -> None:
    """Run here each status job the callbacks send: with Redis configured (CI's second pass) nothing runs them."""
    for _ in range(status_jobs_sent(callbacks)):
        record_commitment_statuses.apply()


def test_the_first_run_records_each_assessable_commitment_as_its_baseline(dataset):
    unmeasured = CommitmentFactory(task=dataset.tasks[0], position=9)

    recorded = commitment_status_changes_record()

    assert len(recorded) == len(dataset.commitments)
    assert {row.commitment_id for row in recorded} == {commitment.pk for commitment in dataset.commitments}
    assert {(row.status_from, row.status_to) for row in recorded} == {("", Status.ON_TRACK)}
    assert not CommitmentStatusChange.objects.filter(commitment=unmeasured).exists()


def test_a_second_run_with_nothing_changed_writes_nothing(dataset):
    commitment_status_changes_record()

    assert commitment_status_changes_record() == []
    assert CommitmentStatusChange.objects.count() == len(dataset.commitments)


@pytest.mark.parametrize("scale", [1, 2])
def test_a_run_takes_the_same_queries_at_any_size(db, django_assert_num_queries, scale):
    build_dataset(scale=scale)
    # The savepoint and its release; the locked commitments and their indicator links; the latest records; the
    # indicators' targets and home series (cold cache); the same two for the Chinese reasons; one insert.
    with django_assert_num_queries(10):
        assert len(commitment_status_changes_record()) == 14 * scale
    # Nothing moved: the targets only (the summaries are cached), and no Chinese reasons or insert.
    with django_assert_num_queries(6):
        assert commitment_status_changes_record() == []


def test_a_move_is_recorded_once_with_the_deciding_indicator_and_its_reason_in_both_languages(dataset):
    commitment_status_changes_record()
    indicator = dataset.indicators[0]
    figure = _figure_enter(indicator, _china(dataset), "20", UserFactory(username="first-analyst"))
    observation_approve(observation_id=figure.pk, user=UserFactory(username="second-analyst"))

    (change,) = commitment_status_changes_record()

    assert change.commitment == dataset.commitments[0]
    assert (change.status_from, change.status_to) == (Status.ON_TRACK, Status.REGRESSING)
    assert change.deciding_indicator == indicator
    fresh = Indicator.objects.get(pk=indicator.pk)
    assert change.reason_en == indicator_summaries_get(indicators=[fresh])[indicator.pk].assessment.reason
    assert change.reason_en.startswith("Since 2015 the figure moved")
    assert change.reason_zh.startswith("自2015年以来")
    assert commitment_status_changes_record() == []


def test_the_least_favourable_indicator_decides_and_the_first_by_code_breaks_a_tie(dataset):
    commitment = dataset.commitments[0]
    second = dataset.indicators[1]
    CommitmentIndicatorFactory(commitment=commitment, indicator=second)
    commitment_status_changes_record()
    analyst, reviewer = UserFactory(username="first-analyst"), UserFactory(username="second-analyst")
    for indicator in (second, dataset.indicators[0]):
        figure = _figure_enter(indicator, _china(dataset), "20", analyst)
        observation_approve(observation_id=figure.pk, user=reviewer)

    changes = {row.commitment_id: row for row in commitment_status_changes_record()}

    assert changes[commitment.pk].deciding_indicator == dataset.indicators[0]  # ind-1-1 before ind-1-2


def test_losing_every_figure_is_a_move_to_not_assessable(dataset):
    commitment_status_changes_record()
    Observation.objects.filter(indicator=dataset.indicators[0]).delete()
    data_version_bump(dataset.indicators[0].pk)  # as every writer does

    (change,) = commitment_status_changes_record()

    assert (change.status_from, change.status_to) == (Status.ON_TRACK, Status.NOT_ASSESSABLE)


def test_a_pending_figure_moves_nothing(dataset):
    commitment_status_changes_record()
    _figure_enter(dataset.indicators[0], _china(dataset), "20", UserFactory(username="first-analyst"))

    assert commitment_status_changes_record() == []


def test_an_approval_records_the_move_once_its_transaction_commits(dataset, django_capture_on_commit_callbacks):
    commitment_status_changes_record()
    figure = _figure_enter(dataset.indicators[0], _china(dataset), "20", UserFactory(username="first-analyst"))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        observation_approve(observation_id=figure.pk, user=UserFactory(username="second-analyst"))

    assert status_jobs_sent(callbacks) == 1
    assert not CommitmentStatusChange.objects.exclude(status_from="").exists()  # sent, not run, before the commit
    status_jobs_run(callbacks)
    assert CommitmentStatusChange.objects.exclude(status_from="").get().status_to == Status.REGRESSING


def test_a_withdrawal_and_a_revert_send_the_job(dataset, django_capture_on_commit_callbacks):
    figures = Observation.objects.filter(indicator=dataset.indicators[0], geography__code="CHN")
    withdrawn, revised = figures.get(period__year=2023), figures.get(period__year=2022)  # 2022 has a revision
    withdrawal_propose(observation_id=withdrawn.pk, user=UserFactory(username="proposer"), reason="Misprinted.")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        withdrawal_approve(observation_id=withdrawn.pk, user=UserFactory(username="approver"))
        observation_revert(
            revision=revised.revisions.get(), user=UserFactory(username="an-admin"), expected_version=revised.version
        )

    assert status_jobs_sent(callbacks) == 2


@pytest.mark.parametrize("command", ["load_catalog", "load_snapshot"])
def test_the_catalog_and_snapshot_loads_send_the_job(db, django_capture_on_commit_callbacks, command):
    if command == "load_snapshot":
        call_command("load_catalog", stdout=io.StringIO())
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        call_command(command, stdout=io.StringIO())

    assert status_jobs_sent(callbacks) == 1


@pytest.mark.parametrize("model", [Target, Indicator])
def test_an_admin_edit_of_a_target_or_an_indicator_records_the_statuses_it_moves(
    dataset, django_capture_on_commit_callbacks, model
):
    edited = model.objects.first()
    request = RequestFactory().post("/admin/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    with django_capture_on_commit_callbacks() as callbacks:
        admin.site._registry[model].save_model(request, edited, form=None, change=True)
    assert status_jobs_sent(callbacks) == 1
