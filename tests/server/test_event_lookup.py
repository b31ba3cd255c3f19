"""server/event_lookup.py: the type-name table resolves exactly as Rasa's class-tree walk."""

from __future__ import annotations

import pytest
from rasa.shared.core.events import Event, SlotSet
from rasa.shared.utils.common import all_subclasses

from server import event_lookup


def stock_resolve(type_name: str) -> type[Event] | None:
    """Rasa 3.6's loop, verbatim in effect: the first subclass with that type name."""
    return next((c for c in all_subclasses(Event) if c.type_name == type_name), None)


def test_every_event_type_resolves_to_the_stock_class() -> None:
    event_lookup.install()
    names = {cls.type_name for cls in all_subclasses(Event)}
    assert {"user", "bot", "action", "slot", "session_started", "active_loop"} <= names
    for name in names:
        assert Event.resolve_by_type(name) is stock_resolve(name), name


def test_unknown_names_keep_the_stock_answers() -> None:
    event_lookup.install()
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no_such_event")


def test_a_subclass_imported_later_is_found() -> None:
    event_lookup.install()

    class LateEvent(SlotSet):
        type_name = "imgcma_test_late_event"

    assert Event.resolve_by_type("imgcma_test_late_event") is LateEvent


def test_events_round_trip_through_their_dicts() -> None:
    event_lookup.install()
    restored = Event.from_parameters({"event": "slot", "name": "plan_start", "value": "2027-03"})
    assert restored == SlotSet("plan_start", "2027-03")
