"""server/sql_tracker_read.py (used by FastSQLTrackerStore): the data column alone, same tracker."""

from __future__ import annotations

import asyncio
from pathlib import Path

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from server.tracker_store import FastSQLTrackerStore

DOMAIN = Domain.from_yaml(
    """
version: "3.1"
intents: [greet]
slots:
  plan_start:
    type: text
    mappings: [{type: custom}]
"""
)


def session(start: float, text: str) -> list:
    return [
        ActionExecuted("action_session_start", timestamp=start),
        SessionStarted(timestamp=start + 0.1),
        SlotSet("plan_start", "2027-03", timestamp=start + 0.2),
        ActionExecuted("action_listen", timestamp=start + 0.3),
        UserUttered(text, {"name": "greet", "confidence": 0.9}, timestamp=start + 0.4),
        BotUttered("Hello!", timestamp=start + 0.5),
        ActionExecuted("action_listen", timestamp=start + 0.6),
    ]


def test_latest_session_and_full_history_come_back_in_order(tmp_path: Path) -> None:
    store = FastSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "t.db"))
    first, second = session(1000.0, "hi"), session(2000.0, "hello again")
    asyncio.run(store.save(DialogueStateTracker.from_events("amira", first + second, DOMAIN.slots)))

    latest = asyncio.run(store.retrieve("amira"))
    full = asyncio.run(store.retrieve_full_tracker("amira"))

    assert latest is not None and full is not None
    # As in stock Rasa, the latest session is everything from its SessionStarted on.
    assert list(latest.events) == second[1:]
    assert list(full.events) == first + second
    assert latest.get_slot("plan_start") == "2027-03"
    assert latest.latest_message is not None and latest.latest_message.text == "hello again"


def test_unknown_sender_gives_none(tmp_path: Path) -> None:
    store = FastSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "t.db"))
    assert asyncio.run(store.retrieve("nobody")) is None


def _ids(store: SQLTrackerStore, sender: str, all_sessions: bool) -> list[int]:
    with store.session_scope() as db:
        query = store._event_query(db, sender, fetch_events_from_all_sessions=all_sessions)
        return [row.id for row in query.all()]


def test_the_session_query_finds_what_rasa_s_own_query_finds(tmp_path: Path) -> None:
    store = FastSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "t.db"))
    events = session(1000.0, "hi") + session(2000.0, "again") + session(3000.0, "third")
    asyncio.run(store.save(DialogueStateTracker.from_events("amira", events, DOMAIN.slots)))
    no_session = [UserUttered("hey", {"name": "greet", "confidence": 1.0}, timestamp=5.0)]
    asyncio.run(store.save(DialogueStateTracker.from_events("omar", no_session, DOMAIN.slots)))
    for sender in ("amira", "omar", "nobody"):
        for all_sessions in (False, True):
            with store.session_scope() as db:
                stock = SQLTrackerStore._event_query(store, db, sender, all_sessions)
                expected = [row.id for row in stock.all()]
            assert _ids(store, sender, all_sessions) == expected


def test_the_latest_session_is_read_through_indexes_not_a_scan(tmp_path: Path) -> None:
    store = FastSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "t.db"))
    asyncio.run(
        store.save(DialogueStateTracker.from_events("amira", session(1.0, "hi"), DOMAIN.slots))
    )
    with store.session_scope() as db:
        query = store._event_query(db, "amira", fetch_events_from_all_sessions=False)
        compiled = query.statement.compile(
            dialect=store.engine.dialect, compile_kwargs={"literal_binds": True}
        )
        plan = db.execute(sa.text(f"EXPLAIN QUERY PLAN {compiled}")).fetchall()
    details = " ".join(str(row[-1]) for row in plan)
    assert "imgcma_events_sender_time (sender_id=? AND timestamp>?)" in details, details
    assert "SCAN" not in details.replace("SCAN CONSTANT ROW", ""), details
