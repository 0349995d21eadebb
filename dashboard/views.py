"""The policy pages: the seven tasks, one task, the sectors. Thin: parse, select, render.

The cached pages select lazily: on a cache hit their templates read neither `page` nor the object the
title names, so only the version query runs. Their selectors raise DoesNotExist for an unknown task or
sector, which `lazy_or_404` turns into a 404 when the title is rendered.
"""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from config.lookups import lazy_or_404
from config.rendering import render_page
from dashboard import selectors
from dashboard.forms import TaskDetailQueryForm
from indicators.cache_keys import fragment_cache
from indicators.summaries import early_warnings_get


@require_safe
def task_list(request):
    """The seven tasks at a glance: progress, a headline chart, freshness and commitments."""
    language = get_language()
    context = fragment_cache(language, "tasks")
    context["task_rows"] = SimpleLazyObject(lambda: selectors.task_list_with_progress(language=language))
    return render_page(request, "dashboard/task_list.html", context)


@require_safe
def task_detail(request, number: int):
    """One task: its text, commitments with the evidence for their statuses, and its charts."""
    language = get_language()
    sector_slug = TaskDetailQueryForm(request.GET).sector_slug()
    context = fragment_cache(language, "task", number, sector_slug)
    policy_task = lazy_or_404(lambda: selectors.task_get(number=number))
    context["policy_task"] = policy_task
    context["page"] = SimpleLazyObject(
        lambda: selectors.task_get_for_page(policy_task=policy_task, sector_slug=sector_slug, language=language)
    )
    context["early_warnings"] = SimpleLazyObject(
        lambda: early_warnings_get(indicators=[card.indicator for card in context["page"].cards])
    )
    return render_page(request, "dashboard/task_detail.html", context, partials={"commitments": "commitments"})


@require_safe
def sector_list(request):
    """Every sector against the seven tasks."""
    matrix = selectors.sector_list_with_matrix(language=get_language())
    return render_page(request, "dashboard/sector_list.html", {"matrix": matrix})


@require_safe
def sector_detail(request, slug: str):
    """One sector across all seven tasks."""
    language = get_language()
    context = fragment_cache(language, "sector", slug)
    sector = lazy_or_404(lambda: selectors.sector_get(slug=slug))
    context["sector"] = sector
    context["page"] = SimpleLazyObject(lambda: selectors.sector_get_for_page(sector=sector, language=language))
    return render_page(request, "dashboard/sector_detail.html", context)
