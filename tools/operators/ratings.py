"""Users' verdicts for `make review`: answers rated unhelpful, with counts.

Input: the values of the `answer_rating` slot events in the tracker store (one per
thumbs up/down, channels/answer_ratings.py). A rated answer is known by its
`answer_id`; when the same answer was rated more than once (a change of mind, or the
slot carried into a new session) the latest verdict counts. Rows name the question
the answer was given to, the answer (its response or action), how often similar
questions got that answer rated unhelpful and helpful, and leave `intent` for the
operator: the same columns as the other review rows, so `make import-labels` takes
them. Answers to button presses ("/salary") are counted per answer but not listed
as questions: there are no user words to label.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from channels.answer_ratings import HELPFUL, SLOT, UNHELPFUL
from tools.operators.review import Flagged, SectionMatcher, group, guide_sections, mask

REASON = "rated unhelpful"
QUERY = (
    "SELECT data FROM events WHERE type_name = 'slot' AND action_name = 'answer_rating' ORDER BY id"
)


@dataclass(frozen=True)
class Rating:
    question: str
    response: str
    rating: str
    intent: str
    confidence: float


def latest_ratings(events: Iterable[Mapping[str, Any]]) -> list[Rating]:
    """One verdict per rated answer (the latest), from stored slot events; bad values skipped."""
    latest: dict[str, Rating] = {}
    for event in events:
        if event.get("event") != "slot" or event.get("name") != SLOT:
            continue
        value = event.get("value")
        if not isinstance(value, Mapping):
            continue
        rating, answer = value.get("rating"), value.get("answer_id")
        if rating not in (HELPFUL, UNHELPFUL) or not isinstance(answer, str):
            continue
        try:
            confidence = float(value.get("confidence") or 0.0)
        except (TypeError, ValueError):
            confidence = 0.0
        latest.pop(answer, None)  # re-insert: a changed verdict counts where it was given last
        latest[answer] = Rating(
            question=" ".join(str(value.get("question") or "").split()),
            response=str(value.get("response") or "?"),
            rating=rating,
            intent=str(value.get("intent") or ""),
            confidence=confidence,
        )
    return list(latest.values())


def answer_counts(ratings: Iterable[Rating]) -> list[tuple[str, int, int]]:
    """(answer, times rated unhelpful, times rated helpful), most unhelpful first."""
    counts: dict[str, Counter[str]] = {}
    for r in ratings:
        counts.setdefault(r.response, Counter())[r.rating] += 1
    return sorted(
        ((name, c[UNHELPFUL], c[HELPFUL]) for name, c in counts.items()),
        key=lambda row: (-row[1], row[2], row[0]),
    )


def rating_rows(ratings: Iterable[Rating], guide_text: str) -> list[dict[str, str]]:
    """One review row per answer and group of similar questions with an unhelpful verdict."""
    by_answer: dict[str, list[Flagged]] = {}
    for r in ratings:
        if not r.question or r.question.startswith("/"):
            continue
        item = Flagged(mask(r.question), r.rating, r.intent, r.confidence)
        by_answer.setdefault(r.response, []).append(item)
    matcher = SectionMatcher(guide_sections(guide_text))
    rows = []
    for response, items in by_answer.items():
        for g in group(items):
            verdicts = Counter(i.reason for i in g.items)
            if not verdicts[UNHELPFUL]:
                continue
            # The wording shown is the most frequent one among the unhelpful verdicts.
            unhelpful = Counter(i.text for i in g.items if i.reason == UNHELPFUL)
            text = unhelpful.most_common(1)[0][0]
            guess = Counter(i.best_guess for i in g.items).most_common(1)[0][0]
            rows.append(
                {
                    "text": text,
                    "count": str(verdicts[UNHELPFUL]),
                    "similar_messages": " | ".join(t for t in g.texts if t != text),
                    "reason": REASON,
                    "best_guess": guess,
                    "confidence": f"{max(i.confidence for i in g.items):.2f}",
                    "guide_section": matcher.closest(" ".join(g.texts)),
                    "answer": response,
                    "rated_unhelpful": str(verdicts[UNHELPFUL]),
                    "rated_helpful": str(verdicts[HELPFUL]),
                    "intent": "",
                }
            )
    return sorted(rows, key=lambda row: (-int(row["count"]), row["answer"], row["text"]))


def summary_lines(ratings: list[Rating]) -> list[str]:
    """What `make review` prints about the ratings."""
    if not ratings:
        return ["No answers rated yet."]
    unhelpful = sum(r.rating == UNHELPFUL for r in ratings)
    lines = [
        f"{len(ratings)} answers rated: {unhelpful} unhelpful, {len(ratings) - unhelpful} helpful."
    ]
    lines += [
        f"  {name:<34} {bad:>3} unhelpful {good:>4} helpful"
        for name, bad, good in answer_counts(ratings)
    ]
    return lines
