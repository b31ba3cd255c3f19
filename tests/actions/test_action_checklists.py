"""Checklist actions with fixture trackers."""

import asyncio
import re
from typing import Any

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.action_checklists import (
    ActionMarkItemDone,
    ActionNextItem,
    ActionShowChecklist,
    ActionShowProgress,
)
from tests.conftest import ROOT


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


def test_translated_transcripts_tick_the_translation_not_the_transcripts() -> None:
    [message], slots = run(
        ActionMarkItemDone(),
        tracker(
            "i already have my transcripts translated into english",
            {"active_checklist": "documents"},
        ),
    )
    assert slots["checklist_done"] == ["documents.certified_translation"]
    assert "Marked as done: Get them translated" in message["text"]
    assert "Next: Request official, detailed transcripts" in message["text"]
    assert message["buttons"][0]["payload"] == (
        '/mark_item_done{"checklist_item":"documents.official_transcripts"}'
    )


def test_a_typo_still_ticks_the_item() -> None:
    _, slots = run(ActionMarkItemDone(), tracker("got the tranlsation back"))
    assert slots["checklist_done"] == ["documents.certified_translation"]


def test_equally_likely_items_get_which_one_buttons_and_tick_nothing() -> None:
    [message], slots = run(
        ActionMarkItemDone(),
        tracker("I'm done with the externship", {"checklist_done": ["documents.extra_copies"]}),
    )
    # Nothing ticked; the list the question is about becomes the active one.
    assert slots == {"active_checklist": "choosing_program"}
    assert message["text"].startswith("Which one did you finish?")
    assert "Look hard at the quality" in message["text"]
    assert "Ask for examples of the externship sites" in message["text"]
    assert [b["payload"] for b in message["buttons"]] == [
        '/mark_item_done{"checklist_item":"choosing_program.externship_quality"}',
        '/mark_item_done{"checklist_item":"choosing_program.ask_externship_sites"}',
    ]
    assert [b["title"] for b in message["buttons"]] == [
        "Done: Externship quality",
        "Done: Ask: externship sites",
    ]


def test_the_which_one_buttons_are_allowed_payloads() -> None:
    allowed = yaml.safe_load(
        (ROOT / "data" / "security" / "allowed_payloads.yml").read_text(encoding="utf-8")
    )
    pattern = allowed["with_entities"]["mark_item_done"]["checklist_item"]
    [message], _ = run(ActionMarkItemDone(), tracker("I've asked admissions"))
    assert len(message["buttons"]) == 3
    for button in message["buttons"]:
        key = re.fullmatch(r'/mark_item_done\{"checklist_item":"(.+)"\}', button["payload"])
        assert key and re.fullmatch(pattern, key[1]), button


def test_tapping_a_which_one_button_ticks_that_item() -> None:
    state = tracker(
        '/mark_item_done{"checklist_item":"choosing_program.ask_externship_sites"}',
        entities=[{"entity": "checklist_item", "value": "choosing_program.ask_externship_sites"}],
    )
    _, slots = run(ActionMarkItemDone(), state)
    assert slots == {
        "checklist_done": ["choosing_program.ask_externship_sites"],
        "active_checklist": "choosing_program",
    }


def test_a_worry_ticks_nothing_and_says_so() -> None:
    for text in ["I'm scared of the multiple choice format", "what is the format"]:
        [message], slots = run(
            ActionMarkItemDone(), tracker(text, {"active_checklist": "choosing_program"})
        )
        assert slots == {}, text
        assert "haven't ticked anything" in message["text"]
        assert "Well done" not in message["text"]
        assert [b["payload"] for b in message["buttons"]] == ["/show_progress"]


def test_a_plan_ticks_nothing_but_offers_the_item_it_names() -> None:
    [message], slots = run(ActionMarkItemDone(), tracker("I need to get my transcripts translated"))
    assert slots == {}
    assert "haven't ticked anything" in message["text"]
    assert message["buttons"][0]["payload"] == (
        '/mark_item_done{"checklist_item":"documents.certified_translation"}'
    )


def test_next_item_ticks_an_item_told_in_the_same_message_first() -> None:
    state = tracker(
        "translation is also done. whats next?",
        {"checklist_done": ["documents.official_transcripts"], "active_checklist": "documents"},
    )
    [message], slots = run(ActionNextItem(), state)
    assert "Marked as done: Get them translated" in message["text"]
    assert "documents.certified_translation" in slots["checklist_done"]


def test_what_is_left_lists_every_open_item_of_the_active_list() -> None:
    state = tracker(
        "what else remains",
        {"checklist_done": ["documents.official_transcripts"], "active_checklist": "documents"},
    )
    [message], _ = run(ActionNextItem(), state)
    assert message["text"].startswith("Still open on your documents to gather list:")
    assert message["text"].count("⬜") == 3
    assert "official, detailed transcripts" not in message["text"]


def test_what_is_next_names_the_next_item_and_the_one_after() -> None:
    [message], _ = run(ActionNextItem(), tracker("ok and now?", {"active_checklist": "documents"}))
    first, after = message["text"].split("\n")
    assert first.startswith("Next on your documents to gather list: Request official")
    assert after.startswith("After that: ") and "translat" in after
    assert "⬜" not in message["text"]


def test_the_last_open_item_has_nothing_after_it() -> None:
    done = [
        "documents.official_transcripts",
        "documents.certified_translation",
        "documents.extra_copies",
    ]
    state = tracker("next?", {"checklist_done": done, "active_checklist": "documents"})
    [message], _ = run(ActionNextItem(), state)
    assert "After that" not in message["text"]


def test_several_items_of_one_list_said_done_are_all_ticked() -> None:
    [message], slots = run(
        ActionMarkItemDone(), tracker("I've already compared the costs and hybrid vs on campus")
    )
    assert slots["checklist_done"] == [
        "choosing_program.program_cost",
        "choosing_program.program_format",
    ]
    assert slots["active_checklist"] == "choosing_program"
    assert "Compare what each program costs." in message["text"]
    assert "on-campus or hybrid" in message["text"]


def test_a_finished_program_marks_its_stage_and_points_to_the_exam() -> None:
    text = "Last month I finished an accredited MA certificate program in Houston. What now?"
    [message], slots = run(ActionMarkItemDone(), tracker(text))
    assert {key.split(".")[0] for key in slots["checklist_done"]} == {
        "documents",
        "choosing_program",
    }
    assert "Next, on your CMA (AAMA) exam prep list:" in message["text"]
    assert slots["active_checklist"] == "exam_prep"


def test_what_next_after_passing_the_exam_points_to_the_job_search() -> None:
    [message], slots = run(ActionNextItem(), tracker("I passed the CMA exam, what's next?"))
    assert "Next, on your Job search list:" in message["text"]
    assert "exam_prep.administrative" in slots["checklist_done"]
