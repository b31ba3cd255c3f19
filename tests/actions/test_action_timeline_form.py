"""`validate_timeline_form`: when the form asks for a start month, and what it accepts."""

import asyncio
from datetime import date
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

import actions.action_timeline_form as module
from actions.action_timeline_form import START_NOW, UNREADABLE, ValidateTimelineForm


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(module, "today", lambda: date(2026, 11, 27))


def tracker(text: str, intent: str, requested: str | None) -> Tracker:
    return Tracker(
        sender_id="form-user",
        slots={"requested_slot": requested, "plan_start": None},
        latest_message={"text": text, "intent": {"name": intent}, "entities": []},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={"name": "timeline_form"},
        latest_action_name="action_listen",
    )


def extract(text: str, intent: str, requested: str | None) -> dict[str, Any]:
    form = ValidateTimelineForm()
    return asyncio.run(
        form.extract_plan_start(CollectingDispatcher(), tracker(text, intent, requested), {})
    )


@pytest.mark.parametrize(
    ("text", "intent", "requested", "expected"),
    [
        (
            "starting a certificate in March 2027",
            "timeline_personal",
            None,
            {"plan_start": "2027-03"},
        ),
        (
            "part time, how long will it take me",
            "timeline_personal",
            None,
            {"plan_start": START_NOW},
        ),
        ("when could i be working", "timeline_personal", None, {}),
        ("next fall", "timeline_personal", "plan_start", {"plan_start": "2027-09"}),
        ("not sure yet", "nlu_fallback", "plan_start", {"plan_start": UNREADABLE}),
        ("how much do MAs earn", "salary", "plan_start", {}),
        # Safety messages are never an answer, even with a date in them.
        ("chest pain since March 2027", "medical_emergency", "plan_start", {}),
        ("since last month i want to die", "self_harm", "plan_start", {}),
        ("chest pain since March 2027", "medical_emergency", None, {}),
    ],
)
def test_extract(text: str, intent: str, requested: str | None, expected: dict) -> None:
    assert extract(text, intent, requested) == expected


def test_an_unreadable_answer_is_asked_again_politely() -> None:
    dispatcher = CollectingDispatcher()
    result = ValidateTimelineForm().validate_plan_start(
        UNREADABLE, dispatcher, tracker("x", "nlu_fallback", "plan_start"), {}
    )
    assert result == {"plan_start": None}
    assert "month and year" in dispatcher.messages[0]["text"]


@pytest.mark.parametrize("value", ["2027-03", START_NOW])
def test_valid_values_are_kept(value: str) -> None:
    result = ValidateTimelineForm().validate_plan_start(
        value, CollectingDispatcher(), tracker("x", "timeline_personal", "plan_start"), {}
    )
    assert result == {"plan_start": value}
