"""The honest English-only reply to a message in another language, with topic buttons."""

import asyncio

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.action_other_language import (
    DEFAULT_TOPICS,
    MAX_BUTTONS,
    ActionOtherLanguage,
    other_language_buttons,
)


def tracker(ranking: list[dict]) -> Tracker:
    latest = {"text": "x", "intent": ranking[0] if ranking else {}, "intent_ranking": ranking}
    return Tracker("u", {}, latest, [], False, None, {}, "action_listen")


def run(ranking: list[dict]) -> dict:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionOtherLanguage().run(dispatcher, tracker(ranking), {}))
    assert events == []
    [message] = dispatcher.messages
    return message


def test_the_likeliest_topics_come_first_then_the_usual_ones() -> None:
    message = run(
        [
            {"name": "other_language", "confidence": 1.0},
            {"name": "timeline", "confidence": 0.48},
            {"name": "certificate_vs_associate", "confidence": 0.26},
            {"name": "greet", "confidence": 0.1},
        ]
    )
    assert message["response"] == "utter_other_language"
    payloads = [b["payload"] for b in message["buttons"]]
    assert payloads == ["/timeline", "/certificate_vs_associate", "/what_is_cma", "/img_value"]
    assert all(b["title"] for b in message["buttons"])


def test_a_decline_first_in_the_ranking_still_gets_topic_buttons() -> None:
    buttons = other_language_buttons(
        [
            {"name": "other_language", "confidence": 1.0},
            {"name": "immigration_legal", "confidence": 0.46},
            {"name": "salary", "confidence": 0.16},
        ]
    )
    payloads = [b["payload"] for b in buttons]
    assert payloads[0] == "/salary"
    assert "/immigration_legal" not in payloads and len(payloads) == MAX_BUTTONS


def test_without_a_ranking_the_usual_topics_are_offered() -> None:
    message = run([])
    assert [b["payload"] for b in message["buttons"]] == [f"/{t}" for t in DEFAULT_TOPICS]
