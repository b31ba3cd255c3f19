"""Checklist actions with fixture trackers."""

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.action_checklists import (
    ActionMarkItemDone,
    ActionNextItem,
    ActionShowChecklist,
    ActionShowProgress,
)


def tracker(
    text: str, slots: dict[str, Any] | None = None, entities: list | None = None
) -> Tracker:
    return Tracker(
        sender_id="checklist-user",
        slots={"checklist_done": [], "active_checklist": None, **(slots or {})},
        latest_message={"text": text, "intent": {"name": "x"}, "entities": entities or []},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run(action: Action, state: Tracker) -> tuple[list[dict], dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, state, {}))
    return dispatcher.messages, {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def test_show_names_the_list_with_status_buttons_and_source() -> None:
    [message], slots = run(ActionShowChecklist(), tracker("documents checklist please"))
    assert message["text"].startswith("Documents to gather (0 of 4 done):")
    assert "📖 From the guide:" in message["text"]
    assert message["buttons"][0]["payload"] == (
        '/mark_item_done{"checklist_item":"documents.official_transcripts"}'
    )
    assert slots == {"active_checklist": "documents"}


def test_show_without_a_name_offers_the_lists() -> None:
    [message], _ = run(ActionShowChecklist(), tracker("a checklist"))
    assert len(message["buttons"]) == 4


def test_marking_by_phrase_stores_progress_and_says_what_is_next() -> None:
    [message], slots = run(ActionMarkItemDone(), tracker("I already have my WES evaluation"))
    assert slots["checklist_done"] == ["documents.course_evaluation"]
    assert "Next: Request official, detailed transcripts" in message["text"]


def test_marking_by_button_entity_keeps_earlier_progress() -> None:
    state = tracker(
        "/mark_item_done",
        slots={"checklist_done": ["documents.course_evaluation"]},
        entities=[{"entity": "checklist_item", "value": "job_search.resume_section"}],
    )
    _, slots = run(ActionMarkItemDone(), state)
    assert slots["checklist_done"] == ["documents.course_evaluation", "job_search.resume_section"]


def test_an_unknown_item_asks_which_one() -> None:
    [message], slots = run(
        ActionMarkItemDone(), tracker("done with that thing", {"active_checklist": "exam_prep"})
    )
    assert "Which item" in message["text"] and message["buttons"]
    assert slots == {}


def test_next_and_progress_follow_the_stored_slot() -> None:
    done = ["documents.official_transcripts", "documents.certified_translation"]
    [message], _ = run(ActionNextItem(), tracker("what's next", {"checklist_done": done}))
    assert "Order several copies" in message["text"]
    [message], _ = run(ActionShowProgress(), tracker("progress", {"checklist_done": done}))
    assert message["text"].startswith("Your progress: 2 of 22 items done.")
