"""Answer a short follow-up within the topic the bot last answered.

The rules live in data/content/follow_ups.yml (operators edit them); this module
checks that file and picks, for a topic and a message, what to answer.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class Rule:
    """When the message fits `when`: give `answer`, run `action`, or say the guide lacks
    `not_in_guide`. A `whole` rule also leans on the last answer when it is the entire message
    ("associates" after a timeline), without words pointing back. A `direct` not_in_guide
    rule also declines the question asked straight out ("how long is the externship?")."""

    when: re.Pattern[str]
    answer: str | None = None
    not_in_guide: str | None = None
    action: str | None = None
    whole: bool = False
    direct: bool = False

    def fits(self, said: str) -> bool:
        """Whether the (lower-cased, space-collapsed) message fits this follow-up."""
        return bool(self.when.fullmatch(said) if self.whole else self.when.search(said))


@dataclass(frozen=True)
class Topic:
    rules: tuple[Rule, ...]
    more: str


@dataclass(frozen=True)
class FollowUps:
    topics: Mapping[str, Topic]
    common: tuple[Rule, ...]


@dataclass(frozen=True)
class Reply:
    """What to say: a response name, an action to run, or that the guide does not say
    `missing` about the topic."""

    response: str | None = None
    missing: str | None = None
    action: str | None = None


def _said(text: str) -> str:
    """The message as the `when` patterns read it: lower-cased, spaces collapsed, capped."""
    return " ".join(str(text).lower().split())[:500]


def _rule(entry: Any, where: str, responses: Collection[str] | None) -> Rule:
    if not isinstance(entry, dict) or not isinstance(entry.get("when"), str):
        raise ValueError(f"{where}: each follow-up needs a `when` pattern")
    answer, missing, action = entry.get("answer"), entry.get("not_in_guide"), entry.get("action")
    if sum(value is not None for value in (answer, missing, action)) != 1:
        raise ValueError(f"{where}: give exactly one of `answer`, `action` or `not_in_guide`")
    if answer is not None and responses is not None and answer not in responses:
        raise ValueError(f"{where}: `{answer}` is not a response in domain.yml")
    if action is not None and not str(action).startswith("action_"):
        raise ValueError(f"{where}: `action` must name a custom action (action_...)")
    try:
        pattern = re.compile(entry["when"], re.IGNORECASE)
    except re.error as error:
        raise ValueError(f"{where}: `when` is not a valid pattern: {error}") from error
    direct = bool(entry.get("direct", False))
    if direct and missing is None:
        raise ValueError(f"{where}: `direct` is only for `not_in_guide` follow-ups")
    return Rule(pattern, answer, missing, action, bool(entry.get("whole", False)), direct)


def parse_follow_ups(data: Any, responses: Collection[str] | None = None) -> FollowUps:
    """Check the file's content; `responses`, when given, are the names answers may use."""
    if not isinstance(data, dict) or not isinstance(data.get("topics"), dict):
        raise ValueError("follow_ups: expected `topics:` mapping topic intents to their follow-ups")
    common = tuple(
        _rule(e, f"common[{i}]", responses) for i, e in enumerate(data.get("common") or [])
    )
    topics = {}
    for name, body in data["topics"].items():
        if not isinstance(body, dict) or not isinstance(body.get("more"), str):
            raise ValueError(f"topics.{name}: needs `more`, the answer to 'tell me more'")
        if responses is not None and body["more"] not in responses:
            raise ValueError(f"topics.{name}: `{body['more']}` is not a response in domain.yml")
        rules = tuple(
            _rule(e, f"topics.{name}[{i}]", responses)
            for i, e in enumerate(body.get("follow_ups") or [])
        )
        topics[name] = Topic(rules, body["more"])
    return FollowUps(topics, common)


def load_follow_ups(path: Path, responses: Collection[str] | None = None) -> FollowUps:
    return parse_follow_ups(yaml.safe_load(path.read_text(encoding="utf-8")), responses)


def answer_follow_up(follow_ups: FollowUps, topic: str | None, text: str) -> Reply | None:
    """The reply for a follow-up on `topic`; None when no topic is known to lean on."""
    if not topic or topic not in follow_ups.topics:
        return None
    said = _said(text)
    entry = follow_ups.topics[topic]
    for rule in (*entry.rules, *follow_ups.common):
        if rule.fits(said):
            return Reply(response=rule.answer, missing=rule.not_in_guide, action=rule.action)
    return Reply(response=entry.more)


def gap_in_question(follow_ups: FollowUps, intent: str | None, text: str) -> Reply | None:
    """The honest "the guide doesn't say" for a topic's question asked straight out.

    "how long is the externship?" reads as the externship topic, but asks what the guide
    does not say: when the first of the topic's own follow-ups it fits is a `direct`
    not_in_guide one, that is the reply. None otherwise.
    """
    if not intent or intent not in follow_ups.topics or len(text.split()) > _SHORT:
        return None
    said = _said(text)
    for rule in follow_ups.topics[intent].rules:
        if rule.fits(said):
            return Reply(missing=rule.not_in_guide) if rule.direct else None
    return None


FOLLOW_UP_INTENT = "follow_up"
FALLBACK_INTENT = "nlu_fallback"
OUT_OF_SCOPE_INTENT = "out_of_scope"
TOPIC_SLOT = "last_topic"
# Words that point back at the last answer: "is it paid?", "which of the two?".
_POINTS_BACK = re.compile(
    r"\b(it|its|that|this|those|these|they|them|their|theirs|there|the two|both|which"
    r"|the other|one more|\w+er one)\b",
    re.IGNORECASE,
)
# "tell me more", "why?", "explain": asks for more on whatever was just answered.
_MORE = re.compile(
    r"\b(tell me more|more (info|information|details?)|explain|elaborate|go on|why|how so)\b",
    re.IGNORECASE,
)
_SHORT = 14  # words; a longer message is a question of its own
# "and the clinical part?", "what about the LPN?": a short message that opens this way
# continues the last answer even without a word pointing back.
_CONTINUES = re.compile(r"^\W*(and|what about|how about|and what about|and how about)\b", re.I)
_CONTINUES_WORDS = 6


def topic_before_last_message(events: list[Mapping[str, Any]]) -> str | None:
    """The last topic as it stood before the latest user message set a new one."""
    seen_user = False
    for event in reversed(events):
        kind = event.get("event")
        if kind == "user":
            seen_user = True
        elif seen_user and kind == "slot" and event.get("name") == TOPIC_SLOT:
            return event.get("value")
        elif seen_user and kind == "restart":
            return None
    return None


def _specific_rule(follow_ups: FollowUps, topic: str, text: str) -> bool:
    said = _said(text)
    entry = follow_ups.topics[topic]
    return any(rule.fits(said) for rule in (*entry.rules, *follow_ups.common))


def leans_on_last_answer(
    follow_ups: FollowUps, intent: str | None, text: str, topic: str | None
) -> bool:
    """Whether the message is a follow-up to `topic` rather than a question of its own.

    Yes for the follow_up intent; for a "did you mean" or another topic only when the
    message is short, points back ("it", "that one", "the two") and one of the topic's
    follow-ups fits, so "how much does a CMA make?" after the externship stays a salary question.
    """
    if not topic or topic not in follow_ups.topics:
        return False
    if intent == FOLLOW_UP_INTENT:
        return True
    said = _said(text)
    if any(rule.whole and rule.fits(said) for rule in follow_ups.topics[topic].rules):
        return True
    if len(text.split()) > _SHORT:
        return False
    if intent == FALLBACK_INTENT and _MORE.search(text):
        return True
    if not _specific_rule(follow_ups, topic, text):
        return False
    # "what are the downsides?" read as out of scope: short, and the topic has an answer for it.
    unsure = intent in (FALLBACK_INTENT, OUT_OF_SCOPE_INTENT)
    continues = len(text.split()) <= _CONTINUES_WORDS and bool(_CONTINUES.match(text))
    return unsure or continues or bool(_POINTS_BACK.search(text))
