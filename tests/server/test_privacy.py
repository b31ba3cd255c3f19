"""Deleting a conversation and purging old ones, on a real SQLite tracker store."""

import asyncio
import time
from pathlib import Path

import pytest
from rasa.core.tracker_store import (
    AwaitableTrackerStore,
    FailSafeTrackerStore,
    InMemoryTrackerStore,
    SQLTrackerStore,
)
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from server.privacy import delete_conversation, purge_older_than

DAY = 86400


def tracker(sender: str, age_days: float = 0) -> DialogueStateTracker:
    stamp = time.time() - age_days * DAY
    events = [UserUttered(f"my name is {sender}", timestamp=stamp)]
    return DialogueStateTracker.from_events(sender, events)


@pytest.fixture
def sql_store(tmp_path: Path) -> SQLTrackerStore:
    return SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "t.db"))


def senders(store: SQLTrackerStore) -> set[str]:
    return set(asyncio.run(store.keys()))


def test_delete_removes_only_that_sender(sql_store: SQLTrackerStore) -> None:
    for name in ["alice", "bob"]:
        asyncio.run(sql_store.save(tracker(name)))
    wrapped = AwaitableTrackerStore(FailSafeTrackerStore(sql_store))
    assert delete_conversation(wrapped, "alice") == 1
    assert senders(sql_store) == {"bob"}
    assert delete_conversation(wrapped, "alice") == 0, "deleting twice is harmless"


def test_delete_from_memory() -> None:
    store = InMemoryTrackerStore(Domain.empty())
    asyncio.run(store.save(tracker("alice")))
    assert delete_conversation(FailSafeTrackerStore(store), "alice") == 1
    assert asyncio.run(store.retrieve("alice")) is None


def test_unknown_store_is_an_error() -> None:
    with pytest.raises(TypeError):
        delete_conversation(object(), "alice")


def test_purge_keeps_recent_conversations(sql_store: SQLTrackerStore) -> None:
    asyncio.run(sql_store.save(tracker("old", age_days=40)))
    asyncio.run(sql_store.save(tracker("recent", age_days=2)))
    assert purge_older_than(sql_store, 30, dry_run=True) == 1
    assert senders(sql_store) == {"old", "recent"}
    assert purge_older_than(sql_store, 30) == 1
    assert senders(sql_store) == {"recent"}
    assert purge_older_than(sql_store, 1) == 1
    assert senders(sql_store) == set()
