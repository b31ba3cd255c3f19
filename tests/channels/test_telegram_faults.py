"""Bot API failures: logged, retried where safe, and the next message still works."""

from __future__ import annotations

import random

import pytest

from tests.channels.client import send_telegram, telegram_message, telegram_press
from tests.channels.conftest import ChannelBot


def to_chat(chat: int):
    return lambda c: c.method == "sendMessage" and str(c.body.get("chat_id")) == str(chat)


@pytest.mark.parametrize("failure", ["500", "hang"])
def test_a_failing_bot_api_is_survived(channel_bot: ChannelBot, failure: str) -> None:
    telegram, chat = channel_bot.telegram, random.randint(10**8, 10**9)
    telegram.fail_next("sendMessage", failure)
    assert send_telegram(channel_bot.url, telegram_message(chat, "/exam_format"))[0] == 200
    [failed] = telegram.wait_for(to_chat(chat))
    assert failed.status in (0, 500)
    assert send_telegram(channel_bot.url, telegram_message(chat, "/salary"))[0] == 200
    calls = telegram.wait_for(to_chat(chat), count=2)
    assert calls[1].answer.get("ok")
    assert channel_bot.bot.dead() is None
    assert "sendMessage was not delivered" in channel_bot.log()
    assert len(telegram.find(to_chat(chat))) == 2  # sendMessage is not repeated blindly


def test_answering_a_button_press_is_retried_after_a_server_error(channel_bot: ChannelBot) -> None:
    telegram, chat = channel_bot.telegram, random.randint(10**8, 10**9)
    telegram.fail_next("answerCallbackQuery", "500")
    press = telegram_press(chat, "/exam_format")
    assert send_telegram(channel_bot.url, press)[0] == 200
    query = press["callback_query"]["id"]
    calls = telegram.wait_for(
        lambda c: c.method == "answerCallbackQuery" and c.body.get("callback_query_id") == query,
        count=2,
    )
    assert [c.status for c in calls] == [500, 200]
    [reply] = telegram.wait_for(to_chat(chat))
    assert "200 questions" in reply.body["text"]
