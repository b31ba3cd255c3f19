"""`action_answer_follow_up` with fixture trackers."""

import asyncio
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.action_follow_up import ActionAnswerFollowUp


def tracker(text: str, topic: str, slots: dict[str, Any] | None = None) -> Tracker:
    events = [
        {"event": "user", "text": "earlier question"},
        {"event": "slot", "name": "last_topic", "value": topic},
        {"event": "user", "text": text},
    ]
    return Tracker(
        sender_id="follow-up-user",
        slots={"last_topic": topic, "checklist_done": [], "story_done": [], **(slots or {})},
        latest_message={"text": text, "intent": {"name": "follow_up"}, "entities": []},
        events=events,
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def replies(state: Tracker) -> list[dict]:
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAnswerFollowUp().run(dispatcher, state, {}))
    return dispatcher.messages


def test_a_step_the_user_told_of_is_said_before_the_answer() -> None:
    told = {"story_done": ["documents.certified_translation"]}
    first, answer = replies(
        tracker("do I still have to translate them?", "transcripts_translation", told)
    )
    assert first["response"] == "utter_fu_already_translated"
    assert answer["response"] == "utter_fu_translation_needed"


def test_without_that_step_only_the_answer_is_given() -> None:
    [answer] = replies(tracker("do I still have to translate them?", "transcripts_translation"))
    assert answer["response"] == "utter_fu_translation_needed"
