"""The one cache key scheme: every cached page, page's data, fragment and export is keyed by the site's generation.

The generation is a token kept in the shared cache (Redis in production, files under var/ on the embedded
default). A service that changes what the public pages print calls `site_generation_bump()`; no model signal
does it behind the writer's back. The bump sets a new token at once (so the writer's own next read sees its
change) and again when the transaction commits (so a page another process rendered from the data before the
commit, under the token of the first bump, is never served). A cache that lost the token (flushed, evicted or
unreachable) starts a new one, so nothing stored under an older token can be served.

Per-indicator caches (summaries, chart figures) are keyed by `Indicator.data_version` as well, which the write
core bumps in the same transaction as the figures: the site generation says whether anything changed, the data
version says which indicator's results can be reused.
"""

from __future__ import annotations

import uuid
from contextvars import ContextVar

from django.core.cache import cache
from django.db import transaction

SITE_GENERATION_KEY = "generation:site"
# Set by config.page_cache for the length of one request, so every key the request builds uses the token it read.
request_generation: ContextVar[str | None] = ContextVar("request_generation", default=None)


def _new_token() -> str:
    return uuid.uuid4().hex[:16]


def site_generation() -> str:
    """The current token; read it before the data it keys."""
    if (token := request_generation.get()) is not None:
        return token
    token = cache.get(SITE_GENERATION_KEY)
    if token is None:
        cache.add(SITE_GENERATION_KEY, _new_token(), timeout=None)
        token = cache.get(SITE_GENERATION_KEY) or _new_token()
    return token


def _store_new_token() -> None:
    cache.set(SITE_GENERATION_KEY, _new_token(), timeout=None)


def site_generation_bump() -> None:
    """Invalidate every cached page: now, and again once the caller's transaction commits."""
    _store_new_token()
    transaction.on_commit(_store_new_token)


class SiteGenerationAdminMixin:
    """Admin edits of what the public pages print move the generation, like any other writer's.

    The change form saves the object, then its relations and inlines, in one transaction: the bump when it commits
    covers both, so `save_related` needs none of its own."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        site_generation_bump()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        site_generation_bump()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        site_generation_bump()
