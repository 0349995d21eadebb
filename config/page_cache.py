"""Whole-response cache for anonymous visitors of the public pages.

A cache hit costs one read of the small site-generation token from the shared cache (the page itself comes from
this process's memory once it has served it) and no database query: no session, CSRF, authentication or
template work.
That is safe because a public page holds nothing per visitor: no CSRF token (the language switch posts to a
CSRF-exempt view, the sign-in link is a plain link) and no user content. The key names what a page depends on
besides the data: the day (freshness is judged against it), the language, the full path and the htmx headers
that pick a fragment; the stored entry names the site generation it was rendered under (config/generations.py)
and is served only while that generation is current. The key and the generation determine the body, so their
hash is the ETag, and a browser revalidating with If-None-Match gets a 304 without the page being rendered.

Signed-in visitors (a session cookie) and anyone carrying a messages cookie take the normal path.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from config.generations import request_generation, site_generation

# The HTML pages: a section's list or one item of it (downloads such as data.csv are left out).
PUBLIC_PAGES = re.compile(r"^/(?:(?:tasks|sectors|indicators|sources|method)/(?:[\w-]+/)?)?$")
# The request headers, besides Cookie and Accept-Language, that choose what a public page answers.
KEYED_HEADERS = ("HX-Request", "HX-Target", "HX-History-Restore-Request")
MESSAGES_COOKIE = "messages"
# The public pages' filter parameters (indicators/forms.py, tasks/forms.py). A query string with anything else,
# or a value no filter accepts, is served uncached: made-up URLs must not fill the cache.
QUERY_PARAMETERS = frozenset({"task", "sector", "source", "freshness", "view", "geo", "start", "end"})
QUERY_VALUE = re.compile(r"^[A-Za-z0-9_.-]{0,50}$")
MAX_QUERY_VALUES = 20


def has_known_query(request) -> bool:
    """Only the filters' own parameters, with values shaped like codes, slugs or years."""
    values = [(name, value) for name in request.GET for value in request.GET.getlist(name)]
    return len(values) <= MAX_QUERY_VALUES and all(
        name in QUERY_PARAMETERS and QUERY_VALUE.match(value) for name, value in values
    )


def is_cacheable_request(request) -> bool:
    """A GET of a public page by a visitor who is not signed in."""
    return (
        request.method == "GET"
        and PUBLIC_PAGES.match(request.path_info) is not None
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and MESSAGES_COOKIE not in request.COOKIES
        and has_known_query(request)
    )


def page_cache_key(request) -> str:
    """The day, language, full path and htmx headers, hashed to a fixed length."""
    language = translation.get_language_from_request(request)
    parts = [timezone.localdate().isoformat(), language, request.get_full_path()]
    parts += [request.headers.get(name, "") for name in KEYED_HEADERS]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]
    return f"page:{digest}"


def is_storable(response) -> bool:
    """Only a plain 200 HTML page that sets no cookie, is not marked private and holds no CSRF token."""
    return (
        response.status_code == 200
        and not response.streaming
        and response["Content-Type"].startswith("text/html")
        and not response.cookies
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
        and b"csrfmiddlewaretoken" not in response.content
    )


def _from_entry(entry: dict) -> HttpResponse:
    response = HttpResponse(entry["content"], status=entry["status"])
    for name, value in entry["headers"]:
        response[name] = value
    return response


def _with_validators(response: HttpResponse, etag: str, stored_at: int) -> HttpResponse:
    """Revalidate on every use: the data can change at any moment, and a 304 is cheap."""
    response["ETag"] = etag
    response["Last-Modified"] = http_date(stored_at)
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    patch_vary_headers(response, ("Cookie", "Accept-Language", *KEYED_HEADERS))
    return response


class RecentPages:
    """The pages (or page data) this process served last, each with the generation it was made under.

    A hit then reads only the small generation token from the shared cache, not the entry itself; an entry of an
    older generation is never served. Bounded by bytes (an entry's `content` length, or its `size`), oldest first
    out.
    """

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.entries: OrderedDict[str, dict] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    @staticmethod
    def _bytes(entry: dict) -> int:
        return entry["size"] if "size" in entry else len(entry["content"])

    def get(self, key: str, generation: str) -> dict | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is None or entry["generation"] != generation:
                return None
            self.entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: dict) -> None:
        if self._bytes(entry) > self.max_bytes:
            return
        with self.lock:
            if (old := self.entries.pop(key, None)) is not None:
                self.size -= self._bytes(old)
            self.entries[key] = entry
            self.size += self._bytes(entry)
            while self.size > self.max_bytes:
                _, evicted = self.entries.popitem(last=False)
                self.size -= self._bytes(evicted)


class PublicPageCacheMiddleware:
    """Serves anonymous visitors' public pages from the cache; place it right after WhiteNoise."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.recent = RecentPages(settings.PAGE_CACHE_PROCESS_BYTES)

    def __call__(self, request):
        if not is_cacheable_request(request):
            return self.get_response(request)
        key = page_cache_key(request)
        generation = site_generation()
        token = request_generation.set(generation)
        try:
            return self._serve(request, key, generation)
        finally:
            request_generation.reset(token)

    def _entry(self, key: str, generation: str) -> dict | None:
        """This process's copy, else the shared cache's, of the page rendered under this generation."""
        if (entry := self.recent.get(key, generation)) is not None:
            return entry
        entry = cache.get(key)
        if entry is None or entry.get("generation") != generation:
            return None
        self.recent.put(key, entry)
        return entry

    def _serve(self, request, key: str, generation: str):
        entry = self._entry(key, generation)
        if entry is None:
            response = self.get_response(request)
            if not is_storable(response):
                return response
            entry = {
                "generation": generation,
                "status": response.status_code,
                "headers": list(response.items()),
                "content": response.content,
                "stored_at": int(time.time()),
            }
            cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
            self.recent.put(key, entry)
        etag = '"' + hashlib.sha256(f"{key}:{generation}".encode()).hexdigest()[:32] + '"'
        response = _with_validators(_from_entry(entry), etag, entry["stored_at"])
        return get_conditional_response(request, etag=etag, last_modified=entry["stored_at"], response=response)
