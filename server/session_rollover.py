"""Long conversations start a new Rasa session every SESSION_MAX_EVENTS events.

Why: stock Rasa 3.6 loads, replays and featurizes every event of the current
session on each message (the SQL tracker store reads all events since the last
`session_started`; MemoizationPolicy and RulePolicy build the states of the
whole tracker before cutting them to max_history). A session only ends after
`session_expiration_time` idle minutes, so a user who keeps talking makes every
turn slower: measured 78 ms at turn 1 and 347 ms at turn 200 for a plain bot.

Sessions are Rasa's own mechanism: `action_session_start` carries the slots
over (`carry_over_slots_to_new_session: true` in domain.yml), and the slots are
where this bot keeps everything it remembers (plan inputs, checklist progress).
We never roll over while a form is active, so a half-filled form stays intact.
The full history stays in the tracker store (`retrieve_full_tracker`, the HTTP
API's tracker endpoint); only what each turn loads is bounded.
"""

from __future__ import annotations

import logging

from rasa.core.processor import MessageProcessor
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)

_INSTALLED = "_imgcma_session_rollover"


def events_in_session(tracker: DialogueStateTracker) -> int:
    """Events since the latest `session_started` (all events when there is none)."""
    count = 0
    for event in reversed(tracker.events):
        if isinstance(event, SessionStarted):
            break
        count += 1
    return count


def install(max_events: int) -> None:
    """Patch MessageProcessor._has_session_expired (idempotent; 0 turns the cap off)."""
    if max_events <= 0 or getattr(MessageProcessor._has_session_expired, _INSTALLED, False):
        return
    original = MessageProcessor._has_session_expired

    def _has_session_expired(self: MessageProcessor, tracker: DialogueStateTracker) -> bool:
        if original(self, tracker):
            return True
        if not self.domain.session_config.are_sessions_enabled() or tracker.active_loop_name:
            return False
        if events_in_session(tracker) <= max_events:
            return False
        logger.debug(
            "Conversation %r passed %d events in this session; starting a new one.",
            tracker.sender_id,
            max_events,
        )
        return True

    setattr(_has_session_expired, _INSTALLED, True)
    MessageProcessor._has_session_expired = _has_session_expired  # type: ignore[method-assign]
