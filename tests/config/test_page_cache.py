"""The whole-page cache for anonymous visitors (config/page_cache.py)."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from config.generations import site_generation_bump
from config.page_cache import RecentPages, page_cache_key
from indicators.models import Indicator
from indicators.services.observation_writes import data_version_bump
from tests.dashboard.conftest import build_dataset
from tests.factories import UserFactory

PUBLIC_PAGES = ["/", "/tasks/1/", "/sectors/", "/sectors/sector-1/", "/indicators/", "/indicators/ind-1-1/", "/method/"]


@pytest.fixture
def dataset(db):
    return build_dataset(scale=1)


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_a_cached_page_runs_no_query(client, django_assert_num_queries, dataset, url):
    first = client.get(url)
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.content == first.content


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_a_public_page_holds_no_csrf_token_and_sets_no_cookie(client, dataset, url):
    for response in (client.get(url), client.get(url)):
        body = response.content.decode()
        assert "csrfmiddlewaretoken" not in body and "X-CSRFToken" not in body
        assert not response.cookies


def test_a_cached_page_tells_browsers_to_revalidate_and_names_what_it_varies_on(client, dataset):
    client.get("/tasks/1/")
    response = client.get("/tasks/1/")
    assert set(response["Cache-Control"].split(", ")) == {"public", "max-age=0", "must-revalidate"}
    vary = {name.strip().lower() for name in response["Vary"].split(",")}
    assert {"cookie", "accept-language", "hx-request", "hx-target"} <= vary
    assert response["ETag"].startswith('"') and response["Last-Modified"].endswith("GMT")
    assert "Content-Security-Policy" in response


def test_a_matching_if_none_match_gets_a_304_without_a_body(client, dataset):
    etag = client.get("/").headers["ETag"]
    response = client.get("/", headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""


def test_an_if_modified_since_at_the_stored_time_gets_a_304(client, dataset):
    last_modified = client.get("/").headers["Last-Modified"]
    assert client.get("/", headers={"If-Modified-Since": last_modified}).status_code == 304


def test_a_data_write_changes_the_etag_and_the_page(client, dataset):
    before = client.get("/").headers["ETag"]
    data_version_bump(Indicator.objects.get(code="ind-1-1").pk)
    response = client.get("/", headers={"If-None-Match": before})
    assert response.status_code == 200
    assert response["ETag"] != before


def test_each_language_has_its_own_cached_page(client, dataset):
    english = client.get("/", headers={"Accept-Language": "en"})
    chinese = client.get("/", headers={"Accept-Language": "zh-hans"})
    assert english["ETag"] != chinese["ETag"]
    assert '<html lang="en">' in english.content.decode()
    assert '<html lang="zh-Hans">' in chinese.content.decode()
    assert '<html lang="en">' in client.get("/", headers={"Accept-Language": "en"}).content.decode()


def test_the_language_cookie_chooses_the_cached_page(client, dataset):
    client.get("/")
    client.cookies["django_language"] = "zh-hans"
    assert '<html lang="zh-Hans">' in client.get("/").content.decode()


def test_an_htmx_fragment_and_the_whole_page_have_separate_entries(client, dataset):
    url = "/tasks/1/?sector=sector-1"
    fragment_headers = {"HX-Request": "true", "HX-Target": "commitments"}
    for _ in range(2):
        assert "<html" in client.get(url).content.decode()
        assert "<html" not in client.get(url, headers=fragment_headers).content.decode()


def test_a_signed_in_visitor_bypasses_the_page_cache(client, dataset):
    client.get("/")
    client.force_login(UserFactory())
    response = client.get("/")
    assert "ETag" not in response
    assert "Sign out" in response.content.decode()
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()


def test_the_language_switch_works_without_a_csrf_token(dataset):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "zh-hans"


def test_downloads_and_private_sections_are_never_stored(client, dataset):
    for url in ("/indicators/ind-1-1/data.csv", "/accounts/login/"):
        client.get(url)
        assert "ETag" not in client.get(url)


@pytest.mark.parametrize("query", ["?utm_source=x", "?sector=%3Cscript%3E", "?" + "&".join(["geo=CHN"] * 21)])
def test_a_made_up_query_string_is_served_but_never_stored(client, dataset, query):
    for _ in range(2):
        response = client.get("/tasks/1/" + query)
        assert response.status_code == 200
        assert "ETag" not in response


def test_a_filter_query_string_is_cached(client, dataset):
    client.get("/tasks/1/?sector=sector-1")
    assert "ETag" in client.get("/tasks/1/?sector=sector-1")


def test_a_page_this_process_served_is_answered_from_its_memory_while_the_generation_holds(
    client, dataset, monkeypatch
):
    first = client.get("/tasks/1/")
    key = page_cache_key(RequestFactory().get("/tasks/1/"))
    read, shared_get = [], cache.get
    monkeypatch.setattr(
        cache, "get", lambda name, *args, **kwargs: read.append(name) or shared_get(name, *args, **kwargs)
    )
    assert client.get("/tasks/1/").content == first.content
    assert read and key not in read  # only the generation token was read from the shared cache
    site_generation_bump()
    assert client.get("/tasks/1/").headers["ETag"] != first.headers["ETag"]


def test_the_process_memory_keeps_the_newest_pages_within_its_bound():
    recent = RecentPages(max_bytes=10)
    for key in ("a", "b", "c"):
        recent.put(key, {"generation": "g1", "content": b"1234"})
    assert recent.get("a", "g1") is None
    assert recent.get("c", "g1") is not None
    assert recent.get("c", "g2") is None
    recent.put("huge", {"generation": "g1", "content": b"x" * 11})
    assert recent.get("huge", "g1") is None and recent.size <= 10
