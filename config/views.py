"""Project-level views only."""

import logging

from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("health check: database unreachable")
        return False


_migrated = False  # once every migration is applied in this process, it stays so; the check is not repeated


def _migrations_ok() -> bool:
    """Every migration the code ships is applied: an unmigrated database would answer pages with 500s."""
    global _migrated
    if not _migrated:
        try:
            executor = MigrationExecutor(connection)
            _migrated = not executor.migration_plan(executor.loader.graph.leaf_nodes())
        except Exception:
            logger.exception("health check: migrations could not be read")
    return _migrated


def _redis_ok() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1).ping())
    except Exception:
        logger.exception("health check: redis unreachable")
        return False


@never_cache
@require_safe
def healthz(request):
    """200 when the database answers with every migration applied (and Redis, where configured); 503 naming what
    failed.

    The reason is a word, never exception text: this endpoint is public.
    """
    checks = {"database": _database_ok()}
    checks["migrations"] = checks["database"] and _migrations_ok()
    if settings.REDIS_URL:
        checks["redis"] = _redis_ok()
    failed = [name for name, ok in checks.items() if not ok]
    body = {
        "status": "ok" if not failed else "unavailable",
        "checks": {k: "ok" if v else "failed" for k, v in checks.items()},
    }
    return JsonResponse(body, status=503 if failed else 200)
