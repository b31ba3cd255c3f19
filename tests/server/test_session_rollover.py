"""server/session_rollover.py: long sessions end at a safe point, forms never mid-way."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from rasa.core.processor import MessageProcessor
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    SessionStarted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from server import session_rollover

MAX_EVENTS = 12
DOMAIN = Domain.from_yaml(
    """
version: "3.1"
intents: [greet]
forms:
  a_form:
    required_slots: []
session_config:
  session_expiration_time: 60
  carry_over_slots_to_new_session: true
"""
)


@pytest.fixture(scope="module", autouse=True)
def installed() -> None:
    session_rollover.install(MAX_EVENTS)


def turns(count: int) -> list:
    """`count` finished turns of 4 events each (user, action, bot, listen)."""
    events: list = []
    for i in range(count):
        events += [
            UserUttered(f"hi {i}", {"name": "greet", "confidence": 1.0}),
            ActionExecuted("utter_greet"),
            BotUttered("hello"),
            ActionExecuted("action_listen"),
        ]
    return events


def expired(events: list) -> bool:
    tracker = DialogueStateTracker.from_events("someone", events, DOMAIN.slots)
    processor = SimpleNamespace(domain=DOMAIN)
    return MessageProcessor._has_session_expired(processor, tracker)  # type: ignore[arg-type]


def test_a_short_session_goes_on() -> None:
    assert not expired([SessionStarted(), *turns(3)])


def test_a_session_past_the_cap_starts_anew() -> None:
    assert expired([SessionStarted(), *turns(4)])


def test_only_the_latest_session_counts() -> None:
    assert not expired([*turns(10), SessionStarted(), *turns(2)])


def test_an_active_form_is_never_cut() -> None:
    events = [SessionStarted(), *turns(2), ActiveLoop("a_form"), *turns(3)]
    assert not expired(events)
    assert expired([*events, ActiveLoop(None)])


def test_installing_twice_wraps_once() -> None:
    patched = MessageProcessor._has_session_expired
    session_rollover.install(MAX_EVENTS)
    assert MessageProcessor._has_session_expired is patched


def test_counting_stops_at_the_session_start() -> None:
    tracker = DialogueStateTracker.from_events(
        "someone", [*turns(5), SessionStarted(), *turns(2)], DOMAIN.slots
    )
    assert session_rollover.events_in_session(tracker) == 8
