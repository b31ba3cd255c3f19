"""Per-key token buckets (per sender, per IP address). No Rasa imports.

Each key may send `per_minute` messages in a burst, then one more every
60/per_minute seconds. Memory is bounded: the least recently seen keys are
forgotten past `max_keys` (a forgotten key simply starts with a full bucket).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable


class RateLimiter:
    def __init__(
        self,
        per_minute: float,
        *,
        max_keys: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`per_minute` <= 0 disables the limit."""
        self.per_minute = per_minute
        self.max_keys = max_keys
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    @property
    def enabled(self) -> bool:
        return self.per_minute > 0

    def allow(self, key: str) -> bool:
        """Take one token for `key`; False when its bucket is empty."""
        if not self.enabled:
            return True
        now = self._clock()
        tokens, last = self._buckets.pop(key, (self.per_minute, now))
        tokens = min(self.per_minute, tokens + (now - last) * self.per_minute / 60.0)
        allowed = tokens >= 1.0
        self._buckets[key] = (tokens - 1.0 if allowed else tokens, now)
        while len(self._buckets) > self.max_keys:
            self._buckets.popitem(last=False)
        return allowed
