"""Test settings: speed only, never behaviour."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789abcdef")

from config.settings.base import *  # noqa: F403
from config.settings.base import DATABASES, REDIS_URL, STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests serve static files straight from static/, with no collectstatic manifest to build first.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
SECURE_SSL_REDIRECT = False
# Persistent connections would keep the test database busy when the live server tears down.
DATABASES["default"]["CONN_MAX_AGE"] = 0
# One test process: its own memory is the cache every part of it shares (the live server runs in a thread).
if not REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
