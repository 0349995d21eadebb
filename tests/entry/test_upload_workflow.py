"""The upload workflow without HTTP: check a file, keep its changes for the uploader, confirm or forget them."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from entry.models import PendingUpload
from entry.services.upload_workflow import (
    PENDING_UPLOAD_LIFETIME,
    pending_upload_get,
    upload_check,
    upload_confirm,
    upload_template,
)
from indicators.models import Observation
from indicators.services.uploads import UploadConflict

pytestmark = pytest.mark.django_db
FILE = "geography,period,value,citation\nCHN,2021,1100,https://example.org/a\n"


def checked(indicator, user, text=FILE, name="values.csv"):
    return upload_check(indicator=indicator, user=user, uploaded_file=SimpleUploadedFile(name, text.encode()))


def test_a_refused_file_keeps_nothing(entered_indicator, analyst):
    check = checked(entered_indicator, analyst, "geography,period,value\n")

    assert "Missing column(s): citation" in check.refused
    assert (check.preview, check.pending, PendingUpload.objects.exists()) == (None, None, False)


def test_a_clean_file_is_kept_for_its_uploader_and_an_hour_old_one_is_forgotten(entered_indicator, analyst, admin_user):
    stale = checked(entered_indicator, analyst).pending
    PendingUpload.objects.filter(pk=stale.pk).update(created_at=timezone.now() - PENDING_UPLOAD_LIFETIME * 2)

    check = checked(entered_indicator, analyst)

    assert check.preview.new_count == 1
    assert list(PendingUpload.objects.all()) == [check.pending]
    assert pending_upload_get(token=check.pending.token, user=analyst) == check.pending
    with pytest.raises(PendingUpload.DoesNotExist):
        pending_upload_get(token=check.pending.token, user=admin_user)
    assert not Observation.objects.exists()


def test_confirming_writes_the_kept_changes_and_forgets_them(entered_indicator, analyst):
    pending = checked(entered_indicator, analyst).pending

    counts = upload_confirm(pending=pending, user=analyst, confirm_out_of_range=False, confirm_scale=False)

    assert (counts["created"], counts["corrected"]) == (1, 0)
    assert Observation.objects.get().value == Decimal("1100")
    assert not PendingUpload.objects.exists()


def test_a_missing_confirmation_keeps_the_upload_and_a_conflict_forgets_it(entered_indicator, analyst, china):
    pending = checked(entered_indicator, analyst, FILE.replace("1100", "250000")).pending

    with pytest.raises(ValidationError):
        upload_confirm(pending=pending, user=analyst, confirm_out_of_range=False, confirm_scale=False)
    assert PendingUpload.objects.filter(pk=pending.pk).exists()

    Observation.objects.create(
        indicator=entered_indicator, geography=china, period=datetime.date(2021, 1, 1), value=1, citation="x" * 8
    )
    with pytest.raises(UploadConflict):
        upload_confirm(pending=pending, user=analyst, confirm_out_of_range=True, confirm_scale=False)
    assert not PendingUpload.objects.exists()
    assert Observation.objects.get().value == Decimal("1")


@pytest.mark.parametrize(("fmt", "content_type"), [("csv", "text/csv"), ("xlsx", "application/vnd.openxml")])
def test_the_template_is_named_after_the_indicator(entered_observation, entered_indicator, fmt, content_type):
    template = upload_template(indicator=entered_indicator, fmt=fmt)

    assert template.filename == f"test-entered-count-values.{fmt}"
    assert template.content_type.startswith(content_type)
    assert template.body
