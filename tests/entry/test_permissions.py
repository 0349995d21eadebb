"""Every write endpoint and admin page against every role: the server decides, whatever the page shows."""

import datetime
import uuid

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.services import ANALYST, user_grant_role
from entry.models import PendingUpload
from indicators.models import Disagreement, Observation, ObservationRevision
from indicators.services.review import withdrawal_propose
from tasks.models import Assessment
from tests.factories import ObservationFactory, UserFactory

LOGIN = "/accounts/login/"


def _value(world, **extra):
    return {
        "geography": world["china"].pk,
        "period": "2023",
        "value": "1",
        "citation": "https://example.org/a",
        **extra,
    }


def _upload(world):
    return {"file": SimpleUploadedFile("v.csv", b"geography,period,value,citation\nCHN,2021,1,https://example.org/a\n")}


# name → (url builder, POST data builder, what an allowed post leaves behind)
WRITES = {
    "record value": (lambda w: reverse("entry:indicator", args=[w["indicator"].code]), _value),
    "record value on a pulled indicator": (lambda w: reverse("entry:indicator", args=[w["pulled"].code]), _value),
    "upload preview": (lambda w: reverse("entry:indicator_upload", args=[w["indicator"].code]), _upload),
    "revert": (lambda w: reverse("entry:revision_revert", args=[w["revision"].pk]), lambda w: {"expected_version": 2}),
    "resolve disagreement": (
        lambda w: reverse("entry:disagreement_resolve", args=[w["disagreement"].pk]),
        lambda w: {"resolution": "took_source", "expected_version": 2},
    ),
    "assess commitment": (
        lambda w: reverse("entry:commitment", args=[w["commitment"].code]),
        lambda w: {"status": "stalled", "note": "n", "evidence_links": "", "assessed_on": "2024-06-01"},
    ),
}
ANALYST_ALLOWED = {"record value", "upload preview", "resolve disagreement", "assess commitment"}


def _state():
    return (
        Observation.objects.count(),
        ObservationRevision.objects.count(),
        Assessment.objects.count(),
        Disagreement.objects.filter(resolved_at__isnull=False).count(),
        PendingUpload.objects.count(),
        list(Observation.objects.order_by("pk").values_list("value", "version")),
    )


def _user(role, analyst, admin_user, reader):
    return {"anonymous": None, "reader": reader, "analyst": analyst, "admin": admin_user}[role]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "reader", "analyst", "admin"])
@pytest.mark.parametrize("write", sorted(WRITES))
def test_every_write_endpoint_refuses_whoever_may_not_write_and_writes_nothing(
    client, world, analyst, admin_user, reader, role, write
):
    url_for, data_for = WRITES[write]
    user = _user(role, analyst, admin_user, reader)
    if user:
        client.force_login(user)
    before = _state()

    response = client.post(url_for(world), data_for(world))

    allowed = role == "admin" or (role == "analyst" and write in ANALYST_ALLOWED)
    if role == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith(LOGIN), write
    elif not allowed:
        assert response.status_code == 403, write
    else:
        assert response.status_code in (200, 302), write
    if not allowed:
        assert _state() == before, write
    else:
        assert _state() != before, write


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "reader"])
def test_confirming_an_upload_needs_the_role_too(client, world, analyst, reader, role):
    pending = PendingUpload.objects.create(
        user=analyst,
        indicator=world["indicator"],
        filename="v.csv",
        changes=[],
    )
    if role == "reader":
        client.force_login(reader)

    response = client.post(reverse("entry:upload_confirm", args=[pending.token]))

    assert response.status_code == (302 if role == "anonymous" else 403)
    assert PendingUpload.objects.filter(pk=pending.pk).exists()


PAGES = {
    "workspace": lambda w: reverse("entry:workspace"),
    "indicator": lambda w: reverse("entry:indicator", args=[w["indicator"].code]),
    "template": lambda w: reverse("entry:indicator_template", args=[w["indicator"].code, "csv"]),
    "upload": lambda w: reverse("entry:indicator_upload", args=[w["indicator"].code]),
    "history": lambda w: reverse("entry:observation_history", args=[w["observation"].pk]),
    "disagreements": lambda w: reverse("entry:disagreements"),
    "commitments": lambda w: reverse("entry:commitments"),
    "commitment": lambda w: reverse("entry:commitment", args=[w["commitment"].code]),
    "review queue": lambda w: reverse("entry:review_queue"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "reader", "analyst", "admin"])
@pytest.mark.parametrize("page", sorted(PAGES))
def test_workspace_pages_are_for_analysts_and_admins_only(client, world, analyst, admin_user, reader, role, page):
    user = _user(role, analyst, admin_user, reader)
    if user:
        client.force_login(user)

    response = client.get(PAGES[page](world))

    expected = {"anonymous": 302, "reader": 403, "analyst": 200, "admin": 200}[role]
    assert response.status_code == expected, page
    if role == "anonymous":
        assert response["Location"].startswith(LOGIN)


ADMIN_MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)


def _adds_allowed(model) -> bool:
    """Some admins refuse adding for everyone (jobs record runs; axes records attempts); groups are the superusers'
    (an admin who could edit one could grant itself anything)."""
    if model is Group:
        return False
    request = RequestFactory().get("/")
    request.user = UserFactory.build(is_superuser=True, is_staff=True, is_active=True)
    return admin.site._registry[model].has_add_permission(request)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "reader", "analyst", "admin"])
@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda model: model._meta.label)
def test_admin_changelist_and_add_pages_open_for_the_admin_role_only(client, analyst, admin_user, reader, role, model):
    user = _user(role, analyst, admin_user, reader)
    if user:
        client.force_login(user)
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")

    responses = [client.get(changelist), client.get(add)]

    if role == "admin":
        assert responses[0].status_code == 200, changelist
        assert responses[1].status_code == (200 if _adds_allowed(model) else 403), add
    else:
        for response in responses:
            assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_an_admin_post_from_the_analyst_role_changes_nothing(client, analyst, world):
    client.force_login(analyst)
    url = reverse("admin:tasks_commitment_change", args=[world["commitment"].pk])

    response = client.post(url, {"title_en": "Changed"})

    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    world["commitment"].refresh_from_db()
    assert world["commitment"].title_en != "Changed"


def _review_world(world):
    """A pending figure and a pending upload by a third analyst, and a withdrawal that analyst proposed."""
    entrant = UserFactory(username="entrant")
    user_grant_role(user=entrant, role=ANALYST)
    pending = ObservationFactory(
        indicator=world["indicator"],
        geography=world["china"],
        period=datetime.date(2019, 1, 1),
        origin="analyst",
        entered_by=entrant,
        review_state="pending",
    )
    batch = uuid.uuid4()
    ObservationFactory(
        indicator=world["indicator"],
        geography=world["china"],
        period=datetime.date(2018, 1, 1),
        origin="analyst",
        entered_by=entrant,
        review_state="pending",
        upload_batch=batch,
    )
    withdrawal_propose(observation_id=world["observation"].pk, user=entrant, reason="Double-counted.")
    withdrawn = ObservationFactory(
        indicator=world["indicator"],
        geography=world["china"],
        period=datetime.date(2017, 1, 1),
        withdrawn_at=timezone.now(),
    )
    published = ObservationFactory(
        indicator=world["indicator"], geography=world["china"], period=datetime.date(2016, 1, 1)
    )
    return {"pending": pending, "batch": batch, "withdrawn": withdrawn, "published": published}


def _withdrawal_review(decision: dict):
    """The review of the withdrawal the third analyst proposed, with the decision posted."""
    return (lambda w, r: reverse("entry:withdrawal_review", args=[w["observation"].pk]), decision)


REVIEW_WRITES = {
    "approve a figure": (
        lambda w, r: reverse("entry:observation_review", args=[r["pending"].pk]),
        {"decision": "approve"},
    ),
    "reject a figure": (
        lambda w, r: reverse("entry:observation_review", args=[r["pending"].pk]),
        {"decision": "reject", "reason": "wrong"},
    ),
    "approve an upload": (lambda w, r: reverse("entry:batch_review", args=[r["batch"]]), {"decision": "approve"}),
    "propose a withdrawal": (
        lambda w, r: reverse("entry:withdrawal_propose", args=[r["published"].pk]),
        {"reason": "wrong"},
    ),
    "approve a withdrawal": _withdrawal_review({"decision": "approve"}),
    "decline a withdrawal": _withdrawal_review({"decision": "reject", "reason": "The figure is right."}),
    "restore a withdrawn figure": (lambda w, r: reverse("entry:withdrawal_restore", args=[r["withdrawn"].pk]), {}),
}
REVIEW_ANALYST_ALLOWED = set(REVIEW_WRITES) - {"restore a withdrawn figure"}


def _review_state():
    return list(
        Observation.objects.order_by("pk").values_list(
            "review_state", "withdrawn_at", "withdrawal_proposed_at", "withdrawal_reason", "withdrawal_declined_at"
        )
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "reader", "analyst", "admin"])
@pytest.mark.parametrize("write", sorted(REVIEW_WRITES))
def test_every_review_endpoint_refuses_whoever_may_not_review_and_changes_nothing(
    client, world, analyst, admin_user, reader, role, write
):
    review_world = _review_world(world)
    url_for, data = REVIEW_WRITES[write]
    user = _user(role, analyst, admin_user, reader)
    if user:
        client.force_login(user)
    before = _review_state()

    response = client.post(url_for(world, review_world), data)

    allowed = role == "admin" or (role == "analyst" and write in REVIEW_ANALYST_ALLOWED)
    if role == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith(LOGIN), write
    elif not allowed:
        assert response.status_code == 403, write
    else:
        assert response.status_code == 302, write
    assert (_review_state() != before) == allowed, write


@pytest.mark.django_db
@pytest.mark.parametrize(
    "write",
    ["approve a figure", "reject a figure", "approve an upload", "approve a withdrawal", "decline a withdrawal"],
)
def test_the_author_of_a_figure_or_withdrawal_cannot_review_it(client, world, write):
    review_world = _review_world(world)
    url_for, data = REVIEW_WRITES[write]
    client.force_login(review_world["pending"].entered_by)
    before = _review_state()

    response = client.post(url_for(world, review_world), data)

    assert response.status_code == 403
    assert _review_state() == before
