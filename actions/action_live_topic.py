"""The answer to a topic an operator added live (intent `live_topic`, docs/live-topics.md)."""

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.core.live_answers import live_answer


class ActionAnswerLiveTopic(Action):
    """Sends the live topic's answer and buttons; a withdrawn topic gets the usual decline."""

    def name(self) -> str:
        """The action's name in domain.yml."""
        return "action_answer_live_topic"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """One message: the stored answer, or utter_out_of_scope if it is gone."""
        topic = (tracker.latest_message.get("live_topic") or {}).get("name") or ""
        answer = live_answer(str(topic))
        if answer is None:
            # Withdrawn between the NLU and this action: an honest decline, never silence.
            dispatcher.utter_message(response="utter_out_of_scope")
            return []
        dispatcher.utter_message(text=answer.text, buttons=answer.buttons)
        return []
