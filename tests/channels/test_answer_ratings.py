"""Which bot messages can be rated, and what a rating records (channels/answer_ratings.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from channels.answer_ratings import (
    BAD_RATING,
    RECORDED,
    SLOT,
    UNCHANGED,
    UNKNOWN_ANSWER,
    answer_id,
    parse_answer_id,
    parse_rating,
    rating_record,
)

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "ratings" / "conversation.json"
EXTERNSHIP, SALARY, PLAN, CRISIS = (
    "1764300010.123456",
    "1764300020.654321",
    "1764300030.5",
    "1764300040.2",
)


@pytest.fixture
def events() -> list[dict]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def _rated(record: dict, rating: str = "unhelpful") -> dict:
    return {
        "event": "slot",
        "timestamp": 1764300050.0,
        "name": SLOT,
        "value": record | {"rating": rating},
    }


def test_answers_with_a_guide_part_get_an_id_others_none() -> None:
    answer = {"text": 'Unpaid.\n📖 From the guide: "Step 3"', "timestamp": 1764300010.123456}
    assert answer_id(answer) == EXTERNSHIP
    assert answer_id({"text": "Hello!", "timestamp": 1.0, "utter_action": "utter_greet"}) is None
    assert answer_id({"text": "Did you mean...?", "timestamp": 1.0}) is None
    assert answer_id({"text": None, "timestamp": 1.0}) is None
    assert answer_id({"text": "📖 From the guide", "timestamp": None}) is None
    assert answer_id({"text": "📖 From the guide", "timestamp": True}) is None


@pytest.mark.parametrize("reply", ["utter_medical_emergency", "utter_self_harm"])
def test_safety_replies_never_ask_for_a_rating_even_with_a_source(reply: str) -> None:
    message = {"text": "Call 911. 📖 From the guide", "timestamp": 2.0, "utter_action": reply}
    assert answer_id(message) is None


def test_every_real_answer_in_the_domain_names_its_guide_part_and_safety_replies_do_not() -> None:
    import yaml

    domain = Path(__file__).resolve().parent.parent.parent / "domain.yml"
    responses = yaml.safe_load(domain.read_text(encoding="utf-8"))["responses"]

    def rateable(name: str) -> bool:
        texts = [v.get("text", "") for v in responses[name]]
        return all(answer_id({"text": t, "timestamp": 1.0, "utter_action": name}) for t in texts)

    assert rateable("utter_salary") and rateable("utter_externship")
    assert rateable("utter_fu_externship_paid")
    for name in ("utter_greet", "utter_did_you_mean", "utter_out_of_scope", "utter_self_harm"):
        assert not rateable(name), name
    assert not rateable("utter_medical_emergency") and not rateable("utter_ask_plan_start")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("helpful", "helpful"), (" Unhelpful ", "unhelpful"), ("meh", None), (1, None), (None, None)],
)
def test_parse_rating(value: object, expected: str | None) -> None:
    assert parse_rating(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1764300010.123456", EXTERNSHIP),
        (1764300010.123456, EXTERNSHIP),
        ("1764300030.50", PLAN),
        ("nan", None),
        ("inf", None),
        (float("nan"), None),
        ("", None),
        ("x" * 100, None),
        ("1764300010.1; DROP TABLE events", None),
        (True, None),
        ({"id": 1}, None),
    ],
)
def test_parse_answer_id(value: object, expected: str | None) -> None:
    assert parse_answer_id(value) == expected


def test_a_rating_records_the_answer_and_the_question_it_answered(events: list[dict]) -> None:
    outcome = rating_record(events, SALARY, "unhelpful", "socketio")
    assert outcome.status == RECORDED
    assert outcome.record == {
        "rating": "unhelpful",
        "answer_id": SALARY,
        "response": "utter_salary",
        "question": "is it paid at least?",
        "intent": "salary",
        "confidence": 0.91,
        "channel": "socketio",
    }


def test_an_answer_from_an_action_is_named_by_the_action(events: list[dict]) -> None:
    outcome = rating_record(events, PLAN, "helpful", "slack")
    assert outcome.record["response"] == "action_timeline"
    assert outcome.record["question"] == "how long until I can work"


def test_a_late_rating_still_points_to_its_own_answer(events: list[dict]) -> None:
    outcome = rating_record(events, EXTERNSHIP, "helpful", "telegram")
    assert outcome.record["question"] == "what is an externship"
    assert outcome.record["response"] == "utter_externship"


def test_the_same_rating_twice_is_stored_once_and_a_change_of_mind_replaces_it(
    events: list[dict],
) -> None:
    first = rating_record(events, SALARY, "unhelpful", "socketio")
    events.append(_rated(first.record))
    assert rating_record(events, SALARY, "unhelpful", "socketio").status == UNCHANGED
    changed = rating_record(events, SALARY, "helpful", "socketio")
    assert changed.status == RECORDED and changed.record["rating"] == "helpful"
    # Another answer's rating does not count as a duplicate of this one.
    assert rating_record(events, EXTERNSHIP, "unhelpful", "socketio").status == RECORDED


@pytest.mark.parametrize(
    ("answer", "rating", "status"),
    [
        ("1764300001.2", "helpful", UNKNOWN_ANSWER),  # the greeting: not an answer
        (CRISIS, "unhelpful", UNKNOWN_ANSWER),  # the crisis reply: never rated
        ("1234.5", "helpful", UNKNOWN_ANSWER),  # no such message
        ("not-an-id", "helpful", UNKNOWN_ANSWER),
        (SALARY, "great", BAD_RATING),
        (SALARY, None, BAD_RATING),
    ],
)
def test_bad_ratings_are_refused_with_a_reason(
    events: list[dict], answer: str, rating: object, status: str
) -> None:
    outcome = rating_record(events, answer, rating, "socketio")
    assert outcome.status == status and outcome.record == {}


def test_no_events_no_answer() -> None:
    assert rating_record([], SALARY, "helpful", "slack").status == UNKNOWN_ANSWER
