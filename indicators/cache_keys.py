"""Keys of the public pages' cached fragments: the site generation (config/generations.py), the day and the
page's state. Writers invalidate by bumping the generation; nothing here listens for saves."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from config.generations import site_generation


def page_key(language: str, *state) -> str:
    """Everything a public fragment depends on: the generation, the day (freshness is judged against it),
    the language and the page's normalised URL state."""
    return ":".join([site_generation(), timezone.localdate().isoformat(), language, *(str(part) for part in state)])


def fragment_cache(language: str, *state) -> dict:
    """The template context a page's `{% cache %}` tags read: the key and how long a fragment lives."""
    return {"fragment_key": page_key(language, *state), "fragment_seconds": settings.PAGE_CACHE_SECONDS}
