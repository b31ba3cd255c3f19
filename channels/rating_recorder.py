"""Store a user's verdict on an answer in the conversation, without running the dialogue.

The channels call `record_rating` when a thumbs up/down is pressed. Under the
conversation's lock (the same lock Rasa holds while it answers a message) it finds
the rated answer in the stored conversation, all sessions included, and appends one
`SlotSet("answer_rating", record)` event (`channels/answer_ratings.py`). No NLU, no
policy, no action runs: the rating cannot change `last_topic`, trigger a fallback or
count as a question, and it adds no message to the chat.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.shared.core.events import SlotSet

from channels.answer_ratings import BAD_RATING, SLOT, UNKNOWN_ANSWER, Outcome, rating_record

logger = logging.getLogger(__name__)
# What the user sees after pressing a thumb (Slack and Telegram; the widget shows its own).
THANKS = "Thanks for your feedback!"
NOT_RECORDED = "Sorry, I could not record that rating. Please try again later."
GONE = "Sorry, that answer can no longer be rated."
UNREADABLE = "Sorry, I could not read that rating."


async def record_rating(
    agent: Any, sender_id: str, answer: object, rating: object, channel: str
) -> Outcome:
    """Record `rating` of the answer `answer` in `sender_id`'s conversation.

    Raises whatever the tracker or lock store raises (the caller answers politely).
    """
    if agent is None or getattr(agent, "tracker_store", None) is None:
        raise RuntimeError("no agent loaded")
    store = agent.tracker_store
    async with agent.lock_store.lock(sender_id):
        tracker = await store.retrieve(sender_id)
        if tracker is None:
            return Outcome(UNKNOWN_ANSWER)
        # The answer may be from an earlier session, which `retrieve` leaves out.
        full = await store.retrieve_full_tracker(sender_id)
        events = [event.as_dict() for event in (full or tracker).events]
        outcome = rating_record(events, answer, rating, channel)
        if outcome.recorded:
            tracker.update(SlotSet(SLOT, outcome.record))
            await store.save(tracker)
    logger.info(
        "Rating on %s: %s (%s)",
        channel,
        outcome.status,
        outcome.record.get("rating", "-") if outcome.recorded else "not stored",
    )
    return outcome


def reply_for(outcome: Outcome | None) -> str:
    """The short acknowledgement for the user: thanks, or why nothing was stored."""
    if outcome is None:
        return NOT_RECORDED
    if outcome.status == UNKNOWN_ANSWER:
        return GONE
    if outcome.status == BAD_RATING:
        return UNREADABLE
    return THANKS
