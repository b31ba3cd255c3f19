"""Storing a rating in the real SQL tracker store, under the real lock store."""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import SimpleNamespace

from rasa.core.lock_store import InMemoryLockStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from channels.answer_ratings import RECORDED, UNCHANGED, UNKNOWN_ANSWER, format_id
from channels.rating_recorder import record_rating
from server.tracker_store import FastSQLTrackerStore

DOMAIN = Domain.from_dict(
    {
        "slots": {
            "answer_rating": {"type": "any", "mappings": [{"type": "custom"}]},
            "last_topic": {"type": "text", "mappings": [{"type": "custom"}]},
        }
    }
)
ANSWER = 'The externship is unpaid.\n📖 From the guide: "Step 3"'


def turn(text: str, intent: str, reply: str, at: float) -> list:
    return [
        UserUttered(text, {"name": intent, "confidence": 0.93}, timestamp=at),
        SlotSet("last_topic", intent, timestamp=at + 0.1),
        ActionExecuted(f"utter_{intent}", timestamp=at + 0.2),
        BotUttered(reply, metadata={"utter_action": f"utter_{intent}"}, timestamp=at + 0.3),
        ActionExecuted("action_listen", timestamp=at + 0.4),
    ]


def test_an_answer_from_an_earlier_session_is_rated_in_the_current_one(tmp_path: Path) -> None:
    store = FastSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "tracker.db"))
    agent = SimpleNamespace(tracker_store=store, lock_store=InMemoryLockStore())
    old = turn("what is an externship", "externship", ANSWER, 1000.0)
    new = [
        ActionExecuted("action_session_start", timestamp=5000.0),
        SessionStarted(timestamp=5000.1),
        SlotSet("last_topic", "externship", timestamp=5000.2),
        ActionExecuted("action_listen", timestamp=5000.3),
        *turn("hi", "greet", "Hello!", 5001.0),
    ]
    tracker = DialogueStateTracker.from_events(
        "amira", [ActionExecuted("action_listen"), *old], slots=DOMAIN.slots
    )
    asyncio.run(store.save(tracker))
    for event in new:
        tracker.update(event)
    asyncio.run(store.save(tracker))
    assert ANSWER not in [
        e.text for e in asyncio.run(store.retrieve("amira")).events if isinstance(e, BotUttered)
    ]

    answer = format_id(1000.3)
    first = asyncio.run(record_rating(agent, "amira", answer, "unhelpful", "slack"))
    assert first.status == RECORDED
    assert first.record["question"] == "what is an externship"
    assert (
        asyncio.run(record_rating(agent, "amira", answer, "unhelpful", "slack")).status == UNCHANGED
    )
    assert (
        asyncio.run(record_rating(agent, "stranger", answer, "helpful", "slack")).status
        == UNKNOWN_ANSWER
    )

    stored = asyncio.run(store.retrieve("amira"))
    rated = [e for e in stored.events if isinstance(e, SlotSet) and e.key == "answer_rating"]
    assert [e.value for e in rated] == [first.record]
    assert stored.get_slot("last_topic") == "greet"  # untouched by the rating
    assert stored.latest_action_name == "action_listen"
    # Saved once, appended after the current session's events: nothing lost, nothing doubled.
    full = asyncio.run(store.retrieve_full_tracker("amira"))
    assert len(full.events) == 1 + len(old) + len(new) + 1
