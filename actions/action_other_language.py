"""The honest reply to a message in another language that the NLU was unsure of."""

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.core.topics import candidate_topics, load_topic_titles
from actions.paths import CONTENT_DIR

TOPIC_TITLES = load_topic_titles(CONTENT_DIR / "topics.yml")
# Offered after the likeliest topics, so there are always a few to tap.
DEFAULT_TOPICS = ("what_is_cma", "img_value", "timeline", "salary")
MAX_BUTTONS = 4


def other_language_buttons(ranking: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The NLU's likeliest guide topics first (never a decline), then the usual ones."""
    likely = candidate_topics(ranking, TOPIC_TITLES, decline_intents=(), limit=2)
    topics = list(dict.fromkeys([*likely, *(t for t in DEFAULT_TOPICS if t in TOPIC_TITLES)]))
    return [{"title": TOPIC_TITLES[t], "payload": f"/{t}"} for t in topics[:MAX_BUTTONS]]


class ActionOtherLanguage(Action):
    """Says the assistant answers in English only, with topic buttons to tap."""

    def name(self) -> str:
        """The action's name in domain.yml."""
        return "action_other_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """One message: utter_other_language with the buttons."""
        ranking = tracker.latest_message.get("intent_ranking") or []
        dispatcher.utter_message(
            response="utter_other_language", buttons=other_language_buttons(ranking)
        )
        return []
