"""The policy pages: the seven tasks, one task, the sectors. Thin: parse, select, render."""

from __future__ import annotations

from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from config.rendering import render_page
from tasks import selectors


@require_GET
def task_list(request):
    """The seven tasks at a glance: progress, a headline chart, freshness and commitments."""
    return render_page(
        request, "tasks/task_list.html", {"task_rows": selectors.task_list_with_progress(language=get_language())}
    )


@require_GET
def task_detail(request, number: int):
    """One task: its text, commitments with the evidence for their statuses, and its charts."""
    page = selectors.task_get_for_page(
        number=number, sector_slug=request.GET.get("sector", "")[:50], language=get_language()
    )
    return render_page(request, "tasks/task_detail.html", {"page": page}, partials={"commitments": "commitments"})


@require_GET
def sector_list(request):
    """Every sector against the seven tasks."""
    return render_page(request, "tasks/sector_list.html", {"matrix": selectors.sector_list_with_matrix()})


@require_GET
def sector_detail(request, slug: str):
    """One sector across all seven tasks."""
    page = selectors.sector_get_for_page(slug=slug, language=get_language())
    return render_page(request, "tasks/sector_detail.html", {"page": page})
