"""The concern-submission limit (CONCERN_SUBMIT_RATE, default 20 an hour per user) for the portal form.

It is the API's throttle (dialogue.throttling) with the same cache key, so submissions
through the API and through the portal count together. Unlike DRF's own check, which counts every
request, the portal counts only concerns actually created: a form sent back
with an error, or a repeated form that created nothing, costs nothing.
"""

from __future__ import annotations

from django.http import HttpRequest

from dialogue.throttling import ConcernSubmitThrottle


class PortalConcernSubmitThrottle(ConcernSubmitThrottle):
    def __init__(self, request: HttpRequest):
        super().__init__()
        self.key = self.get_cache_key(request, None)

    def _recent(self) -> list[float]:
        self.now = self.timer()
        return [t for t in self.cache.get(self.key, []) if t > self.now - self.duration]

    def wait_seconds(self) -> float | None:
        """Seconds until the next submission is allowed, or None if it is allowed now."""
        self.history = self._recent()
        if len(self.history) >= self.num_requests:
            return self.wait()
        return None

    def record(self) -> None:
        self.history = self._recent()
        self.history.insert(0, self.now)
        self.cache.set(self.key, self.history, self.duration)
