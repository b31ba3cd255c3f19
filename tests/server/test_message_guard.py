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
