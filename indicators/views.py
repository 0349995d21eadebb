"""The indicator pages, the downloads, the sources and the method. Thin: parse, select, render."""

from __future__ import annotations

from pathlib import Path

from csp.decorators import csp_replace
from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from config.lookups import found_or_404
from config.rendering import render_page
from indicators import changes, documents, export_rows, exports, panels, progress, selectors, summaries
from indicators.cache_keys import page_context
from indicators.forms import ChangesFilterForm, IndicatorListFilterForm, SeriesFilterForm

EARLY_WARNINGS_DOCUMENT = Path(settings.BASE_DIR) / "docs" / "early-warnings.md"


def _series_form(request, code: str) -> SeriesFilterForm:
    """The series filters, with the indicator's geographies read only when `geo` is given."""
    return SeriesFilterForm(request.GET, geographies=lambda: selectors.indicator_geography_codes(code=code))


@require_safe
def indicator_list(request):
    """Every indicator, filtered by task, sector, source and freshness."""
    form = IndicatorListFilterForm(request.GET)
    data = form.valid_data()
    filters = panels.IndicatorFilters(
        task=data.get("task"),
        sector=data.get("sector", ""),
        source=data.get("source", ""),
        freshness=data.get("freshness", ""),
    )
    state = (filters.task, filters.sector, filters.source, filters.freshness)
    context = page_context(
        "indicators",
        *state,
        select=lambda language: {"page": panels.indicator_list_get(filters=filters, language=language)},
    )
    page = context["page"]
    context |= {"filters": filters, "form": form.offer(tasks=page.tasks, sectors=page.sectors, sources=page.sources)}
    return render_page(
        request,
        "indicators/indicator_list.html",
        context,
        partials={"indicator-results": "indicator-results"},
    )


@require_safe
def indicator_detail(request, code: str):
    """One indicator: its chart or table, geographies, period range, definition, source and downloads."""
    filters = selectors.ChartFilters.from_form(_series_form(request, code).valid_data())

    def select(language: str) -> dict:
        indicator = found_or_404(lambda: selectors.indicator_get_for_page(code=code))
        page = panels.indicator_page_get(indicator=indicator, filters=filters, language=language)
        return {"page": page, "early_warnings": summaries.early_warnings_get(indicators=[page.indicator])}

    state = (code, *filters.geographies, filters.start, filters.end, filters.view)
    context = page_context("indicator", *state, select=select)
    return render_page(request, "indicators/indicator_detail.html", context, partials={"chart-panel": "chart-panel"})


@require_safe
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
def indicator_embed(request, code: str):
    """The chart alone, in the state its URL names, for an <iframe> on any site: the one page that may be framed."""
    filters = selectors.ChartFilters.from_form(_series_form(request, code).valid_data())
    indicator = found_or_404(lambda: selectors.indicator_get_for_page(code=code))
    page = panels.indicator_page_get(indicator=indicator, filters=filters, language=get_language())
    return render(request, "indicators/embed.html", {"page": page})


def _download(request, code: str, build, content_type: str, extension: str) -> HttpResponse:
    """The figures the filters select (all of them without filters), with their provenance; 400 on a bad filter."""
    form = _series_form(request, code)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=400)
    filters = selectors.ChartFilters.from_form(form.cleaned_data)
    indicator = found_or_404(lambda: selectors.indicator_get_for_download(code=code))
    body = build(indicator=indicator, rows=export_rows.indicator_export_rows(indicator=indicator, filters=filters))
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{indicator.code}.{extension}"'
    return response


@require_safe
def indicator_data_csv(request, code: str):
    return _download(request, code, exports.indicator_csv, "text/csv", "csv")


@require_safe
def indicator_data_json(request, code: str):
    return _download(request, code, exports.indicator_json, "application/json", "json")


@require_safe
def bulk_download(request):
    """Everything published in one zip: a CSV per table and a README of the columns and licences."""
    response = HttpResponse(exports.bulk_download_get(), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="new-industrialization-tracker.zip"'
    return response


@require_safe
def change_list(request):
    """What changed, newest first, narrowed by kind, task or indicator; the feeds hold the same list."""
    form = ChangesFilterForm(request.GET)
    data = form.valid_data()
    scope = changes.Scope(task=data.get("task"), indicator=data.get("indicator", ""), kind=data.get("kind", ""))
    return render_page(
        request,
        "indicators/change_list.html",
        {"changes": changes.changes_get(scope=scope), "scope": scope, "form": form},
        partials={"change-results": "change-results"},
    )


@require_safe
def source_list(request):
    """Each source, its licence and the attribution it asks for."""
    return render_page(request, "indicators/source_list.html", {"sources": selectors.source_list_with_counts()})


@require_safe
def method(request):
    """The progress method in plain words, its document, and how much of the tracker has data."""
    document = documents.document_get("progress-method", request.LANGUAGE_CODE)
    return render_page(
        request,
        "indicators/method.html",
        {
            "coverage": selectors.coverage_get(),
            "document": document[0] if document else "",
            "document_language": document[1] if document else "",
            "progress": progress,
            "percent": {name: f"{getattr(progress, name) * 100:g}" for name in ("CAGR_CLEAR", "CAGR_SLIGHT")},
        },
    )


@require_safe
def early_warning_rules(request):
    """The early-warning rules, as docs/early-warnings.md states them."""
    document = EARLY_WARNINGS_DOCUMENT.read_text(encoding="utf-8") if EARLY_WARNINGS_DOCUMENT.exists() else ""
    return render_page(request, "indicators/early_warnings.html", {"rules": _sections(document)})


def _sections(document: str) -> list[tuple[str, str]]:
    """The document's `## rule` sections, each with its text."""
    sections = []
    for block in document.split("\n## ")[1:]:
        heading, _, text = block.partition("\n")
        sections.append((heading.strip(), text.strip()))
    return sections
