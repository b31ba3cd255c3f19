"""`make review` lists answers users rated unhelpful, with counts (tools/operators/ratings.py)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from server.tracker_store import FastSQLTrackerStore
from tests.conftest import GUIDE
from tools.dev import stack
from tools.operators.labels import read_labels
from tools.operators.ratings import (
    QUERY,
    REASON,
    answer_counts,
    latest_ratings,
    rating_rows,
    summary_lines,
)
from tools.operators.review import COLUMNS, write_csv
from tools.operators.tracker_source import stored_events

_ids = iter(range(10_000))


def verdict(
    question: str, response: str, rating: str, answer: str | None = None, **extra: object
) -> dict:
    value = {
        "rating": rating,
        "answer_id": answer or f"1764300{next(_ids)}.5",
        "response": response,
        "question": question,
        "intent": response.removeprefix("utter_"),
        "confidence": 0.9,
        "channel": "socketio",
    } | extra
    return {"event": "slot", "name": "answer_rating", "value": value}


def test_the_latest_verdict_per_answer_counts_and_bad_values_are_skipped() -> None:
    events = [
        verdict("is it paid at least?", "utter_salary", "helpful", answer="1.5"),
        verdict("is it paid at least?", "utter_salary", "unhelpful", answer="1.5"),
        # the slot carried into a new session: the same verdict again, not a second one
        verdict("is it paid at least?", "utter_salary", "unhelpful", answer="1.5"),
        {"event": "slot", "name": "answer_rating", "value": "unhelpful"},
        {"event": "slot", "name": "answer_rating", "value": {"rating": "meh", "answer_id": "2"}},
        {"event": "slot", "name": "answer_rating", "value": {"rating": "helpful"}},
        {"event": "slot", "name": "last_topic", "value": "salary"},
        {"event": "user", "text": "hello"},
        verdict("pay?", "utter_salary", "helpful", confidence="not a number"),
    ]
    ratings = latest_ratings(events)
    assert [(r.question, r.rating) for r in ratings] == [
        ("is it paid at least?", "unhelpful"),
        ("pay?", "helpful"),
    ]
    assert ratings[1].confidence == 0.0


def test_rows_list_questions_whose_answer_was_rated_unhelpful_with_counts() -> None:
    events = [
        verdict("is it paid at least?", "utter_salary", "unhelpful"),
        verdict("is it paid at least", "utter_salary", "unhelpful"),
        verdict("Is it paid, at least?", "utter_salary", "unhelpful"),
        verdict("is it paid at least?", "utter_salary", "helpful"),
        verdict("how much does a CMA earn", "utter_salary", "helpful"),
        verdict("what is an externship", "utter_externship", "unhelpful"),
        verdict("is it paid at least?", "utter_fu_externship_paid", "helpful"),
        verdict("/salary", "utter_salary", "unhelpful"),  # a button press: no words to label
    ]
    rows = rating_rows(latest_ratings(events), GUIDE.read_text(encoding="utf-8"))
    assert [(r["text"], r["answer"], r["rated_unhelpful"], r["rated_helpful"]) for r in rows] == [
        ("is it paid at least?", "utter_salary", "3", "1"),
        ("what is an externship", "utter_externship", "1", "0"),
    ]
    first = rows[0]
    assert first["reason"] == REASON and first["count"] == "3" and first["intent"] == ""
    assert first["similar_messages"] == "is it paid at least | Is it paid, at least?"
    assert first["best_guess"] == "salary"
    assert first["guide_section"]
    assert set(first) == set(COLUMNS)


def test_counts_per_answer_include_button_presses() -> None:
    events = [
        verdict("/salary", "utter_salary", "unhelpful"),
        verdict("is it paid", "utter_salary", "unhelpful"),
        verdict("pay", "utter_salary", "helpful"),
        verdict("externship?", "utter_externship", "helpful"),
    ]
    ratings = latest_ratings(events)
    assert answer_counts(ratings) == [("utter_salary", 2, 1), ("utter_externship", 0, 1)]
    lines = summary_lines(ratings)
    assert lines[0] == "4 answers rated: 2 unhelpful, 2 helpful."
    assert "utter_salary" in lines[1] and "2 unhelpful" in lines[1] and "1 helpful" in lines[1]
    assert summary_lines([]) == ["No answers rated yet."]


def test_questions_are_masked() -> None:
    events = [verdict("mail me at amira@example.com, is it paid", "utter_salary", "unhelpful")]
    rows = rating_rows(latest_ratings(events), "")
    assert rows[0]["text"] == "mail me at <email>, is it paid"


def test_import_labels_reads_the_rows_beside_the_others(tmp_path: Path) -> None:
    rated = rating_rows(
        latest_ratings([verdict("is it paid at least?", "utter_salary", "unhelpful")]), ""
    )
    rated[0]["intent"] = "follow_up"
    other = {"text": "weather in boston", "count": "2", "reason": "declined", "intent": ""}
    write_csv([other, *rated], tmp_path / "review.csv")
    assert read_labels(tmp_path / "review.csv") == [
        (2, "", ["weather in boston"]),
        (3, "follow_up", ["is it paid at least?"]),
    ]


def test_ratings_are_read_from_the_tracker_store(tmp_path: Path) -> None:
    endpoints = stack.write_endpoints(tmp_path / "endpoints.yml", 5055, tmp_path / "tracker.db")
    store = FastSQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "tracker.db"))
    value = verdict("is it paid at least?", "utter_salary", "unhelpful")["value"]
    events = [
        ActionExecuted("action_listen"),
        UserUttered("is it paid at least?"),
        SlotSet("last_topic", "salary"),
        SlotSet("answer_rating", value),
    ]
    asyncio.run(store.save(DialogueStateTracker.from_events("amira", events)))
    stored = list(stored_events(endpoints, tmp_path, QUERY))
    assert stored == [
        {"event": "slot", "timestamp": stored[0]["timestamp"]}
        | {
            "name": "answer_rating",
            "value": value,
        }
    ]
