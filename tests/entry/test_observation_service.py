import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from indicators.models import Indicator, Observation, ObservationRevision
from indicators.services.observations import (
    ObservationConflict,
    Outcome,
    citation_clean,
    observation_record,
    observation_revert,
    value_parse,
)

Y2023 = datetime.date(2023, 1, 1)


def record(indicator, geography, user, **overrides):
    arguments = {
        "indicator": indicator,
        "geography": geography,
        "period": Y2023,
        "value": Decimal("1500"),
        "citation": "https://example.org/list-2023",
        "user": user,
    }
    return observation_record(**{**arguments, **overrides})


@pytest.mark.django_db
def test_recording_a_new_value_creates_an_analyst_observation_and_bumps_the_data_version(
    settings, entered_indicator, china, analyst
):
    settings.OBSERVATION_REVIEW_REQUIRED = False  # a pending value changes nothing public: see test_review.py
    before = entered_indicator.data_version

    result = record(entered_indicator, china, analyst)

    assert result.outcome == Outcome.CREATED
    observation = Observation.objects.get()
    assert (observation.value, observation.origin, observation.entered_by, observation.version) == (
        Decimal("1500"),
        Observation.Origin.ANALYST,
        analyst,
        1,
    )
    entered_indicator.refresh_from_db()
    assert entered_indicator.data_version == before + 1


@pytest.mark.django_db
def test_correcting_a_value_keeps_the_old_one_in_history_and_increments_the_version(
    entered_observation, entered_indicator, china, admin_user
):
    result = record(
        entered_indicator,
        china,
        admin_user,
        period=entered_observation.period,
        value=Decimal("1250"),
        citation="Test publisher, corrected list, 2023-03-01",
        expected_version=1,
    )

    assert result.outcome == Outcome.CORRECTED
    entered_observation.refresh_from_db()
    assert (entered_observation.value, entered_observation.version, entered_observation.revision_count) == (
        Decimal("1250"),
        2,
        1,
    )
    revision = ObservationRevision.objects.get()
    assert (revision.old_value, revision.new_value, revision.old_version) == (Decimal("1200"), Decimal("1250"), 1)
    assert revision.reason == ObservationRevision.Reason.ANALYST_CORRECTION
    assert revision.replaced_by_user == admin_user
    assert revision.old_citation == "https://example.org/list-2022"


@pytest.mark.django_db
def test_saving_the_same_value_and_citation_changes_nothing(entered_observation, entered_indicator, china, analyst):
    version_before = Indicator.objects.get().data_version

    result = record(
        entered_indicator,
        china,
        analyst,
        period=entered_observation.period,
        value=Decimal("1200"),
        citation=entered_observation.citation,
        expected_version=1,
    )

    assert result.outcome == Outcome.UNCHANGED
    assert ObservationRevision.objects.count() == 0
    assert Indicator.objects.get().data_version == version_before
    entered_observation.refresh_from_db()
    assert entered_observation.version == 1


@pytest.mark.django_db
def test_a_stale_version_is_refused_with_the_newer_value_and_nothing_is_overwritten(
    entered_observation, entered_indicator, china, analyst, admin_user
):
    record(entered_indicator, china, admin_user, period=entered_observation.period, value=1300, expected_version=1)

    with pytest.raises(ObservationConflict) as conflict:
        record(entered_indicator, china, analyst, period=entered_observation.period, value=1400, expected_version=1)

    assert conflict.value.current.value == Decimal("1300")
    assert "1300" in str(conflict.value)
    entered_observation.refresh_from_db()
    assert (entered_observation.value, entered_observation.version) == (Decimal("1300"), 2)
    assert ObservationRevision.objects.count() == 1


@pytest.mark.django_db
def test_adding_a_value_for_a_period_that_already_has_one_is_a_conflict(
    entered_observation, entered_indicator, china, analyst
):
    with pytest.raises(ObservationConflict) as conflict:
        record(entered_indicator, china, analyst, period=entered_observation.period, expected_version=None)

    assert conflict.value.current == entered_observation
    entered_observation.refresh_from_db()
    assert entered_observation.value == Decimal("1200")


@pytest.mark.django_db
def test_a_period_that_does_not_start_a_period_of_the_indicators_frequency_is_refused(
    entered_indicator, china, analyst
):
    with pytest.raises(ValidationError) as error:
        record(entered_indicator, china, analyst, period=datetime.date(2023, 4, 1))

    assert "period" in error.value.message_dict
    assert not Observation.objects.exists()


@pytest.mark.django_db
def test_a_value_outside_the_plausible_range_needs_explicit_confirmation(entered_indicator, china, analyst):
    with pytest.raises(ValidationError) as error:
        record(entered_indicator, china, analyst, value=Decimal("100001"))
    assert "confirm_out_of_range" in error.value.message_dict
    assert not Observation.objects.exists()

    result = record(entered_indicator, china, analyst, value=Decimal("100001"), confirm_out_of_range=True)

    assert result.outcome == Outcome.CREATED


@pytest.mark.django_db
def test_a_missing_or_non_http_citation_is_refused(entered_indicator, china, analyst):
    for citation in ("", "   ", "javascript:alert(1)", "ftp://example.org/file", "x", 'https://e.org/"><script>'):
        with pytest.raises(ValidationError) as error:
            record(entered_indicator, china, analyst, citation=citation)
        assert "citation" in error.value.message_dict, citation
    assert not Observation.objects.exists()


@pytest.mark.parametrize(
    "citation",
    [
        "https://www.miit.gov.cn/zwgk/index.html",
        "http://example.org/a?b=c",
        "MIIT, list of specialised enterprises, 2023-07-18, p. 4",
        "工业和信息化部公告 2023年第12号",
    ],
)
def test_citations_accept_http_urls_and_document_references(citation):
    assert citation_clean(citation) == citation


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1,234.5", Decimal("1234.5")), (" 12 ", Decimal("12")), ("-0.25", Decimal("-0.25")), ("1e3", Decimal("1000"))],
)
def test_values_are_read_as_exact_decimals(text, expected):
    assert value_parse(text) == expected


@pytest.mark.parametrize("text", ["", "twelve", "NaN", "Infinity", "1.0000001", "1e30"])
def test_values_that_are_not_storable_numbers_are_refused(text):
    with pytest.raises(ValidationError):
        value_parse(text)


@pytest.mark.django_db
def test_an_admin_reverts_a_correction_and_the_reverted_value_joins_the_history(
    entered_observation, entered_indicator, china, analyst, admin_user
):
    record(entered_indicator, china, analyst, period=entered_observation.period, value=1300, expected_version=1)
    correction = ObservationRevision.objects.get()
    data_version = Indicator.objects.get().data_version

    observation = observation_revert(revision=correction, user=admin_user, expected_version=2)

    assert (observation.value, observation.version, observation.citation) == (
        Decimal("1200"),
        3,
        "https://example.org/list-2022",
    )
    latest = ObservationRevision.objects.first()
    assert (latest.reason, latest.old_value, latest.new_value, latest.replaced_by_user) == (
        ObservationRevision.Reason.REVERT,
        Decimal("1300"),
        Decimal("1200"),
        admin_user,
    )
    assert Indicator.objects.get().data_version == data_version + 1


@pytest.mark.django_db
def test_a_revert_from_a_stale_page_is_refused(entered_observation, entered_indicator, china, analyst, admin_user):
    record(entered_indicator, china, analyst, period=entered_observation.period, value=1300, expected_version=1)
    correction = ObservationRevision.objects.get()

    with pytest.raises(ObservationConflict):
        observation_revert(revision=correction, user=admin_user, expected_version=1)

    entered_observation.refresh_from_db()
    assert entered_observation.value == Decimal("1300")
