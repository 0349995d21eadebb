from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from tasks import selectors


@require_GET
def task_list(request):
    """The seven tasks at a glance, with their commitments."""
    return render(request, "tasks/task_list.html", {"tasks": selectors.task_list_with_commitments()})
