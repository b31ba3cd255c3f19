"""server/message_guard.py in process, on a Rasa Agent that has no model loaded."""

from __future__ import annotations

import asyncio

import pytest
from rasa.core.agent import Agent
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.tracker_store import FailSafeTrackerStore

from server import message_guard
from server.payload_allowlist import load_allowlist
from server.replies import load_replies
from server.settings import Settings


@pytest.fixture()
def guarded(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Install the guard for this test only: monkeypatch puts Rasa's own methods back."""
    monkeypatch.setattr(Agent, "handle_message", Agent.handle_message)
    monkeypatch.setattr(
        FailSafeTrackerStore, "on_tracker_store_error", FailSafeTrackerStore.on_tracker_store_error
    )
    replies = load_replies()
    message_guard.install(Settings(), load_allowlist(), replies)
    return replies


def test_a_bot_without_a_model_says_so_instead_of_nothing(
    guarded: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    agent = Agent()  # what the server holds when the model could not be loaded
    assert not agent.is_ready()
    out = CollectingOutputChannel()

    asyncio.run(agent.handle_message(UserMessage("hello from Quxville", out, sender_id="u1")))

    assert [m["text"] for m in out.messages] == [guarded["not_loaded"]]
    assert "No model is loaded" in caplog.text
    assert "Quxville" not in caplog.text  # users' words stay out of the log


class _StubProcessor:
    """Parses every message as `parse_data` and answers it with one text."""

    def __init__(self, parse_data: dict) -> None:
        self.parse_data = parse_data
        self.seen: list[dict | None] = []

    async def parse_message(self, message: UserMessage) -> dict:
        return {**self.parse_data, "text": message.text}

    async def handle_message(self, message: UserMessage) -> list:
        self.seen.append(message.parse_data)
        await message.output_channel.send_text_message(message.sender_id, "the answer")
        return message.output_channel.messages


def _ask(monkeypatch: pytest.MonkeyPatch, text: str, parse_data: dict) -> tuple[list, list]:
    monkeypatch.setattr(Agent, "is_ready", lambda self: True)
    agent = Agent()
    agent.processor = _StubProcessor(parse_data)  # type: ignore[assignment]
    out = CollectingOutputChannel()
    asyncio.run(agent.handle_message(UserMessage(text, out, sender_id="lang")))
    return [m["text"] for m in out.messages], agent.processor.seen  # type: ignore[union-attr]


SPANISH = {"code": "es", "name": "Spanish", "english": False, "by": "words"}


def test_an_understood_message_in_another_language_gets_the_note_first(
    guarded: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    parse = {"intent": {"name": "salary", "confidence": 0.9}, "language": dict(SPANISH)}
    texts, seen = _ask(monkeypatch, "¿Cuánto gana?", parse)
    assert texts == [guarded["english_only"], "the answer"]
    assert seen[0]["language"]["note"] is True, "the tracker's parse data shows the note"
    assert guarded["english_only"].startswith("I can only answer in English")


@pytest.mark.parametrize(
    "parse",
    [
        {"intent": {"name": "salary", "confidence": 0.9}, "language": {"english": True}},
        {"intent": {"name": "other_language", "confidence": 1.0}, "language": dict(SPANISH)},
        {"intent": {"name": "medical_emergency", "confidence": 1.0}, "language": dict(SPANISH)},
        {"intent": {"name": "self_harm", "confidence": 1.0}, "language": dict(SPANISH)},
        {"intent": {"name": "salary", "confidence": 0.9}},
    ],
)
def test_no_note_for_english_the_honest_reply_or_safety(
    guarded: dict[str, str], monkeypatch: pytest.MonkeyPatch, parse: dict
) -> None:
    texts, seen = _ask(monkeypatch, "some text", parse)
    assert texts == ["the answer"]
    assert seen[0]["intent"] == parse["intent"], "parsed once, here, and handed on"


def test_button_payloads_are_parsed_by_rasa_as_before(
    guarded: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    parse = {"intent": {"name": "salary", "confidence": 1.0}, "language": dict(SPANISH)}
    texts, seen = _ask(monkeypatch, "/salary", parse)
    assert texts == ["the answer"]
    assert seen == [None]
