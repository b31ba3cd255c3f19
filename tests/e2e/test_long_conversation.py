"""A conversation longer than SESSION_MAX_EVENTS rolls into new sessions and forgets nothing."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.test_rest_conversation import say, tracker
from tools.dev import scaleout, stack
from tools.dev.train_if_needed import model_path

QUESTIONS = ["what does a cma do", "how is the cma exam structured", "what is an externship"]


@pytest.fixture(scope="module")
def short_sessions_bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[stack.Stack]:
    home: Path = tmp_path_factory.mktemp("long")
    action_port = scaleout.free_port()
    stack.write_endpoints(home / "endpoints.yml", action_port, home / "tracker.db")
    bot = stack.start(
        model_path(),
        token="long-conversation-token",
        rasa_port=scaleout.free_port(),
        action_port=action_port,
        endpoints=home / "endpoints.yml",
        log_dir=home / "logs",
        extra_env={"SESSION_MAX_EVENTS": "20"},
    )
    try:
        stack.wait_ready(bot, progress=False)
        yield bot
    finally:
        bot.stop()


def test_plan_and_progress_survive_many_session_rollovers(short_sessions_bot: stack.Stack) -> None:
    bot, sender = short_sessions_bot, f"e2e-long-{uuid.uuid4().hex[:6]}"
    text, _ = say(bot, sender, "when will i finish if i start")
    assert "When do you plan to start" in text
    # Many events pass while the form waits: it is never cut off mid-way.
    for question in QUESTIONS * 2:
        assert "From the guide" in say(bot, sender, question)[0]
    text, _ = say(bot, sender, "march 2027")
    assert "June 2028" in text and "March 2029" in text
    say(bot, sender, "I already have my WES evaluation")
    for question in QUESTIONS * 4:
        assert "From the guide" in say(bot, sender, question)[0]

    events = tracker(bot, sender)["events"]
    assert sum(e["event"] == "session_started" for e in events) >= 3
    # Slots carried over every rollover: the plan inputs and the checklist progress.
    text, _ = say(bot, sender, "what if I do the associate degree instead")
    assert "March 2029" in text and "March 2030" in text
    text, _ = say(bot, sender, "show my progress")
    assert "Documents to gather (1 of 4 done)" in text
