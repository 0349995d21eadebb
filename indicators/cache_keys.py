"""What the public pages print, kept in the shared cache under the site generation (config/generations.py), the
day and the page's state. Writers invalidate by bumping the generation; nothing here listens for saves.

A view selects its page's data through `page_context` before it renders: on a hit the data comes from one cache
read and no query runs; on a miss the selectors run (a 404 among them is raised there, never inside a template)
and their result is stored for the next request, signed in or not, page or htmx fragment. The same key names the
page's rendered fragments (`{% cache fragment_seconds "..." fragment_key %}`), so a signed-in visitor's page is
not rendered again either while the generation holds.
"""

from __future__ import annotations

import functools
import hashlib
import pickle
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation

from config.generations import site_generation
from config.page_cache import RecentPages


def page_key(language: str, *state) -> str:
    """Everything a public page's data depends on: the generation, the day (freshness is judged against it),
    the language and the page's normalised URL state."""
    return ":".join([site_generation(), timezone.localdate().isoformat(), language, *(str(part) for part in state)])


@functools.cache
def _recent_data() -> RecentPages:
    """This process's unpickled page data: a signed-in hit skips reading and unpickling the shared copy."""
    return RecentPages(settings.PAGE_DATA_PROCESS_BYTES)


def _selected(key: str, select: Callable[[], dict]) -> dict:
    """This process's copy, else the shared cache's, else a fresh selection stored in both."""
    generation, state_key = key.split(":", 1)
    if (entry := _recent_data().get(state_key, generation)) is not None:
        return entry["value"]
    data_key = "page-data:" + hashlib.sha256(key.encode()).hexdigest()[:32]
    blob = cache.get(data_key)
    if blob is None:
        selected = select()
        blob = pickle.dumps(selected, pickle.HIGHEST_PROTOCOL)
        cache.set(data_key, blob, settings.PAGE_CACHE_SECONDS)
    else:
        selected = pickle.loads(blob)  # noqa: S301 - our own cache entry, as Django's cache backends unpickle theirs
    _recent_data().put(state_key, {"generation": generation, "value": selected, "size": len(blob)})
    return selected


def page_context(*state, select: Callable[..., dict]) -> dict:
    """The template context of a page in this state and the active language: what `select(language=...)` returns
    (from the cache when this generation already selected it) and the key and lifetime of its cached fragments.

    The selection is shared by the requests this process serves under the generation: templates only read it."""
    language = translation.get_language()
    key = page_key(language, *state)
    selected = _selected(key, lambda: select(language=language))
    return {**selected, "fragment_key": key, "fragment_seconds": settings.PAGE_CACHE_SECONDS}
