"""The indicator pages, the downloads, the sources and the method. Thin: parse, select, render."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from config.rendering import render_page
from indicators import exports, periods, selectors
from indicators.cache_keys import fragment_cache
from tasks import progress

METHOD_DOCUMENT = Path(settings.BASE_DIR) / "docs" / "progress-method.md"
FRESHNESS_VALUES = {value.value for value in periods.Freshness}
VIEWS = ("chart", "table")


def _int_or_none(text: str, low: int, high: int) -> int | None:
    return int(text) if text.isdigit() and low <= int(text) <= high else None


@require_GET
def indicator_list(request):
    """Every indicator, filtered by task, sector, source and freshness."""
    freshness = request.GET.get("freshness", "")
    filters = selectors.IndicatorFilters(
        task=_int_or_none(request.GET.get("task", ""), 1, 7),
        sector=request.GET.get("sector", "")[:50],
        source=request.GET.get("source", "")[:40],
        freshness=freshness if freshness in FRESHNESS_VALUES else "",
    )
    page = selectors.indicator_list_get(filters=filters, language=get_language())
    return render_page(
        request,
        "indicators/indicator_list.html",
        {"page": page, "filters": filters},
        partials={"indicator-results": "indicator-results"},
    )


@require_GET
def indicator_detail(request, code: str):
    """One indicator: its chart or table, geographies, period range, definition, source and downloads.

    Selected lazily: on a cache hit the template reads neither `page` nor the title's `indicator`.
    """
    language = get_language()
    view = request.GET.get("view", "chart")
    filters = selectors.ChartFilters(
        geographies=tuple(sorted({geo[:12] for geo in request.GET.getlist("geo") if geo})),
        start=_int_or_none(request.GET.get("start", ""), 1800, 2200),
        end=_int_or_none(request.GET.get("end", ""), 1800, 2200),
        view=view if view in VIEWS else "chart",
    )
    context = fragment_cache(
        language, "indicator", code, *filters.geographies, filters.start, filters.end, filters.view
    )
    context["indicator"] = SimpleLazyObject(lambda: selectors.indicator_get(code=code))
    context["page"] = SimpleLazyObject(
        lambda: selectors.indicator_page_get(
            indicator=selectors.indicator_get_for_page(code=code), filters=filters, language=language
        )
    )
    return render_page(request, "indicators/indicator_detail.html", context, partials={"chart-panel": "chart-panel"})


def _download(code: str, build, content_type: str, extension: str) -> HttpResponse:
    """Every figure of one indicator as a file, with its provenance."""
    indicator = selectors.indicator_get_for_download(code=code)
    body = build(indicator=indicator, rows=selectors.indicator_export_rows(indicator=indicator))
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{indicator.code}.{extension}"'
    return response


@require_GET
def indicator_data_csv(request, code: str):
    return _download(code, exports.indicator_csv, "text/csv", "csv")


@require_GET
def indicator_data_json(request, code: str):
    return _download(code, exports.indicator_json, "application/json", "json")


@require_GET
def source_list(request):
    """Each source, its licence and the attribution it asks for."""
    return render_page(request, "indicators/source_list.html", {"sources": selectors.source_list_with_counts()})


@require_GET
def method(request):
    """The progress method in plain words, its document, and how much of the tracker has data."""
    document = METHOD_DOCUMENT.read_text(encoding="utf-8") if METHOD_DOCUMENT.exists() else ""
    return render_page(
        request,
        "indicators/method.html",
        {
            "coverage": selectors.coverage_get(),
            "document": document,
            "progress": progress,
            "percent": {name: f"{getattr(progress, name) * 100:g}" for name in ("CAGR_CLEAR", "CAGR_SLIGHT")},
        },
    )
