"""server/redis_lock.py on the real Redis: many lock stores (replicas) on one conversation."""

from __future__ import annotations

import asyncio
import os
import secrets
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from rasa.core.lock_store import RedisLockStore

from server import redis_lock
from tools.dev import scaleout

REPLICAS = 6
TURNS_EACH = 15


@pytest.fixture()
def stores() -> Iterator[list[RedisLockStore]]:
    """Lock stores with their own connections, sharing a throw-away key prefix."""
    host, port = (
        os.environ.get("REDIS_HOST", "127.0.0.1"),
        int(os.environ.get("REDIS_PORT", "6379")),
    )
    if not scaleout.reachable(host, port):
        pytest.skip(f"needs Redis at {host}:{port} (set REDIS_HOST/REDIS_PORT)")
    prefix = f"imgcmatest{secrets.token_hex(4)}"
    made = [redis_lock.LockStore(host=host, port=port, key_prefix=prefix) for _ in range(REPLICAS)]
    yield made
    client = redis.Redis(host=host, port=port)
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)


def test_tickets_taken_at_once_by_many_replicas_are_all_different(
    stores: list[RedisLockStore],
) -> None:
    def take(store: RedisLockStore) -> list[int]:
        return [store.issue_ticket("same-conversation") for _ in range(TURNS_EACH)]

    with ThreadPoolExecutor(REPLICAS) as pool:
        tickets = [t for taken in pool.map(take, stores) for t in taken]

    assert sorted(tickets) == list(range(REPLICAS * TURNS_EACH))  # Rasa numbers from 0
    queue = stores[0].get_lock("same-conversation")
    assert queue is not None and len(queue.tickets) == REPLICAS * TURNS_EACH


def test_one_turn_at_a_time_and_none_refused_when_replicas_share_a_conversation(
    stores: list[RedisLockStore],
) -> None:
    inside, most_inside, refused = 0, 0, []
    guard = threading.Lock()

    async def turns(store: RedisLockStore) -> None:
        nonlocal inside, most_inside
        for _ in range(TURNS_EACH):
            try:
                async with store.lock("busy-conversation", wait_time_in_seconds=0.005):
                    with guard:
                        inside += 1
                        most_inside = max(most_inside, inside)
                    await asyncio.sleep(0.002)  # the turn's work
                    with guard:
                        inside -= 1
            except Exception as error:  # counted, then asserted below
                refused.append(repr(error))

    with ThreadPoolExecutor(REPLICAS) as pool:
        list(pool.map(lambda store: asyncio.run(turns(store)), stores))

    assert refused == []
    assert most_inside == 1
    assert stores[0].get_lock("busy-conversation") is None  # the last one out removed it
