"""`action_compute_timeline` with fixture trackers and a fixed today."""

import asyncio
from collections.abc import Callable
from datetime import date

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

import actions.action_timeline as module
from actions.action_timeline import ActionComputeTimeline


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(module, "today", lambda: date(2026, 11, 27))


def run(tracker: Tracker, dispatcher: CollectingDispatcher) -> tuple[str, list]:
    events = asyncio.run(ActionComputeTimeline().run(dispatcher, tracker, {}))
    [message, picture] = dispatcher.messages
    assert picture["custom"]["type"] == "plan_timeline"  # the same plan, as a picture
    return message["text"], events


def slot_values(events: list) -> dict:
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def test_certificate_from_january_2027(
    tracker_from: Callable[[str], Tracker], dispatcher: CollectingDispatcher
) -> None:
    text, events = run(tracker_from("certificate_january_2027"), dispatcher)
    assert "April 2028" in text and "January 2029" in text
    assert "full-time" in text  # the assumed default is stated
    assert "📖 From the guide" in text
    assert {"event": "slot", "name": "program_type", "value": "certificate"} in [
        {k: e[k] for k in ("event", "name", "value")} for e in events
    ]


def test_defaults_are_stated_when_nothing_was_said(
    tracker_from: Callable[[str], Tracker], dispatcher: CollectingDispatcher
) -> None:
    text, events = run(tracker_from("no_details"), dispatcher)
    assert "assumed a certificate" in text
    assert "planned from this month" in text
    # Remembered as "from now", so "and when could I be working?" needs no new start.
    assert slot_values(events)["plan_start"] == "now"


def test_remembered_program_and_pace_are_used(
    tracker_from: Callable[[str], Tracker], dispatcher: CollectingDispatcher
) -> None:
    text, _ = run(tracker_from("associate_part_time_slots"), dispatcher)
    assert "part-time" in text and "associate" in text
    assert "assumed a certificate" not in text


def test_a_past_start_is_replanned_from_now(
    tracker_from: Callable[[str], Tracker], dispatcher: CollectingDispatcher
) -> None:
    text, events = run(tracker_from("past_start"), dispatcher)
    assert "March 2020 has already passed" in text
    assert slot_values(events)["plan_start"] == "2020-03"  # as told, for the next question
    # A certificate begun in March 2020 ends 9-12 months later.
    assert "If you started in March 2020, the program would end between December 2020" in text


def test_an_internal_error_still_answers(
    tracker_from: Callable[[str], Tracker],
    dispatcher: CollectingDispatcher,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(module, "compute_plan", broken)
    asyncio.run(ActionComputeTimeline().run(dispatcher, tracker_from("no_details"), {}))
    assert dispatcher.messages[0]["response"] == "utter_timeline_unavailable"


def test_a_change_without_any_plan_is_not_guessed(
    tracker_from: Callable[[str], Tracker], dispatcher: CollectingDispatcher
) -> None:
    events = asyncio.run(
        ActionComputeTimeline().run(dispatcher, tracker_from("change_without_plan"), {})
    )
    assert dispatcher.messages[0]["response"] == "utter_no_plan_to_change"
    assert events == []


def on_channel(tracker: Tracker, channel: str) -> Tracker:
    """The tracker as if the user's last message came in on `channel`."""
    tracker.events = [{"event": "user", "text": "plan", "input_channel": channel}]
    return tracker


@pytest.mark.parametrize(
    ("channel", "expected"),
    [
        (
            "socketio",
            "📅 [Add to calendar](http://localhost:5005/webhooks/calendar/plan.ics?token=",
        ),
        ("rest", "📅 Add these milestones to your calendar: http://localhost:5005/webhooks/"),
        ("slack", None),  # the picture carries an "Add to calendar" button instead
        ("telegram", None),
    ],
)
def test_the_plan_comes_with_its_picture_and_a_calendar_link(
    tracker_from: Callable[[str], Tracker],
    dispatcher: CollectingDispatcher,
    monkeypatch: pytest.MonkeyPatch,
    channel: str,
    expected: str | None,
) -> None:
    monkeypatch.setenv("CALENDAR_LINK_SECRET", "test-secret")
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    tracker = on_channel(tracker_from("certificate_january_2027"), channel)
    asyncio.run(ActionComputeTimeline().run(dispatcher, tracker, {}))
    [message, picture] = dispatcher.messages
    text, payload = message["text"], picture["custom"]
    calendar = [line for line in text.splitlines() if line.startswith("📅")]
    if expected is None:
        assert calendar == []
    else:
        assert [line[: len(expected)] for line in calendar] == [expected]
    assert payload["calendar_url"].startswith("http://localhost:5005/webhooks/calendar/plan.ics?")
    # Drawn from the numbers the text states.
    for number, phase in enumerate(payload["phases"], 1):
        assert f"{number}. {phase['name']}: {phase['when']}" in text
    assert payload["working"] in text
    assert payload["today"] == "2026-11"


def _failing_plan(text: str):
    def plan(*_args: object) -> list:
        raise ValueError(f"could not read {text!r}")  # an error that quotes the message

    return plan


@pytest.mark.parametrize("opt_in", ["", "1"])
def test_a_failure_logs_the_users_text_only_with_log_user_text(
    tracker_from: Callable[[str], Tracker],
    dispatcher: CollectingDispatcher,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    opt_in: str,
) -> None:
    tracker = tracker_from("no_details")
    marker = "MARKER-7f3a9c"
    tracker.latest_message = {**tracker.latest_message, "text": f"when can i work {marker}"}
    monkeypatch.setenv("LOG_USER_TEXT", opt_in)
    monkeypatch.setattr(ActionComputeTimeline, "_plan", _failing_plan(marker))
    caplog.set_level("DEBUG")
    asyncio.run(ActionComputeTimeline().run(dispatcher, tracker, {}))
    assert dispatcher.messages == [
        {**dispatcher.messages[0], "response": "utter_timeline_unavailable"}
    ]
    assert "timeline failed" in caplog.text
    assert (marker in caplog.text) == (opt_in == "1")
