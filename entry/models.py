"""What the analyst workspace keeps of its own: uploads waiting for confirmation."""

import uuid

from django.conf import settings
from django.db import models

from indicators.models import Indicator


class PendingUpload(models.Model):
    """A checked upload between its preview and its confirmation.

    The parsed rows stay on the server, keyed by an unguessable token and bound to the user who
    uploaded them, so the confirmation writes exactly what the preview showed and nothing the
    browser sends back.
    """

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255)
    changes = models.JSONField(default=list)
    out_of_range_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} → {self.indicator.code} ({len(self.changes)} changes)"
