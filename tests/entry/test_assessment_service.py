import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from indicators.services.observations import citation_clean
from tasks.models import Assessment, ProgressStatus
from tasks.services.assessments import commitment_assess
from tasks.validators import evidence_links_clean
from tests.factories import CommitmentFactory


@pytest.fixture
def commitment(db):
    return CommitmentFactory()


def assess(commitment, user, **overrides):
    arguments = {
        "commitment": commitment,
        "status": ProgressStatus.PROGRESSING,
        "note": "The ministry's list grew, short of the plan's pace.",
        "evidence_links": ["https://www.miit.gov.cn/"],
        "assessed_on": datetime.date(2025, 1, 15),
        "user": user,
    }
    return commitment_assess(**{**arguments, **overrides})


@pytest.mark.django_db
def test_a_new_assessment_is_recorded_and_earlier_ones_stay(commitment, analyst):
    first = assess(commitment, analyst, status=ProgressStatus.STALLED, assessed_on=datetime.date(2024, 6, 1))
    second = assess(commitment, analyst)

    assert list(commitment.assessments.all()) == [second, first]
    assert second.assessed_by == analyst
    assert second.history.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "link", ["javascript:alert(1)", "ftp://example.org/x", "data:text/html,<b>x</b>", "www.example.org", "not a url"]
)
def test_evidence_links_other_than_http_and_https_are_refused(commitment, analyst, link):
    with pytest.raises(ValidationError) as error:
        assess(commitment, analyst, evidence_links=[link])

    assert "evidence_links" in error.value.message_dict
    assert not Assessment.objects.exists()


@pytest.mark.django_db
def test_an_assessment_needs_a_note_a_known_status_and_a_date_not_in_the_future(commitment, analyst):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as error:
        assess(commitment, analyst, note="  ", status="excellent", assessed_on=tomorrow)

    assert set(error.value.message_dict) == {"note", "status", "assessed_on"}
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    ("link", "accepted"),
    [
        ("https://www.miit.gov.cn/zwgk/index.html", True),
        ("http://example.org/a?b=c", True),
        ("javascript:alert(1)", False),
        ("ftp://example.org/file", False),
        ('https://e.org/"><script>', False),
        ("https://example.org/a b", False),
    ],
)
def test_evidence_links_and_citations_accept_the_same_links(link, accepted):
    """One URL rule (tasks.validators.http_url_check) for the assessments' evidence and the figures' citations."""
    outcomes = []
    for clean in (lambda: evidence_links_clean([link]), lambda: citation_clean(link)):
        try:
            clean()
        except ValidationError:
            outcomes.append(False)
        else:
            outcomes.append(True)
    assert outcomes == [accepted, accepted]
