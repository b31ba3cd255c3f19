"""`action_answer_follow_up`: answer "is it paid?", "why?" ... within the last topic."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.core.follow_ups import (
    TOPIC_SLOT,
    answer_follow_up,
    direct_reply,
    load_follow_ups,
    topics_before_last_message,
)
from actions.core.topics import load_topic_titles
from actions.paths import CONTENT_DIR

FOLLOW_UPS = load_follow_ups(CONTENT_DIR / "follow_ups.yml")
TITLES = load_topic_titles(CONTENT_DIR / "topics.yml")


class ActionAnswerFollowUp(Action):
    def name(self) -> str:
        return "action_answer_follow_up"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        # The message may have named another topic ("is it paid?" reads as pay);
        # the follow-up leans on the topic answered before it.
        text = tracker.latest_message.get("text") or ""
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if reply := direct_reply(FOLLOW_UPS, intent, text):
            topic = intent  # asked straight out: the topic is the question's own
        else:
            topic, earlier = topics_before_last_message(tracker.events)
            topic = topic or tracker.get_slot(TOPIC_SLOT)
            reply = answer_follow_up(FOLLOW_UPS, topic, text, earlier)
        if reply is None:
            dispatcher.utter_message(response="utter_follow_up_which_topic")
            return []
        topic = reply.topic or topic  # reached back to the topic before the last one
        if reply.missing:
            title = TITLES.get(topic, topic).rstrip("?").lower()
            dispatcher.utter_message(
                response="utter_follow_up_not_in_guide", topic=title, what=reply.missing
            )
            # The usual decline follows, with what the bot can help with: the
            # tracker shows a decline, not an answer.
            return [SlotSet(TOPIC_SLOT, topic), FollowupAction("utter_out_of_scope")]
        if reply.action:
            # Answered by an action that reads the message itself ("associates" re-plans).
            return [SlotSet(TOPIC_SLOT, topic), FollowupAction(reply.action)]
        if done := FOLLOW_UPS.already_done.get(reply.response):
            told = [
                *(tracker.get_slot("checklist_done") or []),
                *(tracker.get_slot("story_done") or []),
            ]
            if done.item in told:
                dispatcher.utter_message(response=done.note)
        dispatcher.utter_message(response=reply.response)
        moved_to = reply.response.removeprefix("utter_")
        # Answered with another topic's answer: the next follow-up leans on that one.
        return [SlotSet(TOPIC_SLOT, moved_to if moved_to in FOLLOW_UPS.topics else topic)]
