import pytest
from django.contrib import admin

from tests.factories import UserFactory

REGISTERED = sorted(
    f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    for model in admin.site._registry
    if model._meta.app_label in {"tasks", "indicators"}
)


@pytest.fixture
def superuser():
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    return user


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/admin/", *REGISTERED, *(p + "add/" for p in REGISTERED)])
def test_admin_pages_load_for_an_admin(client, superuser, path):
    client.force_login(superuser)
    response = client.get(path)
    # Runs and commitments' status changes are recorded by jobs, and values are entered in the analyst workspace
    # (which keeps their history).
    refused = {
        "/admin/indicators/ingestrun/add/",
        "/admin/indicators/observation/add/",
        "/admin/indicators/commitmentstatuschange/add/",
    }
    expected = 403 if path in refused else 200
    assert response.status_code == expected, path


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/admin/", *REGISTERED])
def test_admin_pages_refuse_anonymous_visitors_and_non_staff_users(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]

    client.force_login(UserFactory(username="reader"))
    response = client.get(path)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_every_domain_model_is_registered_in_the_admin():
    assert {p.split("/")[3] for p in REGISTERED} >= {
        "task",
        "commitment",
        "assessment",
        "sector",
        "source",
        "geography",
        "indicator",
        "target",
        "observation",
        "ingestrun",
        "disagreement",
    }
