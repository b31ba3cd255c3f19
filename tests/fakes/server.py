"""Run a small aiohttp app on 127.0.0.1 in a background thread, recording every call."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tools.dev.stack import free_port


@dataclass
class Call:
    method: str
    body: dict[str, Any]
    headers: dict[str, str]
    status: int  # what the fake answered
    answer: dict[str, Any] = field(default_factory=dict)
    at: float = field(default_factory=time.perf_counter)  # when the fake got it


class FakeServer:
    """Base for the platform fakes: thread, loop, recorded calls and failure modes."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.calls: list[Call] = []
        # method -> list of modes used one per call ("500", "hang", "429"); then normal.
        self.failures: dict[str, list[str]] = {}
        self.hang_seconds = 5.0  # longer than the connectors' test timeout (2 s)
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._runner: web.AppRunner | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def app(self) -> web.Application:
        raise NotImplementedError

    def start(self) -> FakeServer:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)
        return self

    async def _start(self) -> None:
        self._runner = web.AppRunner(self.app())
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port, shutdown_timeout=1.0).start()

    def stop(self) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    def fail_next(self, method: str, *modes: str) -> None:
        with self._lock:
            self.failures.setdefault(method, []).extend(modes)

    def next_failure(self, method: str) -> str | None:
        with self._lock:
            queue = self.failures.get(method) or []
            return queue.pop(0) if queue else None

    # The platform's own answer (body, extra headers) to a rate-limited call.
    rate_limited: tuple[dict[str, Any], dict[str, str]] = ({"ok": False}, {})

    async def injected_failure(
        self, method: str, body: dict[str, Any], headers: dict[str, str]
    ) -> web.Response | None:
        """Play the failure queued for `method`; None means answer normally ("hang" waits first)."""
        failure = self.next_failure(method)
        if failure == "hang":
            self.record(Call(method, body, headers, status=0, answer={"hung": True}))
            await asyncio.sleep(self.hang_seconds)
        if failure == "500":
            self.record(Call(method, body, headers, status=500))
            return web.Response(status=500, text="Internal Server Error")
        if failure == "429":
            answer, extra_headers = self.rate_limited
            self.record(Call(method, body, headers, status=429, answer=answer))
            return web.json_response(answer, status=429, headers=extra_headers)
        return None

    def record(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)

    def find(self, predicate: Callable[[Call], bool]) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if predicate(c)]

    def wait_for(
        self, predicate: Callable[[Call], bool], count: int = 1, timeout: float = 60.0
    ) -> list[Call]:
        """The matching calls once there are `count` of them; AssertionError on timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.find(predicate)
            if len(found) >= count:
                return found
            time.sleep(0.2)
        raise AssertionError(
            f"expected {count} matching call(s) within {timeout:.0f} s; got {self.find(predicate)}"
        )
