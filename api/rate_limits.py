"""Requests per API key (OWASP API4:2023): a token bucket per key id, kept in memory.

Each key may make ``rate_limit_burst`` requests at once and ``rate_limit_per_minute`` sustained;
one more answers 429 with ``Retry-After`` (whole seconds). Only authenticated keys are charged
(api.auth calls ``charge`` once the key is known), so nobody can spend another key's requests,
and the buckets never hold more entries than there are keys. Each API process counts on its own.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable

from fastapi import Request

from api.errors import ApiError, ErrorCode
from api.internal_errors import route_template

log = logging.getLogger("ippo.api")


class TokenBuckets:
    """One token bucket per API key id: ``burst`` tokens, refilled at ``per_minute`` a minute."""

    def __init__(self, per_minute: float, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key_id: str) -> float:
        """Spend one token of the key: 0.0 when there was one, else the seconds until there is."""
        now = self._clock()
        with self._lock:
            tokens, then = self._buckets.get(key_id, (self.burst, now))
            tokens = min(self.burst, tokens + (now - then) * self.rate)
            if tokens >= 1.0:
                self._buckets[key_id] = (tokens - 1.0, now)
                return 0.0
            self._buckets[key_id] = (tokens, now)
            return (1.0 - tokens) / self.rate


def charge(request: Request, key_id: str) -> None:
    """Spend one request of the key's rate, or answer 429 with Retry-After (in whole seconds)."""
    buckets: TokenBuckets | None = getattr(request.app.state, "rate_limits", None)
    if buckets is None:
        return
    wait = buckets.take(key_id)
    if wait > 0:
        seconds = max(1, math.ceil(wait))
        log.info("rate-limited %s %s: API key %s", request.method, route_template(request.scope), key_id)
        raise ApiError(429, f"API key {key_id} made more requests than its rate allows; retry in {seconds} s",
                       ErrorCode.RATE_LIMITED, headers={"Retry-After": str(seconds)})
