"""Whole conversations over the REST channel against a real, freshly started bot."""

import json
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.e2e.conftest import start_bot
from tools.dev import stack


def say(bot: stack.Stack, sender: str, text: str) -> tuple[str, list[dict]]:
    """The bot's reply texts joined, and its buttons."""
    replies = stack.ask(bot.url, sender, text)
    text_out = "\n".join(r.get("text", "") for r in replies)
    buttons = [b for r in replies for b in r.get("buttons", [])]
    return text_out, buttons


def tracker(bot: stack.Stack, sender: str) -> dict:
    url = f"{bot.url}/conversations/{sender}/tracker?token={bot.token}"
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def new_sender() -> str:
    return f"e2e-{uuid.uuid4().hex[:8]}"


def test_greeting_offers_a_topic_menu(bot: stack.Stack) -> None:
    text, buttons = say(bot, new_sender(), "hello there")
    assert "welcome" in text.lower()
    assert len(buttons) >= 5
    assert all(b["payload"].startswith("/") for b in buttons)


def test_a_guide_answer_names_its_source_and_suggests_next_questions(bot: stack.Stack) -> None:
    text, buttons = say(bot, new_sender(), "is the usmle required for becoming a medical assistant")
    assert "without having taken any USMLE step" in text
    assert '📖 From the guide: FAQ "Do I need to pass the USMLE' in text
    assert buttons


def test_a_button_payload_gets_its_answer(bot: stack.Stack) -> None:
    text, _ = say(bot, new_sender(), "/exam_format")
    assert "200 questions" in text


def test_off_topic_is_declined_with_what_it_can_do(bot: stack.Stack) -> None:
    text, _ = say(bot, new_sender(), "who won the football world cup in 2010")
    assert "can't answer" in text
    assert "I can help with" in text


def test_visa_question_gets_the_no_legal_advice_note(bot: stack.Stack) -> None:
    text, _ = say(bot, new_sender(), "can i get a green card if i work as a medical assistant")
    assert "no legal or immigration advice" in text


def test_personal_timeline_from_one_message(bot: stack.Stack) -> None:
    text, _ = say(
        bot, new_sender(), "if i begin a certificate program in june 2027 when can i work"
    )
    # June 2027 + 9..12 months program + 3..6 exam + 3..6 job search.
    assert "September 2028" in text and "June 2029" in text
    assert "What I assumed" in text


def test_unsure_question_asks_did_you_mean_then_answers_the_choice(bot: stack.Stack) -> None:
    # One-word messages are vague; at least one of these must make the bot unsure.
    for vague in ["hospital", "doctor", "degree", "papers", "job"]:
        sender = new_sender()
        text, buttons = say(bot, sender, vague)
        if "Did you mean" in text:
            break
    else:
        pytest.fail("no vague message led to a 'did you mean...?' question")
    assert len(buttons) >= 2
    assert buttons[-1]["payload"] == "/out_of_scope"
    chosen = buttons[0]
    text, _ = say(bot, sender, chosen["payload"])
    assert "📖 From the guide" in text
    user_events = [e for e in tracker(bot, sender)["events"] if e["event"] == "user"]
    assert user_events[-1]["parse_data"]["intent"]["name"] == chosen["payload"][1:]


def test_start_over_clears_the_conversation(bot: stack.Stack) -> None:
    sender = new_sender()
    say(bot, sender, "if i start an associate degree in march 2027 when would i be done")
    assert tracker(bot, sender)["slots"]["program_type"] == "associate"
    text, _ = say(bot, sender, "please restart the conversation")
    assert "start over" in text
    assert tracker(bot, sender)["slots"]["program_type"] is None


def test_conversations_survive_a_server_restart(bot: stack.Stack, bot_home: Path) -> None:
    sender = new_sender()
    say(bot, sender, "what does a cma do")
    bot.stop()
    restarted = start_bot(bot_home)
    try:
        texts = [
            e.get("text") for e in tracker(restarted, sender)["events"] if e["event"] == "user"
        ]
        assert "what does a cma do" in texts
    finally:
        restarted.stop()
    # Hand the session fixture a running bot again for any later test.
    bot.processes[:] = start_bot(bot_home).processes
