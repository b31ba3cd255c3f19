"""server/sql_tracker_read.py (used by FastSQLTrackerStore): the data column alone, same tracker."""

from __future__ import annotations

import asyncio
from pathlib import Path

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
