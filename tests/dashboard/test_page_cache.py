"""The public pages' fragment cache: served from the cache, invalidated by every write that changes them."""

import datetime
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib import admin
from django.db.models import F
from django.test import RequestFactory
from django.utils import timezone

from indicators.models import Indicator, Observation
from indicators.services.observations import observation_record
from indicators.services.review import observation_approve
from tasks.models import Commitment
from tasks.services.assessments import commitment_assess
from tests.dashboard.test_pages import PAGES
from tests.factories import UserFactory


def _main(html: str) -> str:
    """The page's content: the rest holds a per-request CSRF token."""
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def _trace_names(html: str) -> list[str]:
    figure = json.loads(html.split("data-figure>", 1)[1].split("</script>", 1)[0])
    return [trace.get("name") for trace in figure["data"]]


ROOT = Path(__file__).resolve().parents[2]
FRAGMENT = {"HX-Request": "true", "HX-Target": "chart-panel"}
Y2023 = datetime.date(2023, 1, 1)

# On a warm cache no query runs: the site generation and the page come from the cache in one read.
CACHED = {"/": 0, "/tasks/1/": 0, "/tasks/1/?sector=sector-1": 0, "/sectors/sector-1/": 0, "/indicators/ind-1-1/": 0}


@pytest.mark.parametrize(("url", "queries"), CACHED.items())
def test_a_cached_page_is_served_from_the_cache_with_fewer_queries(
    client, django_assert_num_queries, dataset, url, queries
):
    first = client.get(url).content.decode()
    with django_assert_num_queries(queries):
        second = client.get(url).content.decode()
    assert queries < PAGES[url]
    assert _main(second) == _main(first)


def test_the_cached_fragment_and_the_cached_full_page_are_never_confused(client, dataset):
    url = "/indicators/ind-1-1/?view=table"
    for _ in range(2):
        page = client.get(url)
        fragment = client.get(url, headers=FRAGMENT)
        assert "<html" in page.content.decode()
        assert fragment.content.decode().lstrip().startswith('<section id="chart-panel"')
        assert "HX-Target" in fragment["Vary"] and "HX-Request" in page["Vary"]


def test_the_table_holds_only_the_charted_geographies_china_by_default(client, dataset):
    default = client.get("/indicators/ind-1-1/", headers=FRAGMENT).content.decode()
    assert "<td>China</td>" in default
    assert "<td>United States</td>" not in default
    traces = _trace_names(default)
    assert "China" in traces and "United States" not in traces
    usa = client.get("/indicators/ind-1-1/?geo=USA", headers=FRAGMENT).content.decode()
    assert "<td>United States</td>" in usa
    assert "<td>China</td>" not in usa
    assert "United States" in _trace_names(usa) and "China" not in _trace_names(usa)
    # The downloads keep every geography's figures.
    assert "USA" in client.get("/indicators/ind-1-1/data.csv").content.decode()


def test_an_observation_write_invalidates_the_pages_that_show_it(client, dataset):
    pages = ["/indicators/ind-1-1/?view=table", "/"]
    for url in pages:
        assert "987654" not in client.get(url).content.decode().replace(",", "")
    indicator = Indicator.objects.get(code="ind-1-1")
    current = Observation.objects.get(indicator=indicator, geography__code="CHN", period=Y2023)
    entered = observation_record(
        indicator=indicator,
        geography=current.geography,
        period=Y2023,
        value=Decimal("987654"),
        citation="https://example.org/corrected-2023",
        user=UserFactory(),
        expected_version=current.version,
        confirm_out_of_range=True,
    )
    # Public once a second user approves it.
    observation_approve(observation_id=entered.observation.pk, user=UserFactory())
    for url in pages:
        assert "987654" in client.get(url).content.decode().replace(",", ""), url


def test_a_refresh_in_another_process_invalidates_the_home_page(client, dataset, settings, tmp_path):
    """No signal reaches this process: the other process's writer moves the generation in the shared cache."""
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.base", "DEBUG": "1"}
    if not settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        settings.CACHES = {
            "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path)}
        }
        environment |= {"CACHE_DIR": str(tmp_path), "REDIS_URL": ""}
    client.get("/")
    indicator = Indicator.objects.get(code="ind-1-1")
    # What the other process's write core does: the figures and their indicator's data version in the database,
    # then the site generation in the shared cache.
    Observation.objects.filter(indicator=indicator, geography__code="CHN", period=Y2023).update(value=Decimal("987654"))
    Indicator.objects.filter(pk=indicator.pk).update(data_version=F("data_version") + 1)
    bump = "import django; django.setup(); from config.generations import site_generation_bump; site_generation_bump()"
    subprocess.run([sys.executable, "-c", bump], cwd=ROOT, env=environment, check=True, timeout=60)
    assert "987654" in client.get("/").content.decode()


def test_an_admin_edit_of_a_commitment_title_invalidates_the_pages_that_show_it(client, dataset):
    commitment = Commitment.objects.get(task__number=1, position=1)
    sector = commitment.sectors.get()
    pages = ["/", "/tasks/1/", f"/sectors/{sector.slug}/", "/indicators/ind-1-1/"]
    for url in pages:
        assert commitment.title_en in client.get(url).content.decode(), url
    commitment.title_en = "A title the admin corrected"
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    request = RequestFactory().post("/admin/tasks/commitment/")
    request.user = admin_user
    admin.site._registry[Commitment].save_model(request, commitment, form=None, change=True)
    for url in pages:
        assert "A title the admin corrected" in client.get(url).content.decode(), url


def test_an_assessment_invalidates_the_pages_that_show_it(client, dataset):
    commitment = Commitment.objects.get(task__number=1, position=1)
    sector = commitment.sectors.get()
    pages = ["/tasks/1/", f"/sectors/{sector.slug}/"]
    for url in pages:
        client.get(url)
    commitment_assess(
        commitment=commitment,
        status="stalled",
        note="The latest bulletin shows no new capacity this year.",
        evidence_links=["https://example.org/bulletin"],
        assessed_on=timezone.localdate(),
        user=UserFactory(),
    )
    assert "The latest bulletin shows no new capacity this year." in client.get("/tasks/1/").content.decode()
    assert "analysts disagree" in client.get(f"/sectors/{sector.slug}/").content.decode()


@pytest.mark.parametrize("url", list(CACHED))
def test_with_redis_down_every_request_is_served_uncached(client, django_assert_num_queries, dataset, settings, url):
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    client.get(url)
    with django_assert_num_queries(PAGES[url]):
        response = client.get(url)
    assert response.status_code == 200
    assert "<main" in response.content.decode()
