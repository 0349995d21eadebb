"""Fixtures shared by every test module."""

import pytest
from django.conf import settings


def _is_full_stack() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql") and bool(settings.REDIS_URL)


def pytest_collection_modifyitems(config, items):
    """Tests marked `integration` need real PostgreSQL and Redis servers: run them on .ci/run's second pass."""
    if _is_full_stack():
        return
    skip = pytest.mark.skip(
        reason="needs real PostgreSQL and Redis servers (DATABASE_URL=postgres://..., REDIS_URL=redis://...); "
        "the embedded default has neither"
    )
    for item in items:
        if "integration" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache, whichever backend is configured."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _default_language():
    """A page served in Chinese leaves the thread's language active: each test starts in the default language."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def full_stack() -> bool:
    return _is_full_stack()
