"""Shared short-lived state on Redis: the cache, the rate limiter, the session denylist."""

from project.adapters.redis.cache import RedisCache
from project.adapters.redis.client import check_redis, create_redis
from project.adapters.redis.denylist import RedisSessionDenylist
from project.adapters.redis.rate_limiter import RedisRateLimiter

__all__ = [
    "RedisCache",
    "RedisRateLimiter",
    "RedisSessionDenylist",
    "check_redis",
    "create_redis",
]
