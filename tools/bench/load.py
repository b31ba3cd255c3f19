"""A bounded asyncio load generator for Rasa's REST channel (closed loop, one sender per user).

Each simulated user sends a message, waits for the whole reply, then sends the
next; after `turns_per_sender` messages it starts a new conversation, so
conversation length does not creep into the concurrency figures.
"""

from __future__ import annotations

import asyncio
import itertools
import statistics
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import aiohttp


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (`share` in 0..1)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


@dataclass
class LoadResult:
    users: int
    latencies_ms: list[float] = field(default_factory=list)
    failures: int = 0
    wrong: int = 0
    elapsed_s: float = 0.0

    def summary(self) -> dict[str, float | int]:
        lat = self.latencies_ms or [float("nan")]
        return {
            "users": self.users,
            "messages": len(self.latencies_ms),
            "failures": self.failures,
            "unexpected_replies": self.wrong,
            "p50_ms": round(percentile(lat, 0.50), 1),
            "p95_ms": round(percentile(lat, 0.95), 1),
            "p99_ms": round(percentile(lat, 0.99), 1),
            "mean_ms": round(statistics.mean(lat), 1),
            "messages_per_s": round(len(self.latencies_ms) / self.elapsed_s, 1),
        }


async def send(
    session: aiohttp.ClientSession, base_url: str, sender: str, message: str
) -> tuple[float, list[dict] | None]:
    """One REST message; (milliseconds, replies) with replies None on any error."""
    started = time.perf_counter()
    try:
        async with session.post(
            f"{base_url}/webhooks/rest/webhook", json={"sender": sender, "message": message}
        ) as response:
            body = await response.json(content_type=None) if response.status == 200 else None
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
        body = None
    return (time.perf_counter() - started) * 1000, body


async def run_load(
    urls: Sequence[str],
    messages: Sequence[str],
    *,
    users: int,
    duration_s: float,
    max_messages: int,
    expect: Callable[[list[dict]], bool] = bool,
    turns_per_sender: int = 20,
) -> LoadResult:
    """`users` closed-loop users for `duration_s` (or `max_messages` in all).

    A user's conversations stay on one URL (sticky, as behind a load balancer
    hashing on the sender); users are spread over `urls` round robin.
    """
    result = LoadResult(users=users)
    budget = itertools.count()
    timeout = aiohttp.ClientTimeout(total=120)
    connector = aiohttp.TCPConnector(limit=users)
    deadline = time.monotonic() + duration_s

    async def user(index: int) -> None:
        url = urls[index % len(urls)]
        for conversation in itertools.count():
            sender = f"bench-{uuid.uuid4().hex[:8]}-{index}-{conversation}"
            for turn in range(turns_per_sender):
                if time.monotonic() > deadline or next(budget) >= max_messages:
                    return
                message = messages[(index + turn) % len(messages)]
                ms, replies = await send(session, url, sender, message)
                if replies is None:
                    result.failures += 1
                    continue
                result.latencies_ms.append(ms)
                if not expect(replies):
                    result.wrong += 1

    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        started = time.monotonic()
        await asyncio.gather(*(user(i) for i in range(users)))
        result.elapsed_s = time.monotonic() - started
    return result


async def conversation_growth(
    url: str, messages: Sequence[str], turns: int, marks: Sequence[int], conversations: int = 3
) -> dict[str, float]:
    """`conversations` senders, one after another, `turns` messages each.

    Each mark's figure is the median of the 10 turns ending there, pooled over
    the conversations (30 samples with the default): one 10-turn window of
    ~20 ms turns moves by a fifth with a single hiccup of the machine.
    """
    windows: dict[int, list[float]] = {mark: [] for mark in marks}
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as session:
        for _ in range(conversations):
            sender = f"bench-long-{uuid.uuid4().hex[:8]}"
            latencies: list[float] = []
            for turn in range(turns):
                ms, _ = await send(session, url, sender, messages[turn % len(messages)])
                latencies.append(ms)
            for mark in marks:
                windows[mark] += latencies[max(0, mark - 10) : mark] if mark > 1 else latencies[:10]
    figures: dict[str, float] = {"conversations": conversations}
    for mark in marks:
        figures[f"turn_{mark}_ms"] = round(statistics.median(windows[mark]), 1)
    first, last = figures[f"turn_{marks[0]}_ms"], figures[f"turn_{marks[-1]}_ms"]
    figures["growth_ratio"] = round(last / first, 2)
    return figures
