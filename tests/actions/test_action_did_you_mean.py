"""The "did you mean...?" step of the two-stage fallback."""

import asyncio
from collections.abc import Callable

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.action_did_you_mean import ActionDefaultAskAffirmation


def run(tracker: Tracker, dispatcher: CollectingDispatcher) -> list:
    return asyncio.run(ActionDefaultAskAffirmation().run(dispatcher, tracker, {}))


def test_offers_the_two_likeliest_guide_topics(
    tracker_from: Callable[[str], Tracker], dispatcher: CollectingDispatcher
) -> None:
    run(tracker_from("uncertain_ranking"), dispatcher)
    [message] = dispatcher.messages
    assert message["response"] == "utter_did_you_mean"
    payloads = [b["payload"] for b in message["buttons"]]
    # greet ranks above school_questions but small talk is never offered.
    assert payloads == ["/externship", "/school_questions", "/out_of_scope"]
    assert message["buttons"][0]["title"] == "The externship"


def test_declines_when_the_likeliest_reading_is_out_of_scope(
    tracker_from: Callable[[str], Tracker], dispatcher: CollectingDispatcher
) -> None:
    run(tracker_from("uncertain_off_topic"), dispatcher)
    [message] = dispatcher.messages
    assert message["response"] == "utter_out_of_scope"
    assert not message["buttons"]
