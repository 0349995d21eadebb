"""The page django-axes answers a locked-out sign-in with (AXES_LOCKOUT_CALLABLE)."""

import datetime
import math

from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.shortcuts import render
from django.utils import timezone


def _locked_until(request, username: str, cool_off: datetime.timedelta) -> datetime.datetime:
    """The lock runs for the cool-off from the latest failure of this username from this address."""
    latest = (
        AccessAttempt.objects.filter(username=username, ip_address=getattr(request, "axes_ip_address", None))
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    )
    return (latest or timezone.now()) + cool_off


def lockout_response(request, original_response=None, credentials=None):
    """A 429 in the site's layout, saying how long to wait, instead of axes' bare text."""
    cool_off = get_cool_off(request) or datetime.timedelta(0)
    until = _locked_until(request, get_client_username(request, credentials) or "", cool_off)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "locked_until": until,
        "wait_minutes": max(1, math.ceil((until - timezone.now()).total_seconds() / 60)),
    }
    return render(request, "accounts/lockout.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
