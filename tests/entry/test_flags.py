"""Flags analysts set (issue 11 item 5): provisional, estimated and break in series, on the form and in uploads.

A flag change alone is a correction with its revision; the public data carries the flags once approved.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.services import ANALYST, user_grant_role
from entry.readers import template_csv, upload_read
from indicators.models import Observation, ObservationRevision
from indicators.services.observations import Flags, Outcome, observation_record
from indicators.services.review import observation_approve
from indicators.services.uploads import (
    RowStatus,
    flags_parse,
    flags_text,
    observations_upload_apply,
    observations_upload_preview,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
CITATION = "https://example.org/list-2022"


@pytest.fixture
def second_analyst(db):
    user = UserFactory(username="second-analyst")
    user_grant_role(user=user, role=ANALYST)
    return user


def rows_of(text: str, header: str = "geography,period,value,citation,note,flags\n") -> list[dict]:
    return upload_read(SimpleUploadedFile("values.csv", (header + text).encode()))


def test_the_entry_form_saves_the_flags_ticked(client, analyst, entered_indicator, china):
    client.force_login(analyst)
    post = {"geography": china.pk, "period": "2023", "value": "1500", "citation": CITATION, "note": ""}

    client.post(reverse("entry:indicator", args=[entered_indicator.code]), {**post, "is_estimated": "on"})

    figure = Observation.objects.get()
    assert (figure.is_provisional, figure.is_estimated, figure.is_break) == (False, True, False)


def test_the_correction_form_shows_the_stored_flags_and_a_flag_change_alone_is_a_correction(
    client, analyst, entered_observation, entered_indicator, china
):
    Observation.objects.filter(pk=entered_observation.pk).update(is_provisional=True)
    client.force_login(analyst)
    url = reverse("entry:indicator", args=[entered_indicator.code])

    page = client.get(url, {"observation": entered_observation.pk}).content.decode()
    assert 'name="is_provisional" id="id_is_provisional" checked' in page

    post = {"geography": china.pk, "period": "2022", "value": "1200", "citation": CITATION, "note": ""}
    client.post(url, {**post, "is_break": "on", "expected_version": 1})

    entered_observation.refresh_from_db()
    assert (entered_observation.is_provisional, entered_observation.is_break, entered_observation.version) == (
        False,
        True,
        2,
    )
    revision = ObservationRevision.objects.get()
    assert revision.only_flags_changed
    assert (revision.old_is_provisional, revision.old_is_break) == (True, False)


def test_saving_the_same_flags_again_changes_nothing(entered_observation, entered_indicator, china, analyst):
    arguments = {
        "indicator": entered_indicator,
        "geography": china,
        "period": entered_observation.period,
        "value": Decimal("1200"),
        "citation": CITATION,
        "user": analyst,
        "flags": Flags(is_estimated=True),
    }
    assert observation_record(**arguments, expected_version=1).outcome == Outcome.CORRECTED
    assert observation_record(**arguments, expected_version=2).outcome == Outcome.UNCHANGED


@pytest.mark.parametrize(
    ("text", "flags"),
    [
        ("", Flags()),
        ("provisional", Flags(is_provisional=True)),
        ("Estimated; break", Flags(is_estimated=True, is_break=True)),
        ("break, provisional,", Flags(is_provisional=True, is_break=True)),
    ],
)
def test_the_flags_column_reads_words_separated_by_semicolons(text, flags):
    assert flags_parse(text) == flags
    assert flags_parse(flags_text(flags)) == flags


def test_a_word_that_is_not_a_flag_is_refused_naming_row_and_column(entered_indicator, china):
    preview = observations_upload_preview(
        indicator=entered_indicator, rows=rows_of("CHN,2021,10,https://example.org/a,,preliminary\n")
    )

    assert [(problem.row, problem.column) for problem in preview.problems] == [(2, "flags")]
    assert "“preliminary” is not a flag" in preview.problems[0].reason
    assert preview.rows == []


def test_an_upload_sets_flags_and_a_flag_change_alone_is_recorded(entered_observation, entered_indicator, analyst):
    preview = observations_upload_preview(
        indicator=entered_indicator,
        rows=rows_of(
            "CHN,2022,1200,https://example.org/list-2022,,provisional\nCHN,2021,900,https://example.org/a,,\n"
        ),
    )
    assert [row.status for row in preview.rows] == [RowStatus.CHANGED, RowStatus.NEW]

    observations_upload_apply(
        indicator=entered_indicator, changes=preview.changes, user=analyst, confirm_out_of_range=False
    )

    flags = dict(Observation.objects.values_list("period", "is_provisional"))
    assert flags == {datetime.date(2022, 1, 1): True, datetime.date(2021, 1, 1): False}
    assert ObservationRevision.objects.get().only_flags_changed


def test_a_file_without_the_flags_column_keeps_the_stored_flags(entered_observation, entered_indicator):
    Observation.objects.filter(pk=entered_observation.pk).update(is_break=True)

    preview = observations_upload_preview(
        indicator=entered_indicator,
        rows=rows_of("CHN,2022,1200,https://example.org/list-2022,\n", header="geography,period,value,citation,note\n"),
    )

    assert [(row.status, row.is_break) for row in preview.rows] == [(RowStatus.UNCHANGED, True)]


def test_the_template_of_a_flagged_series_has_the_flags_column_and_uploads_unchanged(
    entered_observation, entered_indicator
):
    Observation.objects.filter(pk=entered_observation.pk).update(is_provisional=True, is_estimated=True)
    observations = list(Observation.objects.select_related("geography"))

    body = template_csv(entered_indicator, observations, with_flags=True)

    assert body.decode().splitlines() == [
        "geography,period,value,citation,note,flags",
        "CHN,2022,1200,https://example.org/list-2022,,provisional; estimated",
    ]
    preview = observations_upload_preview(
        indicator=entered_indicator, rows=upload_read(SimpleUploadedFile("t.csv", body))
    )
    assert (preview.unchanged_count, preview.changes) == (1, [])


def test_an_approved_flagged_figure_carries_its_flag_in_the_public_data(
    client,
    entered_indicator,
    china,
    analyst,
    second_analyst,
):
    figure = observation_record(
        indicator=entered_indicator,
        geography=china,
        period=datetime.date(2023, 1, 1),
        value=Decimal("1500"),
        citation=CITATION,
        user=analyst,
        flags=Flags(is_provisional=True),
    ).observation
    observation_approve(observation_id=figure.pk, user=second_analyst)

    data = client.get(reverse("indicators:data_json", args=[entered_indicator.code])).json()

    assert [(row["value"], row["provisional"]) for row in data["observations"]] == [(1500.0, True)]
