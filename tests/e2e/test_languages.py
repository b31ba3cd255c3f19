"""Other languages, against a real bot over REST: answered in English, and saying so.

A message in another language that the assistant understood gets the note "I can
only answer in English..." first and then its usual answer; one it is not sure of
gets the honest English-only reply. Never a confident answer on another topic.
"""

from __future__ import annotations

import uuid

import pytest

from tests.e2e.test_rest_conversation import tracker
from tools.dev import stack

NOTE = "I can only answer in English, so here is my answer in English:"
HONEST = "Sorry, I can only answer in English"
SALARY = "The median pay for medical assistants"
ISSUE_QUESTION = (
    "¿Puedo trabajar como asistente médico en Estados Unidos con mi título de medicina?"
)

# (language, message, the intent that is right for it). Each must get either that
# intent's answer after the note, or the honest reply: never another topic.
QUESTIONS = [
    ("es", "¿Cuánto gana un asistente médico certificado?", "salary"),
    ("es", "¿Necesito el USMLE para ser asistente médico?", "usmle_needed"),
    ("es", ISSUE_QUESTION, "img_value"),
    ("pt", "Quanto ganha um assistente médico?", "salary"),
    (
        "pt",
        "Posso trabalhar como assistente médico nos EUA com meu diploma de medicina?",
        "img_value",
    ),
    ("fr", "Combien gagne un assistant médical certifié ?", "salary"),
    ("fr", "Est-ce que j'ai besoin de l'USMLE pour devenir assistant médical ?", "usmle_needed"),
    ("ar", "كم راتب المساعد الطبي؟", "salary"),
    ("ar", "هل أحتاج إلى امتحان USMLE لأصبح مساعدا طبيا؟", "usmle_needed"),
    ("hi", "मेडिकल असिस्टेंट की सैलरी कितनी है?", "salary"),
    ("ur", "میڈیکل اسسٹنٹ کی تنخواہ کتنی ہے؟", "salary"),
    ("hi-Latn", "CMA ki salary kitni hoti hai", "salary"),
    ("hi-Latn", "kya mein CMA ban sakta hoon", "img_value"),
    ("tl", "Magkano ang sahod ng medical assistant?", "salary"),
    ("tl", "pwede ba akong maging medical assistant", "img_value"),
]
# Intents that answer "can I work as a medical assistant with my medical degree?".
DEGREE_INTENTS = {"img_value", "degree_exam_eligibility", "what_is_cma", "stepping_stone_vs_career"}


def new_sender() -> str:
    return f"e2e-lang-{uuid.uuid4().hex[:8]}"


def ask(bot: stack.Stack, text: str) -> tuple[list[str], dict]:
    """The reply texts in order, and the parse data the tracker kept."""
    sender = new_sender()
    replies = stack.ask(bot.url, sender, text)
    return [r.get("text", "") for r in replies], tracker(bot, sender)["latest_message"]


def test_an_in_scope_spanish_question_is_answered_in_english_saying_so(
    bot: stack.Stack,
) -> None:
    texts, parsed = ask(bot, "¿Cuánto gana un asistente médico certificado?")
    assert texts[0] == NOTE, "the note comes first"
    assert texts[1].startswith(SALARY)
    assert parsed["intent"]["name"] == "salary"
    assert parsed["language"]["code"] == "es" and parsed["language"]["note"] is True


@pytest.mark.parametrize(
    "text",
    ["Habari, ninaweza kufanya kazi hapa?", "asdkjh qwpoeiru zxmcnv", "Могу ли я здесь работать?"],
)
def test_unsupported_language_or_mashing_gets_the_honest_reply(bot: stack.Stack, text: str) -> None:
    texts, parsed = ask(bot, text)
    assert texts[0].startswith(HONEST), texts
    assert NOTE not in texts
    assert parsed["intent"]["name"] == "other_language"
    assert parsed["language"]["english"] is False


def test_the_issue_question_is_never_answered_with_the_salary(bot: stack.Stack) -> None:
    texts, parsed = ask(bot, ISSUE_QUESTION)
    assert not any(SALARY in t for t in texts)
    assert parsed["intent"]["name"] in DEGREE_INTENTS | {"other_language"}


@pytest.mark.parametrize(("language", "text", "right"), QUESTIONS)
def test_each_language_gets_the_right_answer_or_the_honest_reply(
    bot: stack.Stack, language: str, text: str, right: str
) -> None:
    texts, parsed = ask(bot, text)
    intent = parsed["intent"]["name"]
    assert parsed["language"]["code"] == language
    allowed = (DEGREE_INTENTS if right == "img_value" else {right}) | {"other_language"}
    assert intent in allowed, f"{text!r} answered as {intent}"
    if intent == "other_language":
        assert texts[0].startswith(HONEST) and NOTE not in texts
    else:
        assert texts[0] == NOTE and len(texts) >= 2
    print(f"[{language}] {intent}: {text}")


def test_english_gets_no_note(bot: stack.Stack) -> None:
    texts, parsed = ask(bot, "cma salary?")
    assert NOTE not in texts
    assert parsed["language"]["english"] is True


def test_a_spanish_emergency_gets_911_first_without_the_note(bot: stack.Stack) -> None:
    texts, parsed = ask(bot, "mi padre tiene dolor de pecho y no puede respirar")
    assert parsed["intent"]["name"] == "medical_emergency"
    assert "911" in texts[0] and NOTE not in texts


def test_the_honest_reply_offers_topic_buttons_that_answer(bot: stack.Stack) -> None:
    sender = new_sender()
    replies = stack.ask(bot.url, sender, "pwede ba akong maging medical assistant")
    assert replies[0]["text"].startswith(HONEST)
    buttons = [b for r in replies for b in r.get("buttons", [])]
    assert 2 <= len(buttons) <= 4
    assert all(b["payload"].startswith("/") for b in buttons)
    answer = stack.ask(bot.url, sender, buttons[0]["payload"])
    assert answer and not answer[0]["text"].startswith(HONEST)
    assert NOTE not in [r.get("text") for r in answer]
