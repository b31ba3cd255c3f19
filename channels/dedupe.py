"""Remember recently seen delivery ids (Slack event_id, Telegram update_id)."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable


class SeenIds:
    """A bounded, expiring set: `first_time(id)` is True once per id within `ttl` seconds.

    Slack retries an event for up to about an hour and Telegram re-sends an update
    until it gets a 2xx, so an hour is enough. In memory: one Rasa process.
    """

    def __init__(
        self,
        ttl: float = 3600.0,
        max_size: int = 50_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self.max_size = max_size
        self._clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()

    def first_time(self, key: str) -> bool:
        now = self._clock()
        while self._seen:
            oldest, at = next(iter(self._seen.items()))
            if now - at <= self.ttl and len(self._seen) < self.max_size:
                break
            del self._seen[oldest]
        if key in self._seen:
            return False
        self._seen[key] = now
        return True
