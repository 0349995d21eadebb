"""A Redis cache that degrades to 'no cache' while Redis is unreachable."""

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
_UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class ResilientRedisCache(RedisCache):
    """Reads miss and writes are dropped when Redis is down: pages are served uncached, not failed."""

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except _UNREACHABLE:
            logger.warning("cache unreachable: get %s served uncached", key)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except _UNREACHABLE:
            logger.warning("cache unreachable: get_many served uncached")
            return {}

    def set(self, key, value, timeout=None, version=None):
        try:
            super().set(key, value, timeout, version)
        except _UNREACHABLE:
            logger.warning("cache unreachable: set %s dropped", key)

    def add(self, key, value, timeout=None, version=None):
        try:
            return super().add(key, value, timeout, version)
        except _UNREACHABLE:
            logger.warning("cache unreachable: add %s dropped", key)
            return False

    def set_many(self, data, timeout=None, version=None):
        try:
            return super().set_many(data, timeout, version)
        except _UNREACHABLE:
            logger.warning("cache unreachable: set_many dropped")
            return list(data)

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except _UNREACHABLE:
            logger.warning("cache unreachable: delete %s dropped", key)
            return False
