"""FollowUpPolicy on fixture trackers: a typed answer to "Which checklist would you like?"."""

from typing import Any

import pytest
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from components.follow_up_policy import MARK_DONE, SHOW_CHECKLIST, FollowUpPolicy

WHICH = "Which checklist would you like?"


def said(text: str, intent: str, confidence: float = 1.0) -> UserUttered:
    return UserUttered(text, {"name": intent, "confidence": confidence})


def tracker(*events: Any) -> DialogueStateTracker:
    return DialogueStateTracker.from_events(
        "policy-user", [ActionExecuted("action_listen"), *events]
    )


@pytest.fixture
def chooser() -> FollowUpPolicy:
    from actions.core.checklists import load_checklists
    from actions.core.follow_ups import load_follow_ups
    from actions.paths import CONTENT_DIR

    chosen = FollowUpPolicy.__new__(FollowUpPolicy)  # the rules alone, no model storage
    chosen.follow_ups = load_follow_ups(CONTENT_DIR / "follow_ups.yml")
    chosen.checklists = load_checklists(CONTENT_DIR / "checklists.yml")
    return chosen


def asked_which(reply: UserUttered) -> DialogueStateTracker:
    return tracker(
        said("checklist", "show_checklist"),
        ActionExecuted(SHOW_CHECKLIST),
        BotUttered(WHICH),
        ActionExecuted("action_listen"),
        reply,
    )


@pytest.mark.parametrize("reply", ["docs", "the exam one", "job search pls"])
def test_a_list_named_after_the_which_question_shows_it(
    chooser: FollowUpPolicy, reply: str
) -> None:
    assert chooser._choose(asked_which(said(reply, "nlu_fallback", 0.4))) == SHOW_CHECKLIST


def test_the_policy_listens_once_the_list_is_shown(chooser: FollowUpPolicy) -> None:
    shown = asked_which(said("docs", "nlu_fallback", 0.4))
    shown.update(ActionExecuted(SHOW_CHECKLIST))
    shown.update(SlotSet("active_checklist", "documents"))
    assert chooser._choose(shown) == "action_listen"


def test_a_list_already_shown_is_not_asked_for_again(chooser: FollowUpPolicy) -> None:
    shown = tracker(
        said("documents checklist", "show_checklist"),
        ActionExecuted(SHOW_CHECKLIST),
        SlotSet("active_checklist", "documents"),
        ActionExecuted("action_listen"),
        said("docs", "nlu_fallback", 0.4),
    )
    assert chooser._choose(shown) != SHOW_CHECKLIST


@pytest.mark.parametrize(
    ("reply", "intent", "confidence"),
    [
        ("docs", "self_harm", 1.0),  # safety first, always
        ("how long does the exam take", "exam_format", 0.95),  # a question of its own
        ("hello there", "nlu_fallback", 0.4),  # names no list
        ("what documents do i need to gather first", "nlu_fallback", 0.4),  # not short
    ],
)
def test_other_replies_after_the_which_question_are_not_a_choice(
    chooser: FollowUpPolicy, reply: str, intent: str, confidence: float
) -> None:
    assert chooser._choose(asked_which(said(reply, intent, confidence))) != SHOW_CHECKLIST


def after_the_list(reply: UserUttered, active: str = "choosing_program") -> DialogueStateTracker:
    return tracker(
        said("checklist for choosing a program", "show_checklist"),
        SlotSet("last_topic", "checklist"),
        ActionExecuted(SHOW_CHECKLIST),
        SlotSet("active_checklist", active),
        ActionExecuted("action_listen"),
        reply,
    )


@pytest.mark.parametrize(
    ("reply", "intent", "confidence"),
    [
        ("verified: my two favourite colleges are ABHES accredited", "find_programs", 0.6),
        ("cost and format: compared both", "nlu_fallback", 0.4),
    ],
)
def test_an_item_of_the_list_just_shown_said_done_is_ticked(
    chooser: FollowUpPolicy, reply: str, intent: str, confidence: float
) -> None:
    assert chooser._choose(after_the_list(said(reply, intent, confidence))) == MARK_DONE


@pytest.mark.parametrize(
    ("reply", "intent", "confidence", "active"),
    [
        ("how do I know a college is ABHES accredited?", "find_programs", 0.6, "choosing_program"),
        ("the colleges I like are ABHES accredited", "find_programs", 0.95, "choosing_program"),
        ("my transcripts are translated now", "nlu_fallback", 0.4, "choosing_program"),
        ("I want to die, the colleges are all full", "self_harm", 1.0, "choosing_program"),
    ],
)
def test_questions_sure_topics_and_other_lists_items_are_not_ticked_here(
    chooser: FollowUpPolicy, reply: str, intent: str, confidence: float, active: str
) -> None:
    assert chooser._choose(after_the_list(said(reply, intent, confidence), active)) != MARK_DONE


def documents_shown(reply: UserUttered) -> DialogueStateTracker:
    return tracker(
        said("documents checklist", "show_checklist"),
        ActionExecuted(SHOW_CHECKLIST),
        SlotSet("active_checklist", "documents"),
        ActionExecuted("action_listen"),
        reply,
    )


@pytest.mark.parametrize(
    ("reply", "intent", "confidence"),
    [
        ("ok now give me the one for the exam", "mark_item_done", 0.7),
        ("and the checklist for the job search?", "nlu_fallback", 0.4),
    ],
)
def test_another_list_asked_by_its_topic_is_shown(
    chooser: FollowUpPolicy, reply: str, intent: str, confidence: float
) -> None:
    assert chooser._choose(documents_shown(said(reply, intent, confidence))) == SHOW_CHECKLIST


@pytest.mark.parametrize(
    ("reply", "intent"),
    [
        ("give me the one for the exam, i want to die", "self_harm"),  # safety first
        ("the checklist for documents again", "show_checklist"),  # the same list
        ("give me the one for the exam and tell me how long the exam takes", "exam_format"),
    ],
)
def test_other_requests_with_a_list_shown_are_not_another_list(
    chooser: FollowUpPolicy, reply: str, intent: str
) -> None:
    assert chooser._choose(documents_shown(said(reply, intent, 0.9))) != SHOW_CHECKLIST


def test_an_item_of_the_list_said_done_is_ticked_though_read_as_a_topic(
    chooser: FollowUpPolicy,
) -> None:
    shown = tracker(
        said("job search checklist", "show_checklist"),
        ActionExecuted(SHOW_CHECKLIST),
        SlotSet("active_checklist", "job_search"),
        SlotSet("last_topic", "checklist"),
        ActionExecuted("action_listen"),
        said(
            "I've rehearsed my interview answers with my cousin many times", "interview_tips", 0.95
        ),
    )
    assert chooser._choose(shown) == MARK_DONE
