"""The public API: every resource, paginated, filtered like the page, cached, throttled, open to other origins."""

from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.throttling import AnonRateThrottle

from indicators.models import Observation
from indicators.services.observations import observation_record
from indicators.services.review import observation_approve
from tests.dashboard.conftest import ANALYST_USERNAME, build_dataset
from tests.factories import UserFactory

LISTS = ["tasks", "commitments", "indicators", "targets", "sources"]


@pytest.fixture
def dataset(db):
    return build_dataset(scale=1)


@pytest.mark.parametrize("resource", LISTS)
def test_every_list_is_paginated(client, dataset, resource):
    body = client.get(f"/api/v1/{resource}/").json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == len(body["results"]) > 0


@pytest.mark.parametrize(
    ("url", "field", "value"),
    [
        ("/api/v1/tasks/1/", "number", 1),
        ("/api/v1/indicators/ind-1-1/", "code", "ind-1-1"),
        ("/api/v1/sources/test-source/", "licence", "CC BY 4.0"),
    ],
)
def test_an_item_is_read_by_its_public_code(client, dataset, url, field, value):
    assert client.get(url).json()[field] == value


def test_a_commitment_carries_its_computed_status_the_trace_and_the_assessment(client, dataset):
    commitment = dataset.commitments[0]
    body = client.get(f"/api/v1/commitments/{commitment.code}/").json()
    assert body["indicators"] == ["ind-1-1"]
    assert [step["indicator"] for step in body["trace"]] == ["ind-1-1"]
    assert body["computed_status"] == body["trace"][0]["status"]
    assert body["trace"][0]["reason"]
    assert body["assessment"]["status"] == commitment.assessments.get().status


def test_an_indicator_says_its_source_licence_and_freshness(client, dataset):
    body = client.get("/api/v1/indicators/ind-1-1/").json()
    assert body["source"]["licence"] == "CC BY 4.0"
    assert body["freshness"]["latest_period"] == "2023-01-01"
    assert body["freshness"]["state"] in {"current", "due", "stale"}


def test_observations_are_filtered_like_the_page(client, dataset):
    body = client.get("/api/v1/indicators/ind-1-1/observations/?geo=USA&start=2020").json()
    assert [(row["geography"], row["period"]) for row in body["results"]] == [
        ("USA", f"{year}-01-01") for year in (2020, 2021, 2022, 2023)
    ]


def test_observations_keep_decimal_values_as_text(client, dataset):
    row = client.get("/api/v1/indicators/ind-1-1/observations/?geo=CHN&start=2012&end=2012").json()["results"][0]
    assert row["value"] == "20.000000"


@pytest.mark.parametrize("query", ["?start=%E2%91%A0", "?geo=ZZZ", "?geo=%00", "?start=2020&end=2010"])
def test_a_bad_filter_is_refused_with_the_downloads_message(client, dataset, query):
    api = client.get(f"/api/v1/indicators/ind-1-1/observations/{query}")
    download = client.get(f"/indicators/ind-1-1/data.csv{query}")
    assert api.status_code == download.status_code == 400
    assert api.json() == download.json()


def test_observations_leave_out_withdrawn_figures(client, dataset):
    Observation.objects.filter(indicator__code="ind-1-1", period__year=2016).update(
        withdrawn_by_source_at=timezone.now()
    )
    periods = {row["period"] for row in client.get("/api/v1/indicators/ind-1-1/observations/").json()["results"]}
    assert "2016-01-01" not in periods
    assert "2015-01-01" in periods


def test_no_answer_names_who_entered_a_figure(client, dataset):
    for url in [f"/api/v1/{resource}/" for resource in LISTS] + ["/api/v1/indicators/ind-1-1/observations/"]:
        assert ANALYST_USERNAME not in client.get(url).content.decode(), url


def test_an_unknown_item_is_not_found(client, dataset):
    assert client.get("/api/v1/indicators/nope/").status_code == 404
    assert client.get("/api/v1/indicators/nope/observations/").status_code == 404
    assert client.get("/api/v1/commitments/9.99/").status_code == 404


def test_the_api_is_read_only(client, dataset):
    assert client.post("/api/v1/tasks/", {}).status_code == 405
    assert client.delete("/api/v1/tasks/1/").status_code == 405


def test_any_origin_may_read_the_api(client, dataset):
    response = client.get("/api/v1/sources/", headers={"Origin": "https://news.example"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]


def test_a_repeated_read_is_served_from_the_cache_with_no_query(client, dataset, django_assert_num_queries):
    client.get("/api/v1/commitments/")
    with django_assert_num_queries(0):
        client.get("/api/v1/commitments/")


def test_unknown_parameters_do_not_make_new_cache_entries(client, dataset, django_assert_num_queries):
    client.get("/api/v1/indicators/")
    with django_assert_num_queries(0):
        client.get("/api/v1/indicators/?random=1")


def test_a_data_write_is_seen_at_once(client, dataset):
    url = "/api/v1/indicators/ind-1-1/observations/?geo=CHN&start=2020&end=2020"
    assert client.get(url).json()["results"][0]["value"] == "28.000000"
    current = Observation.objects.get(indicator__code="ind-1-1", geography__code="CHN", period__year=2020)
    entered = observation_record(
        indicator=current.indicator,
        geography=current.geography,
        period=current.period,
        value=Decimal("29.5"),
        citation="https://example.org/corrected-2020",
        user=UserFactory(),
        expected_version=current.version,
        confirm_out_of_range=True,
    )
    # Public once a second user approves it.
    observation_approve(observation_id=entered.observation.pk, user=UserFactory())
    assert client.get(url).json()["results"][0]["value"] == "29.500000"


def test_anonymous_clients_are_throttled(client, dataset, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    statuses = [client.get("/api/v1/sources/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_the_docs_load_swagger_ui_from_our_static_files_with_no_inline_script(client, db):
    response = client.get("/api/v1/docs/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>" not in html
    assert '<script src="/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js">' in html
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "//cdn" not in html


def test_the_docs_script_points_swagger_ui_at_the_schema(client, db):
    script = client.get("/api/v1/docs/?script=").content.decode()
    assert "/api/v1/schema/" in script


@pytest.mark.parametrize("value", ["%C2%B2", "%E2%91%A0", "%D9%A1", "%00", "-1", "99999999999999999999"])
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/tasks/?page={}",
        "/api/v1/indicators/ind-1-1/observations/?start={}",
        "/api/v1/indicators/ind-1-1/observations/?geo={}",
        "/api/v1/indicators/ind-1-1/observations/?page={}",
        "/changes/?task={}",
        "/indicators/ind-1-1/embed/?end={}",
    ],
)
def test_a_hostile_query_string_never_answers_a_server_error(client, dataset, url, value):
    assert client.get(url.format(value)).status_code in (200, 400, 404)
