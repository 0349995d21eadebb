"""The version that keys the public pages' cached fragments, and the signals that move it.

A fragment's key holds `site_version()`: the catalog generation (bumped by every save or delete of what
the pages print: tasks, commitments, assessments, sectors, indicators, their links, targets, sources,
geographies) and the sum of the indicators' data versions (bumped by every data write). Both live in the
database and move inside the writer's transaction, so an edit or a refresh run in another process
invalidates every process's cache without talking to it.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.conf import settings
from django.db import connection
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from indicators.models import CatalogGeneration, CommitmentIndicator, Geography, Indicator, Source, Target
from tasks.models import Assessment, Commitment, Sector, Task

CATALOG_MODELS = (Task, Commitment, Assessment, Sector, Indicator, CommitmentIndicator, Target, Source, Geography)
CATALOG_RELATIONS = (Commitment.sectors.through, Indicator.sectors.through, Indicator.geographies.through)


def catalog_generation_bump() -> None:
    """Count one more catalog edit; creates the row on the first edit of a fresh database."""
    if not CatalogGeneration.objects.filter(pk=1).update(value=F("value") + 1):
        CatalogGeneration.objects.get_or_create(pk=1, defaults={"value": 1})


# Set by config.page_cache for the length of one GET, so the page's fragments reuse the version its key read.
request_site_version: ContextVar[str | None] = ContextVar("request_site_version", default=None)


def site_version() -> str:
    """The catalog generation and the data versions' sum, in one query; read it before the data it keys."""
    if (version := request_site_version.get()) is not None:
        return version
    generation_table = connection.ops.quote_name(CatalogGeneration._meta.db_table)
    indicator_table = connection.ops.quote_name(Indicator._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT value FROM {generation_table} WHERE id = 1), "  # noqa: S608 - table names, no input
            f"(SELECT SUM(data_version) FROM {indicator_table})"
        )
        generation, data = cursor.fetchone()
    return f"g{generation or 0}.d{data or 0}"


def page_key(language: str, *state) -> str:
    """Everything a public fragment depends on: the versions, the day (freshness is judged against it),
    the language and the page's normalised URL state."""
    return ":".join([site_version(), timezone.localdate().isoformat(), language, *(str(part) for part in state)])


def _bump_on_save(sender, **kwargs) -> None:
    catalog_generation_bump()


def _bump_on_relation_change(sender, action: str, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        catalog_generation_bump()


def connect_signals() -> None:
    for model in CATALOG_MODELS:
        uid = f"cache_keys.{model._meta.label}"
        post_save.connect(_bump_on_save, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(_bump_on_save, sender=model, dispatch_uid=f"{uid}.delete")
    for through in CATALOG_RELATIONS:
        m2m_changed.connect(_bump_on_relation_change, sender=through, dispatch_uid=f"cache_keys.{through._meta.label}")


def fragment_cache(language: str, *state) -> dict:
    """The template context a page's `{% cache %}` tags read: the key and how long a fragment lives."""
    return {"fragment_key": page_key(language, *state), "fragment_seconds": settings.PAGE_CACHE_SECONDS}
