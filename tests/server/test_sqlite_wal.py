"""server/sqlite_wal.py (used by FastSQLTrackerStore): WAL mode, and every event kept."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from server.tracker_store import FastSQLTrackerStore


def test_sqlite_store_uses_wal_and_round_trips(tmp_path: Path) -> None:
    domain = Domain.empty()
    db = tmp_path / "tracker.db"
    store = FastSQLTrackerStore(domain, dialect="sqlite", db=str(db))
    events = [
        ActionExecuted("action_listen"),
        UserUttered("hello"),
        ActionExecuted("action_listen"),
    ]
    asyncio.run(store.save(DialogueStateTracker.from_events("amira", events)))

    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
    with sqlite3.connect(db) as plain:
        assert plain.execute("PRAGMA journal_mode").fetchone()[0] == "wal"

    # A fresh store (as after a restart) reads back every event.
    again = FastSQLTrackerStore(domain, dialect="sqlite", db=str(db))
    tracker = asyncio.run(again.retrieve("amira"))
    assert tracker is not None
    assert [e.as_dict()["event"] for e in tracker.events] == ["action", "user", "action"]
