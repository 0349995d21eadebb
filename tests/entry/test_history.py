"""Who changed what, when, before and after: for the catalog through simple-history, for values through revisions."""

import pytest
from django.urls import reverse

from indicators.models import Target
from tasks.models import Assessment
from tests.factories import CommitmentFactory, TargetFactory


def _target_form(target, **changes):
    data = {
        "indicator": target.indicator_id,
        "geography": target.geography_id,
        "kind": target.kind,
        "qualifier": target.qualifier,
        "value": str(target.value),
        "value_high": "",
        "base_year": target.base_year or "",
        "target_year": target.target_year,
        "document_title": target.document_title,
        "document_issuer": target.document_issuer,
        "document_date": target.document_date.isoformat(),
        "document_url": target.document_url,
        "clause_quote": target.clause_quote,
        "clause_gloss_en": target.clause_gloss_en,
        "where_read": target.where_read,
        "period_note": target.period_note,
    }
    return {**data, **changes}


@pytest.mark.django_db
def test_an_admins_edit_of_a_target_is_kept_with_who_and_the_before_and_after(client, admin_user):
    target = TargetFactory(document_title="First title")
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:indicators_target_change", args=[target.pk]), _target_form(target, document_title="Second")
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    newest, older = target.history.all()[:2]
    assert newest.history_user == admin_user
    delta = newest.diff_against(older)
    assert [(change.field, change.old, change.new) for change in delta.changes] == [
        ("document_title", "First title", "Second")
    ]
    history_page = client.get(reverse("admin:indicators_target_history", args=[target.pk]))
    assert history_page.status_code == 200 and "admin" in history_page.content.decode()


@pytest.mark.django_db
def test_an_admin_reverts_a_target_to_an_earlier_version_from_its_history(client, admin_user):
    target = TargetFactory(document_title="First title")
    client.force_login(admin_user)
    client.post(reverse("admin:indicators_target_change", args=[target.pk]), _target_form(target, document_title="Bad"))
    original = target.history.earliest()
    revert_url = reverse("admin:indicators_target_simple_history", args=[target.pk, original.history_id])

    assert client.get(revert_url).status_code == 200
    response = client.post(revert_url, _target_form(target, document_title="First title"))

    assert response.status_code == 302
    assert Target.objects.get().document_title == "First title"
    assert target.history.count() == 3


@pytest.mark.django_db
def test_the_analyst_role_cannot_open_the_admin_history_or_revert(client, analyst):
    target = TargetFactory()
    client.force_login(analyst)

    response = client.get(reverse("admin:indicators_target_history", args=[target.pk]))

    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_an_assessment_recorded_in_the_workspace_is_attributed_in_its_history(client, analyst):
    commitment = CommitmentFactory()
    client.force_login(analyst)

    client.post(
        reverse("entry:commitment", args=[commitment.code]),
        {"status": "stalled", "note": "Seen.", "evidence_links": "", "assessed_on": "2024-06-01"},
    )

    record = Assessment.history.get()
    assert (record.history_type, record.history_user, record.assessed_by) == ("+", analyst, analyst)
