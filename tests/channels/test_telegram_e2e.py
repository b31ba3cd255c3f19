"""Telegram updates to a running bot; assertions on what the fake Bot API received."""

from __future__ import annotations

import random
import time

from actions.core.checklists import load_checklists
from actions.paths import CONTENT_DIR
from tests.channels.client import send_telegram, telegram_message, telegram_press
from tests.channels.conftest import TELEGRAM_SECRET, TELEGRAM_WEBHOOK, ChannelBot
from tests.fakes.server import Call
from tools.dev import stack


def new_chat() -> int:
    return random.randint(10**8, 10**9)


def say(bot: ChannelBot, chat: int, text: str) -> None:
    status, _ = send_telegram(bot.url, telegram_message(chat, text))
    assert status == 200


def to_chat(chat: int):
    return lambda c: c.method == "sendMessage" and str(c.body.get("chat_id")) == str(chat)


def keys(call: Call) -> list[dict]:
    return [key for row in call.body["reply_markup"]["inline_keyboard"] for key in row]


def test_bot_started_while_telegram_was_unreachable_and_registered_later(
    channel_bot: ChannelBot,
) -> None:
    assert channel_bot.telegram_was_down_at_start
    assert stack.ask(channel_bot.url, "rest-user-1", "/exam_format")  # REST answers
    assert channel_bot.registration_failure_logged  # "Could not register the Telegram webhook"
    [registration] = channel_bot.telegram.wait_for(
        lambda c: c.method == "setWebhook" and c.answer.get("ok"), timeout=30
    )
    assert registration.body["url"] == TELEGRAM_WEBHOOK
    assert registration.body["secret_token"] == TELEGRAM_SECRET


def test_a_message_is_answered_through_the_bot_api(channel_bot: ChannelBot) -> None:
    chat = new_chat()
    say(channel_bot, chat, "/exam_format")
    [reply] = channel_bot.telegram.wait_for(to_chat(chat))
    assert reply.answer["ok"], reply.answer
    assert "200 questions" in reply.body["text"]


def test_updates_without_the_secret_token_are_forbidden(channel_bot: ChannelBot) -> None:
    chat = new_chat()
    for secret in ("wrong-secret", None):
        status, _ = send_telegram(channel_bot.url, telegram_message(chat, "/exam_format"), secret)
        assert status == 403
    say(channel_bot, chat, "/salary")  # the one authentic update
    channel_bot.telegram.wait_for(to_chat(chat))
    time.sleep(1)
    assert len(channel_bot.telegram.sent(chat)) == 1


def test_buttons_are_an_inline_keyboard_and_a_press_is_answered(channel_bot: ChannelBot) -> None:
    telegram, chat = channel_bot.telegram, new_chat()
    say(channel_bot, chat, "hello there")
    [greeting] = telegram.wait_for(to_chat(chat))
    assert greeting.answer["ok"], greeting.answer  # the fake checked the keyboard shape
    buttons = keys(greeting)
    assert len(buttons) >= 5
    assert all(len(b["callback_data"].encode()) <= 64 for b in buttons)
    exam = next(b for b in buttons if b["text"] == "The CMA exam")

    press = telegram_press(chat, exam["callback_data"], greeting.body["reply_markup"])
    assert send_telegram(channel_bot.url, press)[0] == 200
    [answered] = telegram.wait_for(
        lambda c: (
            c.method == "answerCallbackQuery"
            and c.body.get("callback_query_id") == press["callback_query"]["id"]
        )
    )
    assert answered.answer["ok"]
    replies = telegram.wait_for(to_chat(chat), count=2)
    assert "200 questions" in replies[1].body["text"]


def test_long_payloads_travel_as_short_ids_and_still_work(channel_bot: ChannelBot) -> None:
    telegram, chat = channel_bot.telegram, new_chat()
    say(channel_bot, chat, '/show_checklist{"checklist":"choosing_program"}')
    [listing] = telegram.wait_for(lambda c: to_chat(chat)(c) and "reply_markup" in c.body)
    # e.g. /mark_item_done{"checklist_item":"choosing_program.ask_externship_sites"}: 73 bytes
    short = [k for k in keys(listing) if k["callback_data"].startswith("~")]
    assert short, "expected a payload over 64 bytes among the checklist buttons"
    assert all(len(k["callback_data"].encode()) <= 64 for k in keys(listing))
    press = telegram_press(chat, short[0]["callback_data"], listing.body["reply_markup"])
    assert send_telegram(channel_bot.url, press)[0] == 200
    replies = telegram.wait_for(to_chat(chat), count=2)
    pressed = short[0]["text"].removeprefix("Done: ")
    checklist = load_checklists(CONTENT_DIR / "checklists.yml")["choosing_program"]
    item = next(i for i in checklist.items if i.short == pressed)
    assert f"Marked as done: {item.text}" in replies[1].body["text"]


def test_a_non_text_message_gets_a_polite_answer(channel_bot: ChannelBot) -> None:
    chat = new_chat()
    update = telegram_message(chat, "")
    del update["message"]["text"]
    update["message"]["sticker"] = {"file_id": "x", "width": 1, "height": 1}
    assert send_telegram(channel_bot.url, update)[0] == 200
    [reply] = channel_bot.telegram.wait_for(to_chat(chat))
    assert "only read text" in reply.body["text"]


def test_a_resent_update_is_answered_once(channel_bot: ChannelBot) -> None:
    chat = new_chat()
    update = telegram_message(chat, "/exam_format")
    assert send_telegram(channel_bot.url, update)[0] == 200
    assert send_telegram(channel_bot.url, update)[0] == 200
    say(channel_bot, chat, "/salary")
    channel_bot.telegram.wait_for(to_chat(chat), count=2)
    time.sleep(1)
    assert len(channel_bot.telegram.sent(chat)) == 2


def test_start_command_greets(channel_bot: ChannelBot) -> None:
    chat = new_chat()
    say(channel_bot, chat, "/start")
    [reply] = channel_bot.telegram.wait_for(to_chat(chat))
    assert "welcome" in reply.body["text"].lower()
