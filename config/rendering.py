"""One view, two renderings: shared by every app's pages."""

from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def render_page(request, template: str, context: dict, partials: dict[str, str] | None = None):
    """The partial an htmx request's target names, else the whole page; caches vary on both headers."""
    partial = None
    if request.htmx and not request.htmx.history_restore_request:
        partial = (partials or {}).get(request.htmx.target or "")
    response = render(request, f"{template}#{partial}" if partial else template, context)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response
