"""Enter -> review -> approve -> public (issue 11): an analyst enters a cited, flagged value in place; a second
analyst approves it by clicking on the review queue; only then do the public page and data.json show it.
At a desktop and a phone width."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.services import ANALYST, user_grant_role
from indicators.models import Indicator, Observation
from tests.factories import GeographyFactory, IndicatorFactory, SourceFactory, UserFactory

PASSWORD = "correct horse battery staple"
WIDTHS = [1280, 390]
CITATION = "https://example.org/test-publisher/list-2023"


@pytest.fixture
def entered_indicator(db):
    china = GeographyFactory(code="CHN")
    indicator = IndicatorFactory(
        code="test-entered-count",
        name_en="Test entered count",
        unit="enterprises",
        frequency=Indicator.Frequency.ANNUAL,
        arrival=Indicator.Arrival.ANALYST,
        source=SourceFactory(key="test-publisher", name="Test publisher's lists"),
        source_series_code="",
        publication="Test publisher's annual list",
        decimals=0,
    )
    indicator.geographies.add(china)
    return indicator


def _sign_in(page, url: str, username: str) -> None:
    page.goto(url + "/")
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _public_figures(context, url: str) -> list:
    data = context.request.get(url + "/indicators/test-entered-count/data.json").json()
    return [(row["value"], row["estimated"]) for row in data["observations"]]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.django_db(transaction=True)
def test_an_analyst_enters_a_cited_value_and_the_public_page_shows_its_provenance(
    live_server, browser, page, console_errors, entered_indicator, width
):
    page.set_viewport_size({"width": width, "height": 900})
    analyst = UserFactory(username="e2e-wang")
    user_grant_role(user=analyst, role=ANALYST)
    _sign_in(page, live_server.url, "e2e-wang")
    page.get_by_role("link", name="Entry").click()

    expect(page).to_have_url(live_server.url + "/entry/")
    row = page.locator("#indicator-test-entered-count")
    expect(row).to_contain_text("No data")
    row.get_by_role("link", name="Enter a value").click()

    form = page.locator("#entry-form")
    form.get_by_label("Period").fill("2023")
    form.get_by_label("Value (enterprises)").fill("1500")
    form.get_by_label("Source citation").fill(CITATION)
    form.get_by_label("Estimated").check()
    entry_url = page.url
    form.get_by_role("button", name="Save").click()

    # Swapped in place by htmx: the page did not reload, the table updated out of band.
    expect(page.locator("#entry-form")).to_contain_text("value added")
    expect(page.locator("#observation-table")).to_contain_text("1500")
    expect(page.locator("#observation-table")).to_contain_text("estimated")
    assert page.url == entry_url
    observation = Observation.objects.get()
    assert (observation.value, observation.origin, observation.citation) == (Decimal("1500"), "analyst", CITATION)
    assert _public_figures(page.context, live_server.url) == []  # pending: not public yet

    # Review before publish: a second analyst approves it from the review queue, by clicking.
    reviewer = UserFactory(username="e2e-li")
    user_grant_role(user=reviewer, role=ANALYST)
    second = browser.new_context(viewport={"width": width, "height": 900})
    queue = second.new_page()
    _sign_in(queue, live_server.url, "e2e-li")
    queue.get_by_role("link", name="Entry").click()
    queue.get_by_role("navigation", name="Analyst workspace").get_by_role("link", name="Review").click()
    pending = queue.locator(f"#pending-{observation.pk}")
    expect(pending).to_contain_text("1500")
    pending.get_by_role("button", name="Approve").click()

    expect(queue).to_have_url(live_server.url + "/entry/review/")
    expect(queue.locator("ul.messages")).to_contain_text("1 figure(s) approved and published.")
    expect(queue.locator("#pending-observations")).to_contain_text("No single figures are waiting.")
    second.close()

    assert _public_figures(page.context, live_server.url) == [(1500.0, True)]
    page.goto(live_server.url + "/indicators/test-entered-count/?view=table")
    expect(page.locator("table.data-table")).to_contain_text("1,500")  # the public table groups thousands
    expect(page.locator("table.data-table")).to_contain_text("estimated")
    expect(page.locator("table.data-table")).to_contain_text("entered by an analyst")
    expect(page.locator("ul.citations")).to_contain_text(CITATION)
    assert "e2e-wang" not in page.content() and "e2e-li" not in page.content()
    assert console_errors == []


@pytest.mark.django_db(transaction=True)
def test_an_anonymous_visitor_posting_to_the_entry_endpoint_is_refused(live_server, browser, entered_indicator):
    context = browser.new_context()
    anonymous = context.new_page()
    entry_url = f"{live_server.url}/entry/indicators/{entered_indicator.code}/"

    anonymous.goto(entry_url)
    expect(anonymous).to_have_url(f"{live_server.url}/accounts/login/?next=/entry/indicators/test-entered-count/")
    token = next(cookie["value"] for cookie in context.cookies() if cookie["name"] == "csrftoken")

    form = {"csrfmiddlewaretoken": token, "period": "2023", "value": "1", "citation": CITATION, "geography": "1"}
    headers = {"X-CSRFToken": token, "Referer": entry_url}

    plain = context.request.post(entry_url, form=form, headers=headers, max_redirects=0)
    htmx = context.request.post(entry_url, form=form, headers={**headers, "HX-Request": "true"}, max_redirects=0)

    assert plain.status == 302 and plain.headers["location"].startswith("/accounts/login/")
    assert htmx.headers["hx-redirect"].startswith("/accounts/login/")
    assert not Observation.objects.exists()
    context.close()
