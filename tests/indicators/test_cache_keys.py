"""The page cache: views select before rendering, and what they selected serves the next request."""

import pytest
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.http import Http404
from django.utils import translation

from config.generations import site_generation_bump
from indicators.cache_keys import page_context, page_key
from tests.dashboard.conftest import build_dataset
from tests.factories import UserFactory

# A signed-in visitor bypasses the whole-page cache. Once another request selected a page's data, their only
# queries are the session, the user and the user's and groups' permissions the menu shows (a `geo` filter
# reads the indicator's geography codes as well).
SIGNED_IN_WARM = {
    "/": 4,
    "/tasks/1/": 4,
    "/tasks/1/?sector=sector-1": 4,
    "/sectors/": 4,
    "/sectors/sector-1/": 4,
    "/indicators/": 4,
    "/indicators/ind-1-1/": 4,
    "/indicators/ind-1-1/?geo=CHN&view=table": 5,
}


class Selections:
    """A select function that counts its calls and the languages it was asked for."""

    def __init__(self, result):
        self.result, self.calls, self.languages = result, 0, []

    def __call__(self, *, language):
        self.calls += 1
        self.languages.append(language)
        if isinstance(self.result, Exception):
            raise self.result
        return self.result


def test_page_data_is_selected_once_per_generation_and_state():
    select = Selections({"rows": [1, 2]})
    first, second = page_context("tasks", select=select), page_context("tasks", select=select)
    assert first["rows"] == second["rows"] == [1, 2]
    assert first["fragment_key"] == second["fragment_key"]
    assert select.calls == 1
    with translation.override("zh-hans"):
        page_context("tasks", select=select)
    page_context("task", 1, select=select)
    assert select.languages == ["en", "zh-hans", "en"]


@pytest.mark.django_db
def test_page_data_is_selected_again_after_a_writer_bumps_the_generation():
    select = Selections({"figures": []})
    page_context("tasks", select=select)
    site_generation_bump()
    page_context("tasks", select=select)
    assert select.calls == 2


def test_a_page_that_is_not_found_raises_before_rendering_and_is_never_stored():
    select = Selections(Http404("no such task"))
    for _ in range(2):
        with pytest.raises(Http404):
            page_context("task", 9, select=select)
    assert select.calls == 2


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "queries"), SIGNED_IN_WARM.items())
def test_a_signed_in_visitor_reads_the_page_data_another_request_selected(
    client, django_assert_num_queries, url, queries
):
    build_dataset(scale=1)
    client.get(url)
    client.force_login(UserFactory())
    client.get(url)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
    assert "Sign out" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "fragment", "state"),
    [
        ("/", "tasks-page", ("tasks",)),
        ("/tasks/1/", "task-page", ("task", 1, "")),
        ("/sectors/", "sectors-page", ("sectors",)),
    ],
)
def test_a_signed_in_visitors_page_is_rendered_once_per_generation(client, url, fragment, state):
    build_dataset(scale=1)
    client.force_login(UserFactory())
    client.get(url)
    # The template names its fragment with the quotes it is written with: {% cache ... "tasks-page" fragment_key %}.
    stored = cache.get(make_template_fragment_key(f'"{fragment}"', [page_key("en", *state)]))
    assert stored is not None and "<h1" in stored
    site_generation_bump()
    assert cache.get(make_template_fragment_key(f'"{fragment}"', [page_key("en", *state)])) is None


def test_page_data_this_process_read_is_not_read_from_the_shared_cache_again(db, monkeypatch):
    select = Selections({"rows": [1]})
    page_context("tasks", select=select)
    read, shared_get = [], cache.get
    monkeypatch.setattr(
        cache, "get", lambda name, *args, **kwargs: read.append(name) or shared_get(name, *args, **kwargs)
    )

    assert page_context("tasks", select=select)["rows"] == [1]

    assert select.calls == 1
    assert not [name for name in read if name.startswith("page-data:")]
    site_generation_bump()
    page_context("tasks", select=select)
    assert select.calls == 2
