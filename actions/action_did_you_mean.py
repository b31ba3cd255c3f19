"""The first stage of the two-stage fallback: "did you mean...?" with buttons."""

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.core.topics import candidate_topics, load_topic_titles
from actions.paths import CONTENT_DIR

TOPIC_TITLES = load_topic_titles(CONTENT_DIR / "topics.yml")


class ActionDefaultAskAffirmation(Action):
    """Offers the two likeliest guide topics, or declines when none is likely."""

    def name(self) -> str:
        return "action_default_ask_affirmation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        ranking = tracker.latest_message.get("intent_ranking") or []
        topics = candidate_topics(ranking, TOPIC_TITLES)
        if not topics:
            dispatcher.utter_message(response="utter_out_of_scope")
            return []
        buttons = [{"title": TOPIC_TITLES[t], "payload": f"/{t}"} for t in topics]
        # Rasa's loop treats out_of_scope as "no, none of these".
        buttons.append({"title": "Something else", "payload": "/out_of_scope"})
        dispatcher.utter_message(response="utter_did_you_mean", buttons=buttons)
        return []
