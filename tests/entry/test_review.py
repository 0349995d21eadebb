"""Review before publish: an analyst's figure is public only once someone else approves it."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.services import ANALYST, user_grant_role
from indicators.models import Indicator, Observation
from indicators.services.observations import observation_record
from indicators.services.review import (
    batch_approve,
    batch_reject,
    observation_approve,
    observation_reject,
    withdrawal_approve,
    withdrawal_decline,
    withdrawal_propose,
    withdrawal_restore,
)
from indicators.services.uploads import observations_upload_apply, observations_upload_preview
from tests.factories import UserFactory

Y2023 = datetime.date(2023, 1, 1)
State = Observation.ReviewState


@pytest.fixture
def second_analyst(db):
    user = UserFactory(username="second-analyst")
    user_grant_role(user=user, role=ANALYST)
    return user


def _record(indicator, geography, user, value="1500", period=Y2023, expected_version=None):
    return observation_record(
        indicator=indicator,
        geography=geography,
        period=period,
        value=Decimal(value),
        citation="https://example.org/list-2023",
        user=user,
        expected_version=expected_version,
    ).observation


def _public_values(client, indicator):
    response = client.get(reverse("indicators:data_json", args=[indicator.code]))
    return [row["value"] for row in response.json()["observations"]]


def _data_version(indicator) -> int:
    return Indicator.objects.get(pk=indicator.pk).data_version


@pytest.mark.django_db
def test_an_entered_value_stays_off_data_json_until_another_analyst_approves_it(
    client, entered_indicator, china, analyst, second_analyst
):
    observation = _record(entered_indicator, china, analyst)
    assert observation.review_state == State.PENDING
    assert _public_values(client, entered_indicator) == []

    observation_approve(observation_id=observation.pk, user=second_analyst)

    assert _public_values(client, entered_indicator) == [1500.0]
    observation.refresh_from_db()
    assert (observation.reviewed_by, observation.review_state) == (second_analyst, State.PUBLISHED)
    assert observation.reviewed_at is not None


@pytest.mark.django_db
def test_nobody_approves_their_own_value(entered_indicator, china, analyst):
    observation = _record(entered_indicator, china, analyst)

    with pytest.raises(PermissionDenied):
        observation_approve(observation_id=observation.pk, user=analyst)

    observation.refresh_from_db()
    assert observation.review_state == State.PENDING


@pytest.mark.django_db
def test_a_rejection_needs_a_reason_and_keeps_the_value_off_public_pages(
    client, entered_indicator, china, analyst, second_analyst
):
    observation = _record(entered_indicator, china, analyst)
    with pytest.raises(ValidationError):
        observation_reject(observation_id=observation.pk, user=second_analyst, reason=" ")

    observation_reject(observation_id=observation.pk, user=second_analyst, reason="The list says 1,050.")

    observation.refresh_from_db()
    assert (observation.review_state, observation.rejection_reason) == (State.REJECTED, "The list says 1,050.")
    assert _public_values(client, entered_indicator) == []


@pytest.mark.django_db
def test_the_data_version_moves_only_when_what_the_public_sees_changes(
    entered_indicator, china, analyst, second_analyst
):
    start = _data_version(entered_indicator)
    observation = _record(entered_indicator, china, analyst)
    assert _data_version(entered_indicator) == start

    observation_approve(observation_id=observation.pk, user=second_analyst)
    assert _data_version(entered_indicator) == start + 1

    # Correcting the published figure takes it off public pages until the correction is approved.
    _record(entered_indicator, china, analyst, value="1600", expected_version=observation.version)
    assert _data_version(entered_indicator) == start + 2


@pytest.mark.django_db
def test_with_review_off_an_entered_value_is_public_at_once(client, settings, entered_indicator, china, analyst):
    settings.OBSERVATION_REVIEW_REQUIRED = False

    observation = _record(entered_indicator, china, analyst)

    assert observation.review_state == State.PUBLISHED
    assert _public_values(client, entered_indicator) == [1500.0]


def _upload(indicator, user, rows):
    preview = observations_upload_preview(indicator=indicator, rows=rows)
    assert not preview.problems
    return observations_upload_apply(indicator=indicator, changes=preview.changes, user=user, confirm_out_of_range=True)


UPLOAD_ROWS = [
    {"geography": "CHN", "period": "2021", "value": "900", "citation": "https://example.org/list"},
    {"geography": "CHN", "period": "2023", "value": "1500", "citation": "https://example.org/list"},
]


@pytest.mark.django_db
def test_an_upload_is_one_pending_batch_published_together(client, entered_indicator, china, analyst, second_analyst):
    counts = _upload(entered_indicator, analyst, UPLOAD_ROWS)

    batch = Observation.objects.filter(upload_batch=counts["batch"])
    assert sorted(batch.values_list("review_state", flat=True)) == [State.PENDING, State.PENDING]
    assert _public_values(client, entered_indicator) == []

    assert batch_approve(batch=counts["batch"], user=second_analyst) == 2

    assert _public_values(client, entered_indicator) == [900.0, 1500.0]


@pytest.mark.django_db
def test_an_uploader_cannot_approve_their_own_batch_and_a_rejected_batch_stays_private(
    client, entered_indicator, china, analyst, second_analyst
):
    counts = _upload(entered_indicator, analyst, UPLOAD_ROWS)

    with pytest.raises(PermissionDenied):
        batch_approve(batch=counts["batch"], user=analyst)
    batch_reject(batch=counts["batch"], user=second_analyst, reason="Wrong edition of the list.")

    assert set(Observation.objects.values_list("review_state", flat=True)) == {State.REJECTED}
    assert _public_values(client, entered_indicator) == []


@pytest.mark.django_db
def test_an_approved_withdrawal_leaves_downloads_keeps_its_record_and_an_admin_restores_it(
    client, entered_observation, entered_indicator, analyst, second_analyst, admin_user
):
    assert _public_values(client, entered_indicator) == [1200.0]
    withdrawal_propose(observation_id=entered_observation.pk, user=analyst, reason="Double-counted branch offices.")
    assert _public_values(client, entered_indicator) == [1200.0]
    with pytest.raises(PermissionDenied):
        withdrawal_approve(observation_id=entered_observation.pk, user=analyst)

    withdrawal_approve(observation_id=entered_observation.pk, user=second_analyst)

    assert _public_values(client, entered_indicator) == []
    entered_observation.refresh_from_db()
    assert (
        entered_observation.withdrawal_proposed_by,
        entered_observation.withdrawal_approved_by,
        entered_observation.withdrawal_reason,
    ) == (analyst, second_analyst, "Double-counted branch offices.")
    with pytest.raises(PermissionDenied):
        withdrawal_restore(observation_id=entered_observation.pk, user=second_analyst)

    withdrawal_restore(observation_id=entered_observation.pk, user=admin_user)

    assert _public_values(client, entered_indicator) == [1200.0]
    entered_observation.refresh_from_db()
    assert (entered_observation.restored_by, entered_observation.withdrawal_reason) == (
        admin_user,
        "Double-counted branch offices.",
    )


@pytest.mark.django_db
def test_a_declined_withdrawal_leaves_the_queue_keeps_the_figure_public_and_says_who_and_why(
    client, entered_observation, entered_indicator, analyst, second_analyst
):
    withdrawal_propose(observation_id=entered_observation.pk, user=analyst, reason="Double-counted branch offices.")
    client.force_login(second_analyst)
    url = reverse("entry:withdrawal_review", args=[entered_observation.pk])

    client.post(url, {"decision": "reject", "reason": "The list counts each office once."})

    assert f'id="withdrawal-{entered_observation.pk}"' not in client.get(reverse("entry:review_queue")).content.decode()
    history = client.get(reverse("entry:observation_history", args=[entered_observation.pk])).content.decode()
    assert "declined by second-analyst" in history and "The list counts each office once." in history
    client.logout()
    assert _public_values(client, entered_indicator) == [1200.0]
    entered_observation.refresh_from_db()
    assert entered_observation.withdrawal_reason == "Double-counted branch offices."


@pytest.mark.django_db
def test_a_withdrawal_is_declined_only_by_someone_else_and_with_a_reason(entered_observation, analyst, second_analyst):
    withdrawal_propose(observation_id=entered_observation.pk, user=analyst, reason="Double-counted.")
    with pytest.raises(PermissionDenied):
        withdrawal_decline(observation_id=entered_observation.pk, user=analyst, reason="Mine after all.")
    with pytest.raises(ValidationError):
        withdrawal_decline(observation_id=entered_observation.pk, user=second_analyst, reason=" ")
    withdrawal_decline(observation_id=entered_observation.pk, user=second_analyst, reason="Right as published.")
    with pytest.raises(ValidationError, match="No withdrawal"):
        withdrawal_approve(observation_id=entered_observation.pk, user=second_analyst)


@pytest.mark.django_db
def test_a_figure_whose_withdrawal_was_declined_can_be_proposed_again(entered_observation, analyst, second_analyst):
    withdrawal_propose(observation_id=entered_observation.pk, user=analyst, reason="Double-counted.")
    withdrawal_decline(observation_id=entered_observation.pk, user=second_analyst, reason="Right as published.")

    observation = withdrawal_propose(observation_id=entered_observation.pk, user=analyst, reason="New evidence.")

    assert (observation.withdrawal_reason, observation.withdrawal_declined_at) == ("New evidence.", None)
    withdrawal_approve(observation_id=observation.pk, user=second_analyst)


@pytest.mark.django_db
def test_the_queue_offers_no_decision_on_the_visitors_own_figure_or_withdrawal(
    client, entered_indicator, entered_observation, china, analyst, second_analyst
):
    pending = _record(entered_indicator, china, analyst)
    withdrawal_propose(observation_id=entered_observation.pk, user=analyst, reason="Double-counted.")

    def decision_cell(html: str, row_id: str) -> str:
        return html.split(f'id="{row_id}"', 1)[1].split("</tr>", 1)[0]

    client.force_login(analyst)
    own = client.get(reverse("entry:review_queue")).content.decode()
    client.force_login(second_analyst)
    other = client.get(reverse("entry:review_queue")).content.decode()
    for row_id in (f"pending-{pending.pk}", f"withdrawal-{entered_observation.pk}"):
        assert "Yours: another analyst or an admin reviews it." in decision_cell(own, row_id)
        assert 'name="decision"' not in decision_cell(own, row_id)
        assert 'name="decision" value="reject"' in decision_cell(other, row_id)


@pytest.mark.django_db
def test_the_review_queue_lists_pending_figures_and_uploads_in_fixed_queries(
    client, entered_indicator, china, analyst, second_analyst, django_assert_num_queries
):
    figures = [_record(entered_indicator, china, analyst, period=datetime.date(year, 1, 1)) for year in (2019, 2020)]
    counts = _upload(entered_indicator, analyst, UPLOAD_ROWS)
    client.force_login(second_analyst)

    with django_assert_num_queries(8):
        response = client.get(reverse("entry:review_queue"))

    html = response.content.decode()
    assert all(f'id="pending-{figure.pk}"' in html for figure in figures)
    assert f'id="batch-{counts["batch"]}"' in html


@pytest.mark.django_db
def test_a_second_analyst_approves_from_the_queue_and_the_figure_is_public(
    client, entered_indicator, china, analyst, second_analyst
):
    observation = _record(entered_indicator, china, analyst)
    client.force_login(second_analyst)

    response = client.post(reverse("entry:observation_review", args=[observation.pk]), {"decision": "approve"})

    assert response.status_code == 302
    client.logout()
    assert _public_values(client, entered_indicator) == [1500.0]


@pytest.mark.django_db
def test_rejecting_from_the_queue_without_a_reason_changes_nothing(
    client, entered_indicator, china, analyst, second_analyst
):
    observation = _record(entered_indicator, china, analyst)
    client.force_login(second_analyst)

    client.post(reverse("entry:observation_review", args=[observation.pk]), {"decision": "reject", "reason": ""})

    observation.refresh_from_db()
    assert observation.review_state == State.PENDING
