"""The gate's questions about a new topic itself: enough examples to test it, and a good score.

Pure: inputs are the topic's example count and the candidate's held-out
predictions (tools/operators/gate.py `Prediction`); the caller prints the lines.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from tools.operators.gate import Prediction, per_intent_f1
from tools.operators.writer import HOLDOUT_FROM

# Fewer examples than this leaves none to test the topic on (writer.split_examples).
MIN_TESTABLE = HOLDOUT_FROM
# A new topic's own held-out F1 below this is refused: on 3-4 held-out questions
# 0.75 means at most one missed (or one stolen), as a user would notice.
MIN_NEW_F1 = 0.75
DECLINES = {"out_of_scope", "nlu_fallback"}


def too_few_examples(count: int) -> list[str]:
    """Why a topic with `count` examples cannot be tested (empty: it can)."""
    if count >= MIN_TESTABLE:
        return []
    return [
        f"The topic has {count} examples; the gate needs at least {MIN_TESTABLE} to keep "
        "some aside and test how well the bot learnt it.",
        f"Write {MIN_TESTABLE - count} or more further ways users would ask (short ones, "
        "long ones, with typos, the words your users use), then run add-topic again.",
    ]


@dataclass
class TopicVerdict:
    ok: bool
    lines: list[str] = field(default_factory=list)


def judge_topic(
    topic: str, predictions: list[Prediction], min_f1: float = MIN_NEW_F1
) -> TopicVerdict:
    """The new topic's held-out score, where each of its questions went, what to add."""
    own = [p for p in predictions if p.gold == topic]
    taken = [p for p in predictions if p.predicted == topic and p.gold != topic]
    # A test question filed as out of scope until now is what a new topic is for: listed,
    # not counted against it (relabel it in the test file if the topic covers it).
    widened = [p for p in taken if p.gold in DECLINES]
    stolen = [p for p in taken if p.gold not in DECLINES]
    if not own:
        return TopicVerdict(
            False, [f"NEW    {topic}: no held-out questions, so it cannot be tested"]
        )
    score = per_intent_f1(own + stolen)[topic]
    lines = [
        f"NEW    {topic}: F1 {score.f1:.2f} on {len(own)} held-out questions "
        f"({sum(p.correct for p in own)} answered by the topic)"
    ]
    for p in own:
        mark = "ok  " if p.correct else "MISS"
        lines.append(f"         {mark} {p.text!r} -> `{p.predicted}`")
    for p in stolen:
        lines.append(f"         TOOK {p.text!r} (a `{p.gold}` question) -> `{topic}`")
    for p in widened:
        lines.append(
            f"         now in scope: {p.text!r} (a `{p.gold}` test question) -> `{topic}`; "
            "relabel it in the test file if the topic covers it"
        )
    ok = score.f1 >= min_f1
    if not ok:
        lines.append(f"         below the {min_f1:.2f} the gate asks of a new topic")
        went = Counter(p.predicted for p in own if not p.correct)
        for other, n in went.most_common():
            examples = [p.text for p in own if p.predicted == other]
            lines.append(
                f"         suggestion: {n} question(s) went to `{other}`; add examples worded "
                f"like {examples[0]!r} (other words, same meaning), and check the conflicts "
                f"add-topic listed with `{other}`"
            )
        if stolen:
            lines.append(
                "         suggestion: the topic also took other topics' questions; make its "
                "examples say what is special about it"
            )
    return TopicVerdict(ok, lines)
