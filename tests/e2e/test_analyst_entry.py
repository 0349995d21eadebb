"""An analyst signs in, enters a cited value in place; once a second analyst approves it the public page shows it."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.services import ANALYST, user_grant_role
from indicators.models import Indicator, Observation
from indicators.services.review import observation_approve
from tests.factories import GeographyFactory, IndicatorFactory, SourceFactory, UserFactory

PASSWORD = "correct horse battery staple"
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


@pytest.mark.django_db(transaction=True)
def test_an_analyst_enters_a_cited_value_and_the_public_page_shows_its_provenance(
    live_server, page, console_errors, entered_indicator
):
    analyst = UserFactory(username="e2e-wang")
    user_grant_role(user=analyst, role=ANALYST)

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Username").fill("e2e-wang")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Entry").click()

    expect(page).to_have_url(live_server.url + "/entry/")
    row = page.locator("#indicator-test-entered-count")
    expect(row).to_contain_text("No data")
    row.get_by_role("link", name="Enter a value").click()

    form = page.locator("#entry-form")
    form.get_by_label("Period").fill("2023")
    form.get_by_label("Value (enterprises)").fill("1500")
    form.get_by_label("Source citation").fill(CITATION)
    entry_url = page.url
    form.get_by_role("button", name="Save").click()

    # Swapped in place by htmx: the page did not reload, the table updated out of band.
    expect(page.locator("#entry-form")).to_contain_text("value added")
    expect(page.locator("#observation-table")).to_contain_text("1500")
    assert page.url == entry_url
    observation = Observation.objects.get()
    assert (observation.value, observation.origin, observation.citation) == (Decimal("1500"), "analyst", CITATION)

    # Review before publish: the figure is public once a second analyst approves it.
    reviewer = UserFactory(username="e2e-li")
    user_grant_role(user=reviewer, role=ANALYST)
    observation_approve(observation_id=observation.pk, user=reviewer)

    page.goto(live_server.url + "/indicators/test-entered-count/?view=table")
    expect(page.locator("table.data-table")).to_contain_text("1,500")  # the public table groups thousands
    expect(page.locator("table.data-table")).to_contain_text("entered by an analyst")
    expect(page.locator("ul.citations")).to_contain_text(CITATION)
    assert "e2e-wang" not in page.content()
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
