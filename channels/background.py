"""Work a webhook starts but does not wait for: kept referenced, failures logged."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import Any

logger = logging.getLogger(__name__)


class BackgroundTasks:
    """Platforms want a quick 200; the answer is computed and sent after it."""

    def __init__(self, platform: str) -> None:
        self.platform = platform
        # asyncio keeps only weak references to tasks: hold them until they finish.
        self._tasks: set[asyncio.Task] = set()

    def run(self, work: Awaitable[Any], what: str) -> None:
        async def guarded() -> None:
            try:
                await work
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("%s: %s failed", self.platform, what)

        task = asyncio.create_task(guarded())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def cancel_all(self) -> None:
        for task in list(self._tasks):
            task.cancel()
