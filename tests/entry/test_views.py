"""The workspace pages: what analysts see, what their posts do, and both renderings of each HTMX region."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from entry.models import PendingUpload
from indicators.models import Disagreement, Indicator, Observation, ObservationRevision
from tasks.models import Assessment
from tests.factories import CommitmentFactory, IndicatorFactory, IngestRunFactory, ObservationFactory

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "entry-form"}


def entry_url(indicator):
    return reverse("entry:indicator", args=[indicator.code])


def valid_post(**overrides):
    data = {
        "geography": overrides.pop("geography", None),
        "period": "2023",
        "value": "1500",
        "citation": "https://example.org/list-2023",
        "note": "",
    }
    return {**data, **overrides}


@pytest.fixture
def signed_in_analyst(client, analyst):
    client.force_login(analyst)
    return client


# --- Workspace --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_workspace_lists_analyst_entered_indicators_overdue_first(signed_in_analyst, entered_indicator, china):
    current = IndicatorFactory(
        code="test-entered-current",
        arrival=Indicator.Arrival.ANALYST,
        source_series_code="",
        publication="Test publication",
        release_lag_days=90,
    )
    this_year = datetime.date.today().year  # noqa: DTZ011 - a calendar year for a fixture
    ObservationFactory(indicator=current, geography=china, period=datetime.date(this_year - 1, 1, 1))
    ObservationFactory(indicator=entered_indicator, geography=china, period=datetime.date(2019, 1, 1))

    response = signed_in_analyst.get(reverse("entry:workspace"))

    assert response.status_code == 200
    codes = [row.indicator.code for row in response.context["rows"]]
    assert codes == ["test-entered-count", "test-entered-current"]
    assert response.context["rows"][0].overdue and not response.context["rows"][1].overdue
    assert response.context["rows"][0].latest_period_label == "2019"
    assert response.context["rows"][0].next_due == datetime.date(2020, 12, 31) + datetime.timedelta(days=90)


@pytest.mark.django_db
def test_analysts_do_not_see_indicators_pulled_from_an_api_but_admins_do(
    client, analyst, admin_user, entered_indicator, pulled_indicator
):
    client.force_login(analyst)
    assert [row.indicator for row in client.get(reverse("entry:workspace")).context["rows"]] == [entered_indicator]

    client.force_login(admin_user)
    rows = client.get(reverse("entry:workspace")).context["rows"]
    assert {row.indicator for row in rows} == {entered_indicator, pulled_indicator}


@pytest.mark.django_db
@pytest.mark.parametrize("extra_indicators", [0, 10])
def test_the_workspace_runs_a_fixed_number_of_queries(
    signed_in_analyst, entered_indicator, china, django_assert_num_queries, extra_indicators
):
    for number in range(extra_indicators):
        indicator = IndicatorFactory(
            code=f"test-extra-{number}",
            arrival=Indicator.Arrival.ANALYST,
            source_series_code="",
            publication="Test publication",
        )
        ObservationFactory(indicator=indicator, geography=china)

    # session, user, user permissions, group permissions, indicators, open disagreements
    with django_assert_num_queries(6):
        response = signed_in_analyst.get(reverse("entry:workspace"))

    assert len(response.context["rows"]) == extra_indicators + 1


# --- Entering a value ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_valid_value_is_saved_and_the_plain_form_redirects_back_with_a_message(
    signed_in_analyst, entered_indicator, china, analyst
):
    response = signed_in_analyst.post(entry_url(entered_indicator), valid_post(geography=china.pk), follow=True)

    assert response.redirect_chain == [(entry_url(entered_indicator), 302)]
    observation = Observation.objects.get()
    assert (observation.period, observation.value, observation.entered_by) == (
        datetime.date(2023, 1, 1),
        Decimal("1500"),
        analyst,
    )
    assert "value added" in response.content.decode()


@pytest.mark.django_db
def test_an_htmx_save_returns_the_fresh_form_and_the_table_out_of_band(signed_in_analyst, entered_indicator, china):
    response = signed_in_analyst.post(entry_url(entered_indicator), valid_post(geography=china.pk), **HTMX)

    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'id="entry-form"' in body
    assert 'id="observation-table" hx-swap-oob="true"' in body
    assert "value added" in body and "1500" in body


@pytest.mark.django_db
def test_the_entry_page_renders_fully_or_as_the_form_fragment(signed_in_analyst, entered_observation):
    url = entry_url(entered_observation.indicator) + f"?observation={entered_observation.pk}"

    page = signed_in_analyst.get(url)
    fragment = signed_in_analyst.get(url, **HTMX)

    assert "<html" in page.content.decode()
    body = fragment.content.decode()
    assert "<html" not in body and body.lstrip().startswith('<section id="entry-form"')
    assert 'name="expected_version" value="1"' in body
    assert "Correct a value" in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("period", "2023-Q1", "is not a valid annual period; write it like 2023"),
        ("value", "lots", "is not a number"),
        ("citation", "", "This field is required"),
        ("citation", "javascript:alert(1)", "must be a complete http:// or https:// URL"),
    ],
)
def test_invalid_input_is_explained_next_to_its_field_and_nothing_is_written(
    signed_in_analyst, entered_indicator, china, field, value, message
):
    response = signed_in_analyst.post(
        entry_url(entered_indicator), valid_post(geography=china.pk, **{field: value}), **HTMX
    )

    body = response.content.decode()
    error_list = body[body.index(f'id="id_{field}_error"') :]
    assert message in error_list[: error_list.index("</ul>")]
    assert re.search(rf'<(input|textarea)[^>]*aria-invalid="true"[^>]*id="id_{field}"', body)
    assert not Observation.objects.exists()


@pytest.mark.django_db
def test_a_value_outside_the_plausible_range_asks_for_a_checkbox_then_saves_with_it(
    signed_in_analyst, entered_indicator, china
):
    first = signed_in_analyst.post(entry_url(entered_indicator), valid_post(geography=china.pk, value="250000"), **HTMX)

    assert "outside the plausible range" in first.content.decode()
    assert 'name="confirm_out_of_range"' in first.content.decode()
    assert not Observation.objects.exists()

    signed_in_analyst.post(
        entry_url(entered_indicator), valid_post(geography=china.pk, value="250000", confirm_out_of_range="on"), **HTMX
    )
    assert Observation.objects.get().value == Decimal("250000")


@pytest.mark.django_db
def test_the_second_of_two_concurrent_edits_is_refused_showing_the_newer_value(
    client, analyst, admin_user, entered_observation, china
):
    url = entry_url(entered_observation.indicator)
    correction = valid_post(geography=china.pk, period="2022", expected_version="1")
    client.force_login(admin_user)
    client.post(url, {**correction, "value": "1300"})

    client.force_login(analyst)
    response = client.post(url, {**correction, "value": "1400"}, **HTMX)

    body = response.content.decode()
    assert "Someone saved a newer value while you were editing: 1300" in body
    assert 'name="expected_version" value="2"' in body  # saving again is now a deliberate choice
    entered_observation.refresh_from_db()
    assert entered_observation.value == Decimal("1300")


@pytest.mark.django_db
def test_analysts_cannot_enter_values_on_indicators_pulled_from_an_api(
    client, analyst, admin_user, pulled_indicator, china
):
    client.force_login(analyst)
    assert client.post(entry_url(pulled_indicator), valid_post(geography=china.pk)).status_code == 403
    assert not Observation.objects.exists()

    client.force_login(admin_user)
    assert client.post(entry_url(pulled_indicator), valid_post(geography=china.pk)).status_code == 302
    assert Observation.objects.get().indicator == pulled_indicator


# --- History and revert ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_history_page_shows_who_changed_a_value_when_and_from_what(
    client, analyst, admin_user, entered_observation, china
):
    client.force_login(analyst)
    client.post(
        entry_url(entered_observation.indicator),
        valid_post(geography=china.pk, period="2022", value="1300", expected_version="1"),
    )

    response = client.get(reverse("entry:observation_history", args=[entered_observation.pk]))

    revisions = list(response.context["observation"].revisions.all())
    assert [(r.old_value, r.new_value, r.replaced_by_user) for r in revisions] == [
        (Decimal("1200"), Decimal("1300"), analyst)
    ]
    assert response.context["can_revert"] is False
    assert "Revert to" not in response.content.decode()


@pytest.mark.django_db
def test_an_admin_reverts_a_change_from_the_history_page(client, analyst, admin_user, entered_observation, china):
    client.force_login(analyst)
    client.post(
        entry_url(entered_observation.indicator),
        valid_post(geography=china.pk, period="2022", value="1300", expected_version="1"),
    )
    revision = ObservationRevision.objects.get()
    client.force_login(admin_user)
    page = client.get(reverse("entry:observation_history", args=[entered_observation.pk]))
    assert "Revert to 1200" in page.content.decode()

    response = client.post(reverse("entry:revision_revert", args=[revision.pk]), {"expected_version": "2"})

    assert response.status_code == 302
    entered_observation.refresh_from_db()
    assert (entered_observation.value, entered_observation.version) == (Decimal("1200"), 3)


# --- Upload through the pages ----------------------------------------------------------------------


def upload(client, indicator, text, name="values.csv"):
    return client.post(
        reverse("entry:indicator_upload", args=[indicator.code]),
        {"file": SimpleUploadedFile(name, text.encode())},
    )


@pytest.mark.django_db
def test_an_upload_is_previewed_then_written_on_confirmation_and_a_second_upload_changes_nothing(
    signed_in_analyst, entered_indicator, china
):
    text = "geography,period,value,citation\nCHN,2021,1100,https://example.org/a\nCHN,2022,1200,https://example.org/b\n"

    preview = upload(signed_in_analyst, entered_indicator, text)

    assert preview.status_code == 200 and not Observation.objects.exists()
    pending = preview.context["pending"]
    assert "2 new, 0 corrected, 0 unchanged." in preview.content.decode()
    confirm = signed_in_analyst.post(reverse("entry:upload_confirm", args=[pending.token]))
    assert confirm.status_code == 302
    assert Observation.objects.count() == 2
    assert not PendingUpload.objects.exists()

    again = upload(signed_in_analyst, entered_indicator, text)

    assert again.context["pending"] is None
    assert "nothing to write" in again.content.decode()
    assert Observation.objects.filter(version=1).count() == 2


@pytest.mark.django_db
def test_an_upload_with_errors_lists_them_and_offers_no_confirmation(signed_in_analyst, entered_indicator, china):
    response = upload(
        signed_in_analyst, entered_indicator, "geography,period,value,citation\nCHN,2021-13,1,https://example.org/a\n"
    )

    body = response.content.decode()
    assert response.context["pending"] is None
    assert 'id="upload-problems"' in body and "<td>2</td><td>period</td>" in body
    assert 'id="upload-confirm"' not in body
    assert not PendingUpload.objects.exists()


@pytest.mark.django_db
def test_a_refused_file_says_why(signed_in_analyst, entered_indicator):
    response = upload(signed_in_analyst, entered_indicator, "geography,period,value,citation,colour\n")

    assert "Unknown column(s): colour" in response.content.decode()


@pytest.mark.django_db
def test_nobody_else_can_confirm_an_analysts_pending_upload(client, analyst, admin_user, entered_indicator, china):
    client.force_login(analyst)
    pending = upload(
        client, entered_indicator, "geography,period,value,citation\nCHN,2021,1,https://example.org/a\n"
    ).context["pending"]

    client.force_login(admin_user)
    response = client.post(reverse("entry:upload_confirm", args=[pending.token]))

    assert response.status_code == 404
    assert not Observation.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_template_downloads_as_an_attachment(signed_in_analyst, entered_indicator, fmt):
    response = signed_in_analyst.get(reverse("entry:indicator_template", args=[entered_indicator.code, fmt]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="test-entered-count-values.{fmt}"'


# --- Disagreements and assessments ---------------------------------------------------------------


@pytest.fixture
def disagreement(entered_observation, entered_indicator):
    return Disagreement.objects.create(
        observation=entered_observation,
        run=IngestRunFactory(source=entered_indicator.source, indicator=entered_indicator),
        source_value=Decimal("1180"),
        analyst_value=entered_observation.value,
    )


@pytest.mark.django_db
def test_open_disagreements_are_listed_and_resolved_in_place(signed_in_analyst, disagreement, entered_observation):
    listing = signed_in_analyst.get(reverse("entry:disagreements"))
    assert list(listing.context["disagreements"]) == [disagreement]

    response = signed_in_analyst.post(
        reverse("entry:disagreement_resolve", args=[disagreement.pk]),
        {"resolution": "took_source", "expected_version": "1"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET=f"disagreement-{disagreement.pk}",
    )

    body = response.content.decode()
    assert "<html" not in body and body.lstrip().startswith(f'<tr id="disagreement-{disagreement.pk}"')
    assert "Took the source" in body
    entered_observation.refresh_from_db()
    assert entered_observation.value == Decimal("1180")
    assert list(signed_in_analyst.get(reverse("entry:disagreements")).context["disagreements"]) == []


@pytest.mark.django_db
def test_an_assessment_is_recorded_and_earlier_ones_stay_visible(signed_in_analyst, analyst):
    commitment = CommitmentFactory()
    url = reverse("entry:commitment", args=[commitment.code])
    data = {
        "status": "stalled",
        "note": "First look.",
        "evidence_links": "https://www.miit.gov.cn/a\n",
        "assessed_on": "2024-06-01",
    }
    signed_in_analyst.post(url, data)

    response = signed_in_analyst.post(
        url,
        {**data, "status": "progressing", "note": "Second look.", "assessed_on": "2025-01-15"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="assessment-panel",
    )

    body = response.content.decode()
    assert "<html" not in body and "Assessment recorded." in body
    assert body.index("Second look.") < body.index("First look.")
    assert Assessment.objects.filter(commitment=commitment).count() == 2


@pytest.mark.django_db
def test_an_assessment_with_a_non_http_link_is_refused_next_to_the_field(signed_in_analyst):
    commitment = CommitmentFactory()
    response = signed_in_analyst.post(
        reverse("entry:commitment", args=[commitment.code]),
        {"status": "stalled", "note": "x", "evidence_links": "javascript:alert(1)", "assessed_on": "2024-06-01"},
    )

    assert "http:// or https://" in " ".join(response.context["form"].errors["evidence_links"])
    assert not Assessment.objects.exists()


@pytest.mark.django_db
def test_every_problem_of_a_submission_is_shown_at_once(signed_in_analyst, entered_indicator, china):
    response = signed_in_analyst.post(
        entry_url(entered_indicator),
        valid_post(geography=china.pk, period="2023-Q1", value="250000", citation="x"),
        **HTMX,
    )

    body = response.content.decode()
    for field in ("period", "citation", "confirm_out_of_range"):
        assert f'id="id_{field}_error"' in body, field
    assert not Observation.objects.exists()


@pytest.mark.django_db
def test_confirming_an_upload_with_values_outside_the_range_needs_the_checkbox(
    signed_in_analyst, entered_indicator, china
):
    preview = upload(
        signed_in_analyst, entered_indicator, "geography,period,value,citation\nCHN,2021,250000,https://example.org/a\n"
    )
    pending = preview.context["pending"]
    assert 'name="confirm_out_of_range"' in preview.content.decode()
    url = reverse("entry:upload_confirm", args=[pending.token])

    refused = signed_in_analyst.post(url)

    assert refused.status_code == 200 and "outside the plausible range" in refused.content.decode()
    assert not Observation.objects.exists()
    assert signed_in_analyst.post(url, {"confirm_out_of_range": "on"}).status_code == 302
    assert Observation.objects.get().value == Decimal("250000")
