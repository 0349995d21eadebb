"""The embed page: the chart alone, framable from any site, while every other page refuses to be framed."""

import json

import pytest

from tests.dashboard.conftest import build_dataset


@pytest.fixture
def dataset(db):
    return build_dataset(scale=1)


def _directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in policy.split(";") if part.strip()}


def test_the_embed_page_may_be_framed_by_any_site(client, dataset):
    response = client.get("/indicators/ind-1-1/embed/")
    assert response.status_code == 200
    assert _directives(response)["frame-ancestors"] == "frame-ancestors *"
    assert "X-Frame-Options" not in response


@pytest.mark.parametrize("url", ["/", "/indicators/ind-1-1/", "/changes/", "/api/v1/docs/"])
def test_every_other_page_refuses_to_be_framed(client, dataset, url):
    response = client.get(url)
    assert _directives(response)["frame-ancestors"] == "frame-ancestors 'none'"
    assert response["X-Frame-Options"] == "DENY"


def test_the_embed_page_draws_the_state_its_url_names(client, dataset):
    html = client.get("/indicators/ind-1-1/embed/?geo=USA&start=2020").content.decode()
    figure = json.loads(html.split("data-figure>", 1)[1].split("</script>", 1)[0])
    assert [trace["name"] for trace in figure["data"] if trace.get("name") == "United States"]
    assert "/indicators/ind-1-1/?geo=USA&amp;start=2020" in html
    assert "<script>" not in html


def test_the_indicator_page_offers_the_embed_snippet_of_its_state(client, dataset):
    html = client.get("/indicators/ind-1-1/?geo=USA&start=2020").content.decode()
    assert "&lt;iframe src=&quot;http://testserver/indicators/ind-1-1/embed/?geo=USA&amp;start=2020&quot;" in html


def test_blob_images_are_allowed_for_images_only(client, dataset):
    directives = _directives(client.get("/indicators/ind-1-1/"))
    assert "blob:" in directives["img-src"].split()
    assert [name for name, text in directives.items() if "blob:" in text] == ["img-src"]


def test_the_embed_of_an_unknown_indicator_is_not_found(client, db):
    assert client.get("/indicators/nope/embed/").status_code == 404
