"""Users' verdicts on answers: which bot messages can be rated, and what a rating records.

Pure functions over messages and stored events (dicts as Rasa stores them); no Rasa
imports. The channels put a thumbs up/down pair on each answer (docs/ratings.md);
`channels/rating_recorder.py` stores a rating in the conversation as the value of
the `answer_rating` slot, which never steers the dialogue.

An answer is a bot message that names its guide part ("📖 From the guide"): every
topic answer, follow-up answer, the timeline and the checklists. Greetings, "did you
mean...?", declines, questions the bot asks and the emergency and crisis replies
carry no guide part, so they get no controls; the safety replies are excluded by
name as well, so a future wording with a source can never ask for a rating.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

SLOT = "answer_rating"
HELPFUL, UNHELPFUL = "helpful", "unhelpful"
RATINGS = (HELPFUL, UNHELPFUL)
GUIDE_MARK = "📖 From the guide"
NEVER_RATED = frozenset({"utter_medical_emergency", "utter_self_harm"})
# Longest answer id accepted from a client: a float's repr is about 18 characters.
MAX_ID_CHARS = 40
RECORDED, UNCHANGED, UNKNOWN_ANSWER, BAD_RATING = (
    "recorded",
    "unchanged",
    "unknown answer",
    "bad rating",
)


def format_id(timestamp: float) -> str:
    """An answer's id: its bot event's timestamp, as the shortest exact text."""
    return repr(float(timestamp))


def answer_id(message: Mapping[str, Any]) -> str | None:
    """The id to rate this outgoing bot message by, or None when it is not an answer.

    `message` is what Rasa hands an output channel (`BotUttered.message()`): the text,
    buttons, `timestamp` and the metadata (`utter_action`).
    """
    text = message.get("text")
    if not isinstance(text, str) or GUIDE_MARK not in text:
        return None
    if message.get("utter_action") in NEVER_RATED:
        return None
    timestamp = message.get("timestamp")
    if isinstance(timestamp, bool) or not isinstance(timestamp, int | float):
        return None
    return format_id(timestamp)


def parse_rating(value: object) -> str | None:
    """ "helpful" or "unhelpful" (any case, surrounding spaces), else None."""
    if not isinstance(value, str):
        return None
    rating = value.strip().lower()
    return rating if rating in RATINGS else None


def parse_answer_id(value: object) -> str | None:
    """A client's answer id in canonical form, or None if it cannot be one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return format_id(value) if math.isfinite(value) else None
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_ID_CHARS:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return format_id(number) if math.isfinite(number) else None


def _as_message(event: Mapping[str, Any]) -> dict[str, Any]:
    """A stored bot event in the shape an output channel got it (`BotUttered.message()`)."""
    message = dict(event.get("data") or {})
    message["text"] = event.get("text")
    message["timestamp"] = event.get("timestamp")
    message.update(event.get("metadata") or {})
    return message


@dataclass
class Outcome:
    """What became of a rating: RECORDED (with the record to store), or why not."""

    status: str
    record: dict[str, Any] = field(default_factory=dict)

    @property
    def recorded(self) -> bool:
        return self.status == RECORDED


def rating_record(
    events: Iterable[Mapping[str, Any]], answer: object, rating: object, channel: str
) -> Outcome:
    """The record for rating `answer` in this conversation's events, or why there is none.

    The record names the rated answer (its id and response), the user's message it
    answered (text, intent, confidence) and the channel. Rating an answer again the
    same way changes nothing; the other way replaces the verdict (the latest counts).
    """
    verdict = parse_rating(rating)
    wanted = parse_answer_id(answer)
    if verdict is None:
        return Outcome(BAD_RATING)
    if wanted is None:
        return Outcome(UNKNOWN_ANSWER)
    question: Mapping[str, Any] | None = None
    action = ""
    found: dict[str, Any] | None = None
    previous: str | None = None
    for event in events:
        kind = event.get("event")
        if kind == "user":
            question = event
        elif kind == "action":
            action = str(event.get("name") or "")
        elif kind == "bot" and found is None:
            message = _as_message(event)
            if answer_id(message) == wanted:
                found = {
                    "response": str(message.get("utter_action") or action),
                    "question": question,
                }
        elif kind == "slot" and event.get("name") == SLOT:
            value = event.get("value")
            if isinstance(value, Mapping) and value.get("answer_id") == wanted:
                previous = value.get("rating")
    if found is None:
        return Outcome(UNKNOWN_ANSWER)
    if previous == verdict:
        return Outcome(UNCHANGED)
    asked = found["question"] or {}
    intent = (asked.get("parse_data") or {}).get("intent") or {}
    return Outcome(
        RECORDED,
        {
            "rating": verdict,
            "answer_id": wanted,
            "response": found["response"],
            "question": str(asked.get("text") or ""),
            "intent": str(intent.get("name") or ""),
            "confidence": round(float(intent.get("confidence") or 0.0), 4),
            "channel": channel,
        },
    )
