"""Rate limits counted in the shared cache (CACHE_URL: Redis in production), for the API
and the portal alike.

The counters are a safeguard, not a record: when the cache cannot be reached
(Redis restarting), the request is let through and a warning logged, instead of
every API call and every concern submission failing with a server error. Sign-in
lock-outs do not depend on this: django-axes keeps its counts in the database.
"""

import logging
from typing import Any, cast

from django.core.cache import BaseCache, cache
from rest_framework.throttling import UserRateThrottle

log = logging.getLogger(__name__)


class FailOpenCache:
    """The default cache for throttle counters: unreachable, it reads as empty and skips writes."""

    def get(self, key: str, default: Any = None) -> Any:
        try:
            return cache.get(key, default)
        except Exception as error:  # each cache backend raises its own connection errors
            log.warning("rate-limit cache unavailable, request not limited: %r", error)
            return default

    def set(self, key: str, value: Any, timeout: float | None = None) -> None:
        try:
            cache.set(key, value, timeout)
        except Exception as error:
            log.warning("rate-limit cache unavailable, request not counted: %r", error)


# Throttles call only get and set, which FailOpenCache has.
fail_open_cache = cast(BaseCache, FailOpenCache())


class ConcernSubmitThrottle(UserRateThrottle):
    """Concern submissions per company user (CONCERN_SUBMIT_RATE, default 20 an hour).

    One cache key for the API and the portal, so submissions through both count together."""

    scope = "concern_submit"
    cache = fail_open_cache
