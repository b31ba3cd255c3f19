"""A new session carries each slot over once, with its latest value.

Why: Rasa 3.6's `ActionSessionStart._slot_set_events_from_tracker` carries over
every `SlotSet` event of the ending session, repeats included. The carried-over
events are themselves carried over at the next session start, so a returning
user's session begins with more events each time; with `last_topic` set on most
turns and the session cap (server/session_rollover.py), a long conversation
measured 13,568 stored events after 160 turns, a new session on every turn from
turn 80 on, and latency growing turn by turn. The last value of each slot is
what replaying those events yields, so one event per slot is the same state.
"""

from __future__ import annotations

from rasa.core.actions.action import ActionSessionStart
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

_INSTALLED = "_imgcma_slot_carry_over"


def latest_slot_events(tracker: DialogueStateTracker) -> list[SlotSet]:
    """One SlotSet per slot set in the session, with its latest value, in last-set order."""
    latest: dict[str, SlotSet] = {}
    for event in tracker.applied_events():
        if isinstance(event, SlotSet):
            latest.pop(event.key, None)  # keep the order in which values were last set
            latest[event.key] = SlotSet(key=event.key, value=event.value, metadata=event.metadata)
    return list(latest.values())


def install() -> None:
    """Replace ActionSessionStart._slot_set_events_from_tracker (idempotent)."""
    current = ActionSessionStart.__dict__["_slot_set_events_from_tracker"]
    if getattr(current, _INSTALLED, False):
        return
    replacement = staticmethod(latest_slot_events)
    setattr(latest_slot_events, _INSTALLED, True)
    ActionSessionStart._slot_set_events_from_tracker = replacement  # type: ignore[method-assign]
