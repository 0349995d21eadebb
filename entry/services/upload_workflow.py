"""The upload workflow: read a file, preview it, keep what it would change, then write it on confirmation.

The preview and the write are the indicators' upload service; this module holds what spans two requests:
the checked changes kept on the server (PendingUpload, bound to the uploader, for an hour) so that the
confirmation writes exactly what the preview showed, and the transaction that writes them and forgets them.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from entry.models import PendingUpload
from entry.readers import UploadRefused, template_csv, template_xlsx, upload_read
from indicators.models import Indicator, Observation
from indicators.services.uploads import (
    UploadConflict,
    UploadPreview,
    observations_upload_apply,
    observations_upload_preview,
)

PENDING_UPLOAD_LIFETIME = datetime.timedelta(hours=1)
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class UploadCheck:
    """What checking one file found: why it was refused, or its preview and the kept changes to confirm."""

    refused: str = ""
    preview: UploadPreview | None = None
    pending: PendingUpload | None = None


@dataclass(frozen=True)
class TemplateFile:
    body: bytes
    content_type: str
    filename: str


def upload_check(*, indicator: Indicator, user, uploaded_file) -> UploadCheck:
    """Read and preview a file; keep its changes for confirmation when it has no problems. Writes no figure."""
    try:
        rows = upload_read(uploaded_file)
    except UploadRefused as error:
        return UploadCheck(refused=str(error))
    preview = observations_upload_preview(indicator=indicator, rows=rows)
    return UploadCheck(preview=preview, pending=_keep_pending(indicator, user, uploaded_file.name, preview))


def _keep_pending(indicator: Indicator, user, filename: str, preview: UploadPreview) -> PendingUpload | None:
    """Forget uploads nobody confirmed within the hour; keep this one if it would write something."""
    PendingUpload.objects.filter(created_at__lt=timezone.now() - PENDING_UPLOAD_LIFETIME).delete()
    if preview.problems or not preview.changes:
        return None
    return PendingUpload.objects.create(
        user=user,
        indicator=indicator,
        filename=filename[:255],
        changes=preview.changes,
        out_of_range_count=preview.out_of_range_count,
    )


def pending_upload_get(*, token, user) -> PendingUpload:
    """The user's own kept upload, still within its hour; PendingUpload.DoesNotExist otherwise."""
    return PendingUpload.objects.select_related("indicator").get(
        token=token, user=user, created_at__gte=timezone.now() - PENDING_UPLOAD_LIFETIME
    )


def upload_confirm(*, pending: PendingUpload, user, confirm_out_of_range: bool, confirm_scale: bool) -> dict:
    """Write the kept changes in one transaction and forget them; nothing is written if any check refuses.

    A ValidationError (a confirmation missing) keeps the upload to confirm again; an UploadConflict (figures
    moved since the preview) forgets it, since the preview no longer says what would change.
    """
    try:
        with transaction.atomic():
            counts = observations_upload_apply(
                indicator=pending.indicator,
                changes=pending.changes,
                user=user,
                confirm_out_of_range=confirm_out_of_range,
                confirm_scale=confirm_scale,
            )
            pending.delete()
    except UploadConflict:
        pending.delete()
        raise
    return counts


def upload_template(*, indicator: Indicator, fmt: str) -> TemplateFile:
    """The file analysts fill in, holding the figures stored now: uploading it unchanged changes nothing.

    It has the flags column when some stored figure carries a flag (an analyst may always add the column).
    """
    observations = list(
        Observation.objects.filter(indicator=indicator)
        .select_related("geography")
        .order_by("geography__position", "geography__code", "period")
    )
    with_flags = any(o.is_provisional or o.is_estimated or o.is_break for o in observations)
    if fmt == "csv":
        body, content_type = template_csv(indicator, observations, with_flags=with_flags), "text/csv; charset=utf-8"
    else:
        body, content_type = template_xlsx(indicator, observations, with_flags=with_flags), XLSX_CONTENT_TYPE
    return TemplateFile(body, content_type, f"{indicator.code}-values.{fmt}")
