"""Answer a short follow-up within the topic the bot last answered.

The rules live in data/content/follow_ups.yml (operators edit them); this module
checks that file and picks, for a topic and a message, what to answer.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class Rule:
    """When the message fits `when`: give `answer`, run `action`, or say the guide lacks
    `not_in_guide`. A `whole` rule also leans on the last answer when it is the entire message
    ("associates" after a timeline), without words pointing back. A `direct` not_in_guide
    rule also declines the question asked straight out ("how long is the externship?").
    A `direct` answer rule answers that point when the topic's question is asked straight out.
    A `first` common rule is tried before the topic's own ("what does CNA training cost?"
    after the roles compared is a cost question, though it names a role)."""

    when: re.Pattern[str]
    answer: str | None = None
    not_in_guide: str | None = None
    action: str | None = None
    whole: bool = False
    direct: bool = False
    first: bool = False

    def fits(self, said: str) -> bool:
        """Whether the (lower-cased, space-collapsed) message fits this follow-up."""
        return bool(self.when.fullmatch(said) if self.whole else self.when.search(said))


@dataclass(frozen=True)
class Topic:
    rules: tuple[Rule, ...]
    more: str


@dataclass(frozen=True)
class AlreadyDone:
    """Said before `answer` when the user already told us checklist `item` is done."""

    item: str
    note: str


@dataclass(frozen=True)
class FollowUps:
    topics: Mapping[str, Topic]
    common: tuple[Rule, ...]
    already_done: Mapping[str, AlreadyDone] = field(default_factory=dict)

    def rules_for(self, topic: str) -> tuple[Rule, ...]:
        """The rules tried for `topic`, in order."""
        first = tuple(rule for rule in self.common if rule.first)
        later = tuple(rule for rule in self.common if not rule.first)
        return (*first, *self.topics[topic].rules, *later)


@dataclass(frozen=True)
class Reply:
    """What to say: a response name, an action to run, or that the guide does not say
    `missing` about the topic. `topic` is set when the answer comes from the topic answered
    before the last one ("why pick the longer one?" two answers after the comparison)."""

    response: str | None = None
    missing: str | None = None
    action: str | None = None
    topic: str | None = None


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
    if direct and action is not None:
        raise ValueError(f"{where}: `direct` is only for `answer` or `not_in_guide` follow-ups")
    first = bool(entry.get("first", False))
    if first and not where.startswith("common"):
        raise ValueError(f"{where}: `first` is only for common follow-ups")
    whole = bool(entry.get("whole", False))
    return Rule(pattern, answer, missing, action, whole, direct, first)


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
    return FollowUps(topics, common, _already_done(data.get("already_done") or {}, responses))


def _already_done(data: Any, responses: Collection[str] | None) -> dict[str, AlreadyDone]:
    if not isinstance(data, dict):
        raise ValueError("already_done: expected a mapping of answers to `item` and `note`")
    notes = {}
    for answer, body in data.items():
        where = f"already_done.{answer}"
        if not isinstance(body, dict) or not all(
            isinstance(body.get(key), str) for key in ("item", "note")
        ):
            raise ValueError(f"{where}: needs `item` (a checklist item id) and `note` (a response)")
        for name in (answer, body["note"]):
            if responses is not None and name not in responses:
                raise ValueError(f"{where}: `{name}` is not a response in domain.yml")
        notes[answer] = AlreadyDone(body["item"], body["note"])
    return notes


def load_follow_ups(path: Path, responses: Collection[str] | None = None) -> FollowUps:
    return parse_follow_ups(yaml.safe_load(path.read_text(encoding="utf-8")), responses)


def _fitting_rule(rules: tuple[Rule, ...], said: str) -> Rule | None:
    return next((rule for rule in rules if rule.fits(said)), None)


def answer_follow_up(
    follow_ups: FollowUps, topic: str | None, text: str, earlier: str | None = None
) -> Reply | None:
    """The reply for a follow-up on `topic`; None when no topic is known to lean on.

    When none of `topic`'s follow-ups fits but one of the `earlier` topic's own does, the
    follow-up reaches back to it: "why pick the longer one?" after the certificate/associate
    comparison and then the programs' list."""
    said = _said(text)
    if not topic or topic not in follow_ups.topics:
        # No topic to lean on: a follow-up whose answer holds for any topic still has one
        # ("how many questions on the real one?": the exam is the only thing with questions).
        rule = _fitting_rule(tuple(r for r in follow_ups.common if not r.action), said)
        return Reply(response=rule.answer, missing=rule.not_in_guide) if rule else None
    if rule := _fitting_rule(follow_ups.rules_for(topic), said):
        return Reply(response=rule.answer, missing=rule.not_in_guide, action=rule.action)
    earlier_rules = follow_ups.topics[earlier].rules if earlier in follow_ups.topics else ()
    if earlier != topic and (rule := _fitting_rule(earlier_rules, said)):
        return Reply(rule.answer, rule.not_in_guide, rule.action, topic=earlier)
    return Reply(response=follow_ups.topics[topic].more)


def direct_reply(follow_ups: FollowUps, intent: str | None, text: str) -> Reply | None:
    """The narrower reply for a topic's question asked straight out.

    "how long is the externship?" reads as the externship topic, but asks what the guide
    does not say; "which computer systems would I use?" reads as the CMA's role, but asks
    for one point of it. When the first of the topic's own follow-ups it fits is `direct`,
    that is the reply: the honest "the guide doesn't say", or the point's own answer. A
    longer message is read by its closing question ("the archive burned down. what if i
    can't get my transcripts?"). None otherwise.
    """
    question = _closing_question(text)
    if not intent or intent not in follow_ups.topics or question is None:
        return None
    said = _said(question)
    for rule in follow_ups.topics[intent].rules:
        if rule.fits(said):
            if not rule.direct:
                return None
            return Reply(response=rule.answer, missing=rule.not_in_guide)
    # Then what the guide lacks for every topic ("is Mayo Clinic hiring right now?").
    for rule in follow_ups.common:
        if rule.direct and rule.fits(said):
            return Reply(response=rule.answer, missing=rule.not_in_guide)
    return None


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _closing_question(text: str) -> str | None:
    """The message when short, else its last sentence when that one is a short question."""
    if len(text.split()) <= _SHORT:
        return text
    last = [s for s in _SENTENCE_END.split(text.strip()) if s][-1]
    return last if last.endswith("?") and len(last.split()) <= _SHORT else None


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
_FILLERS = re.compile(r"^\W*((ok|okay|so|alright|right|oh|hmm|got it|i see)\W+)*", re.I)
_CONTINUES = re.compile(r"(and|what about|how about|and what about|and how about)\b", re.I)
_CONTINUES_WORDS = 8
# "why not? i studied 6 years", "how come?": asks the reason for the answer just given.
_WHY_OPEN = re.compile(r"^\W*((ok|okay|so|but|hmm|wait)\W+)*(why( not)?|how come)\s*[?!.,]", re.I)
# "and if I choose the short program and start in march?": a "what if" goes on with the
# last answer, up to the length of a short question.
# "full time then?", "the associate instead?": a short message ending so goes on with it.
_THEN_END = re.compile(r"\b(then|instead)\W*$", re.I)
_FRAGMENT_WORDS = 5
_ASKS_WHAT = re.compile(r"\b(what|why|who|where|which|how)\b", re.I)
_WHAT_IF = re.compile(r"^\W*((ok|okay|so|alright|hmm)\W+)*(and|but|so|what|and what) if\b", re.I)
# "whats the total including exam and job search" read as the exam format at 0.44, right
# after a plan: below this, the last topic's fitting follow-up is the likelier reading.
_UNSURE_BELOW = 0.5
_SURE = 0.9
MARK_DONE_INTENT = "mark_item_done"


USER, RESTART, TOPIC = "user", "restart", "topic"

# "how long would a certificate take me?" from someone whose pace or start the bot knows:
# their own plan answers it better than the general durations.
_LENGTH_INTENTS = frozenset({"timeline", "certificate_vs_associate"})
_PERSONAL_LENGTH = re.compile(
    r"\b(how long|how many (months|years)|when)\b.*\b(me|i|my|im|ill|id)\b", re.IGNORECASE
)


def asks_own_length(intent: str | None, text: str) -> bool:
    """A question of the program's or the path's length asked about the user's own case."""
    return intent in _LENGTH_INTENTS and bool(_PERSONAL_LENGTH.search(text))


def last_two_topics(newest_first: Iterable[tuple[str, Any]]) -> tuple[str | None, str | None]:
    """The last topic and the one answered before it, as they stood before the latest user
    message set a new one. `newest_first` yields (USER | RESTART | TOPIC, topic value) for
    the conversation's events, newest first; it is read only as far back as needed."""
    seen_user = False
    found: list[str] = []
    for kind, value in newest_first:
        if kind == USER:
            seen_user = True
        elif seen_user and kind == RESTART:
            break
        elif seen_user and kind == TOPIC:
            if value and value not in found:
                found.append(value)
                if len(found) == 2:
                    break
            elif not value and not found:
                return None, None
    padded = [*found, None, None]
    return padded[0], padded[1]


def topics_before_last_message(
    events: list[Mapping[str, Any]],
) -> tuple[str | None, str | None]:
    """`last_two_topics` over a tracker's events as the action server sees them (dicts)."""

    def kinds() -> Iterator[tuple[str, Any]]:
        for event in reversed(events):
            kind = event.get("event")
            if kind == "slot" and event.get("name") == TOPIC_SLOT:
                yield TOPIC, event.get("value")
            elif kind in (USER, RESTART):
                yield kind, None

    return last_two_topics(kinds())


def topic_before_last_message(events: list[Mapping[str, Any]]) -> str | None:
    """The last topic as it stood before the latest user message set a new one."""
    return topics_before_last_message(events)[0]


def _specific_rule(follow_ups: FollowUps, topic: str, text: str, earlier: str | None) -> bool:
    said = _said(text)
    if _fitting_rule(follow_ups.rules_for(topic), said):
        return True
    earlier_rules = follow_ups.topics[earlier].rules if earlier in follow_ups.topics else ()
    return _fitting_rule(earlier_rules, said) is not None


def leans_on_last_answer(
    follow_ups: FollowUps,
    intent: str | None,
    text: str,
    topic: str | None,
    earlier: str | None = None,
    confidence: float = 1.0,
) -> bool:
    """Whether the message is a follow-up to `topic` rather than a question of its own.

    Yes for the follow_up intent; for a "did you mean" or another topic only when the
    message is short, points back ("it", "that one", "the two") and one of the topic's
    follow-ups fits (or one of the `earlier` topic's own), so "how much does a CMA make?"
    after the externship stays a salary question. An intent read with less than
    `_UNSURE_BELOW` confidence counts as unsure, like a "did you mean".
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
    # "WES evaluation - did that last year" ticks an item, whatever the topic; not a
    # question ("and ecg? i did hundreds of them" after the exam's focus).
    if intent == MARK_DONE_INTENT and confidence >= _UNSURE_BELOW and "?" not in text:
        return False
    # A question read with confidence as another topic keeps it unless the last topic itself
    # has an answer: "how would I list those years on my resume?" two answers after the
    # credits does not reach back to them.
    if intent in follow_ups.topics and intent != topic and confidence >= _SURE:
        earlier = None
    if not _specific_rule(follow_ups, topic, text, earlier):
        return False
    # "what are the downsides?" read as out of scope: short, and the topic has an answer for it.
    unsure = intent in (FALLBACK_INTENT, OUT_OF_SCOPE_INTENT) or confidence < _UNSURE_BELOW
    said_plainly = _FILLERS.sub("", text, count=1)  # "ok and ..." continues like "and ..."
    continues = (
        len(said_plainly.split()) <= _CONTINUES_WORDS and bool(_CONTINUES.match(said_plainly))
    ) or bool(_WHAT_IF.match(text))
    # "full time then?" (not "what should I ask the admissions office then?")
    fragment = (
        len(said_plainly.split()) <= _FRAGMENT_WORDS
        and bool(_THEN_END.search(text))
        and not _ASKS_WHAT.search(text)  # "so what is the USMLE for then" asks anew
    )
    # The same topic asked again with a point the topic answers on its own ("so I don't
    # have to translate anything?" after the transcripts): that answer, not the first again.
    again = intent == topic
    why = bool(_WHY_OPEN.match(text))
    return unsure or continues or fragment or again or why or bool(_POINTS_BACK.search(text))
