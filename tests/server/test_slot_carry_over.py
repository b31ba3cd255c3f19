"""server/slot_carry_over.py: a new session carries each slot over once, latest value."""

from __future__ import annotations

import asyncio

from rasa.core.actions.action import ActionSessionStart
from rasa.core.channels import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from server import slot_carry_over

DOMAIN = Domain.from_yaml(
    """
version: "3.1"
intents: [greet]
slots:
  last_topic: {type: text, influence_conversation: false, mappings: [{type: custom}]}
  plan_start: {type: text, influence_conversation: false, mappings: [{type: custom}]}
session_config:
  session_expiration_time: 60
  carry_over_slots_to_new_session: true
"""
)


def start_new_session(tracker: DialogueStateTracker) -> DialogueStateTracker:
    """What Rasa does at a session start: run action_session_start, keep what follows it."""
    events = asyncio.run(
        ActionSessionStart().run(
            CollectingOutputChannel(), TemplatedNaturalLanguageGenerator({}), tracker, DOMAIN
        )
    )
    return DialogueStateTracker.from_events(tracker.sender_id, events, DOMAIN.slots)


def a_session(tracker_events: list, topics: list[str]) -> list:
    events = list(tracker_events)
    for topic in topics:
        events += [
            UserUttered("hi", {"name": "greet", "confidence": 1.0}),
            SlotSet("last_topic", topic),
            ActionExecuted("action_listen"),
        ]
    return events


def test_each_slot_is_carried_over_once_with_its_latest_value() -> None:
    slot_carry_over.install()
    events = a_session([SlotSet("plan_start", "2027-03")], ["salary", "externship", "salary"])
    tracker = DialogueStateTracker.from_events("amira", events, DOMAIN.slots)
    carried = [e for e in start_new_session(tracker).events if isinstance(e, SlotSet)]
    assert carried == [SlotSet("plan_start", "2027-03"), SlotSet("last_topic", "salary")]


def test_sessions_do_not_grow_from_one_to_the_next() -> None:
    slot_carry_over.install()
    tracker = DialogueStateTracker.from_events("omar", a_session([], ["salary"]), DOMAIN.slots)
    sizes = []
    for _ in range(5):
        tracker = start_new_session(
            DialogueStateTracker.from_events(
                "omar", a_session(list(tracker.events), ["salary", "externship"]), DOMAIN.slots
            )
        )
        sizes.append(len(tracker.events))
        assert isinstance(tracker.events[0], SessionStarted)
    assert len(set(sizes)) == 1, sizes  # stock Rasa: 5, 7, 9, ... events per session start


def test_installing_twice_keeps_one_replacement() -> None:
    slot_carry_over.install()
    slot_carry_over.install()
    assert (
        ActionSessionStart.__dict__["_slot_set_events_from_tracker"].__func__
        is slot_carry_over.latest_slot_events
    )
