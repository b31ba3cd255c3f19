"""Bad input over the REST channel: always a polite 2xx reply, and the chat goes on."""

import json
import uuid

import pytest

from server.replies import load_replies
from tests.e2e.helpers import post, send
from tests.e2e.test_rest_conversation import say, tracker
from tools.dev import stack

REPLIES = load_replies()
GUIDE_QUESTION = "how many questions are on the cma exam"
GUIDE_ANSWER = "200 questions"


def sender() -> str:
    return f"e2e-bad-{uuid.uuid4().hex[:8]}"


def port(bot: stack.Stack) -> int:
    return bot.rasa_port


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("", REPLIES["empty"]),
        ("   \n\t ", REPLIES["empty"]),
        (None, REPLIES["empty"]),
        ("x" * 2001, REPLIES["too_long"]),
        ("'; DROP TABLE events;--", REPLIES["not_understood"]),
        ("1' UNION SELECT sender_id FROM events --", REPLIES["not_understood"]),
        ("<script>alert('hi')</script>", REPLIES["not_understood"]),
        ("\x00\x01\x02\x7f", REPLIES["not_understood"]),
    ],
)
def test_bad_input_gets_its_polite_reply_and_the_chat_goes_on(
    bot: stack.Stack, message: object, expected: str
) -> None:
    user = sender()
    reply = send(port(bot), user, message)
    assert reply.status == 200
    assert reply.texts() == [expected]
    text, _ = say(bot, user, GUIDE_QUESTION)
    assert GUIDE_ANSWER in text


@pytest.mark.parametrize(
    "message",
    [
        "😀😀😀",
        "مرحبا، كيف أصبح مساعدًا طبيًا؟",
        "שלום",
        "\u202eevil\u202c",
        "a" * 2000,
        "<b>hello</b>",
        "I want to delete this item from my list",
        "\x1b[31mred\x1b[0m text",
    ],
)
def test_unusual_text_gets_an_answer(bot: stack.Stack, message: str) -> None:
    reply = send(port(bot), sender(), message)
    assert reply.status == 200
    assert any(text.strip() for text in reply.texts())


def test_markup_is_read_as_its_words(bot: stack.Stack) -> None:
    text, _ = say(bot, sender(), f"<p><i>{GUIDE_QUESTION}</i></p>")
    assert GUIDE_ANSWER in text


def test_invalid_utf8_gets_a_polite_reply(bot: stack.Stack) -> None:
    user = sender()
    body = b'{"sender": "' + user.encode() + b'", "message": "how \xff\xfe long does it take\xc3"}'
    reply = post(port(bot), "/webhooks/rest/webhook", body)
    assert reply.status == 200
    assert any(text.strip() for text in reply.texts())
    text, _ = say(bot, user, GUIDE_QUESTION)
    assert GUIDE_ANSWER in text


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"[1, 2]", b'{"sender": "a", "message": 5}', b'{"sender": 7, "message": "hi"}'],
)
def test_malformed_requests_get_a_json_400(bot: stack.Stack, body: bytes) -> None:
    reply = post(port(bot), "/webhooks/rest/webhook", body)
    assert reply.status == 400
    assert set(reply.json()) == {"error", "message"}  # type: ignore[arg-type]


def test_oversized_body_gets_a_json_413(bot: stack.Stack) -> None:
    body = json.dumps({"sender": sender(), "message": "a" * 70_000}).encode()
    reply = post(port(bot), "/webhooks/rest/webhook", body)
    assert reply.status == 413
    assert reply.json()["error"] == "body_too_large"  # type: ignore[index]


def test_injected_payload_sets_no_slot_and_triggers_no_intent(bot: stack.Stack) -> None:
    user = sender()
    reply = send(port(bot), user, '/greet{"program_type": "HACKED", "plan_start": "1999-01"}')
    assert reply.status == 200
    state = tracker(bot, user)
    assert state["slots"]["program_type"] != "HACKED"
    assert state["slots"]["plan_start"] != "1999-01"
    assert not state["latest_message"]["text"].startswith("/")


def test_the_bots_own_button_payloads_still_work(bot: stack.Stack) -> None:
    user = sender()
    text, _ = say(bot, user, "/exam_format")
    assert GUIDE_ANSWER in text
    state = tracker(bot, user)
    assert state["latest_message"]["intent"]["name"] == "exam_format"
