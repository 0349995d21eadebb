"""The policy pages: the seven tasks, one task, the sectors. Thin: parse, select (through the page cache,
indicators/cache_keys.py), render. An unknown task or sector is a 404 before anything is rendered."""

from __future__ import annotations

from django.views.decorators.http import require_safe

from config.lookups import found_or_404
from config.rendering import render_page
from dashboard import selectors
from dashboard.forms import TaskDetailQueryForm
from indicators.cache_keys import page_context
from indicators.summaries import early_warnings_get


@require_safe
def task_list(request):
    """The home page: the seven tasks at a glance, with their progress, a headline chart, freshness and commitments.

    Its data is one selection all seven cards share: a fixed number of queries however many commitments there are."""
    context = page_context(
        "tasks", select=lambda language: {"task_rows": selectors.task_list_with_progress(language=language)}
    )
    return render_page(request, "dashboard/task_list.html", context)


@require_safe
def task_detail(request, number: int):
    """One task: its text, commitments with the evidence for their statuses, and its charts."""
    sector_slug = TaskDetailQueryForm(request.GET).sector_slug()

    def select(language: str) -> dict:
        policy_task = found_or_404(lambda: selectors.task_get(number=number))
        page = selectors.task_get_for_page(policy_task=policy_task, sector_slug=sector_slug, language=language)
        warnings = early_warnings_get(indicators=[card.indicator for card in page.cards])
        return {"policy_task": policy_task, "page": page, "early_warnings": warnings}

    context = page_context("task", number, sector_slug, select=select)
    return render_page(request, "dashboard/task_detail.html", context, partials={"commitments": "commitments"})


@require_safe
def sector_list(request):
    """Every sector against the seven tasks."""
    context = page_context(
        "sectors", select=lambda language: {"matrix": selectors.sector_list_with_matrix(language=language)}
    )
    return render_page(request, "dashboard/sector_list.html", context)


@require_safe
def sector_detail(request, slug: str):
    """One sector across all seven tasks."""

    def select(language: str) -> dict:
        sector = found_or_404(lambda: selectors.sector_get(slug=slug))
        return {"page": selectors.sector_get_for_page(sector=sector, language=language)}

    return render_page(request, "dashboard/sector_detail.html", page_context("sector", slug, select=select))
