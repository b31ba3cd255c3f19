"""Thumbs up/down in Telegram: an inline keyboard row on answers; a press stored, answered
with a notice (answerCallbackQuery) and the row edited away (editMessageReplyMarkup)."""

from __future__ import annotations

import random
import time

from tests.channels.client import new_id, send_telegram, telegram_message
from tests.channels.conftest import ChannelBot
from tests.channels.test_slack_ratings import THANKS, ratings_in, tracker
from tests.fakes.server import Call


def ask(bot: ChannelBot, chat: int, text: str) -> Call:
    """Send `text`; the bot's last message to the chat once it has answered."""
    before = len(bot.telegram.sent(chat))
    status, _ = send_telegram(bot.url, telegram_message(chat, text))
    assert status == 200
    bot.telegram.wait_for(
        lambda c: c.method == "sendMessage" and str(c.body.get("chat_id")) == str(chat),
        count=before + 1,
    )
    time.sleep(1.0)  # an answer may come in several messages
    return bot.telegram.sent(chat)[-1]


def rating_keys(call: Call) -> list[dict]:
    rows = (call.body.get("reply_markup") or {}).get("inline_keyboard") or []
    return [k for row in rows for k in row if k.get("callback_data", "").startswith("rate_answer:")]


def press(bot: ChannelBot, chat: int, message: Call, data: str) -> str:
    """A callback_query on the bot's `message`, as Telegram sends it; returns the query id."""
    query_id = new_id("cq")
    update = {
        "update_id": random.randint(10**9, 10**10),
        "callback_query": {
            "id": query_id,
            "from": {"id": chat, "is_bot": False, "first_name": "Test"},
            "chat_instance": "1",
            "data": data,
            "message": {
                **message.answer["result"],
                "reply_markup": message.body.get("reply_markup"),
            },
        },
    }
    status, _ = send_telegram(bot.url, update)
    assert status == 200
    return query_id


def answered(bot: ChannelBot, query_id: str) -> Call:
    [call] = bot.telegram.wait_for(
        lambda c: c.method == "answerCallbackQuery" and c.body.get("callback_query_id") == query_id
    )
    return call


def edits(bot: ChannelBot, chat: int) -> list[Call]:
    return bot.telegram.find(
        lambda c: c.method == "editMessageReplyMarkup" and str(c.body.get("chat_id")) == str(chat)
    )


def test_an_answer_is_rated_and_the_row_edited_away(channel_bot: ChannelBot) -> None:
    chat = random.randint(10**8, 10**9)
    greeting = ask(channel_bot, chat, "/start")
    assert rating_keys(greeting) == []  # the greeting is not an answer
    ask(channel_bot, chat, "what is an externship")
    answer = ask(channel_bot, chat, "is it paid at least?")
    assert "From the guide" in answer.body["text"] and answer.answer["ok"], answer.answer
    helpful, unhelpful = rating_keys(answer)
    assert (helpful["text"], unhelpful["text"]) == ("👍 Helpful", "👎 Not helpful")
    answer_id = unhelpful["callback_data"].rsplit(":", 1)[1]
    assert unhelpful["callback_data"] == f"rate_answer:unhelpful:{answer_id}"
    before = tracker(channel_bot, str(chat))
    sent_before = len(channel_bot.telegram.sent(chat))

    query = press(channel_bot, chat, answer, unhelpful["callback_data"])
    notice = answered(channel_bot, query)
    assert notice.answer["ok"] and notice.body["text"] == THANKS
    [edit] = channel_bot.telegram.wait_for(
        lambda c: c.method == "editMessageReplyMarkup" and str(c.body.get("chat_id")) == str(chat)
    )
    assert edit.answer["ok"], edit.answer
    assert edit.body["message_id"] == answer.answer["result"]["message_id"]
    remaining = (edit.body.get("reply_markup") or {}).get("inline_keyboard") or []
    assert not any(k["callback_data"].startswith("rate_answer:") for row in remaining for k in row)

    after = tracker(channel_bot, str(chat))
    [rating] = ratings_in(after)
    assert rating["rating"] == "unhelpful" and rating["answer_id"] == answer_id
    assert rating["question"] == "is it paid at least?" and rating["channel"] == "telegram"
    assert after["slots"]["last_topic"] == before["slots"]["last_topic"]
    assert [e for e in after["events"] if e["event"] in ("user", "bot")] == [
        e for e in before["events"] if e["event"] in ("user", "bot")
    ]
    time.sleep(1.5)
    assert len(channel_bot.telegram.sent(chat)) == sent_before  # nothing new in the chat

    # Tapped twice quickly (an old copy of the keyboard): thanked, stored and edited once.
    again = press(channel_bot, chat, answer, unhelpful["callback_data"])
    assert answered(channel_bot, again).body["text"] == THANKS
    assert len(ratings_in(tracker(channel_bot, str(chat)))) == 1
    assert len(edits(channel_bot, chat)) == 1
    assert "From the guide" in ask(channel_bot, chat, "how much does a cma earn").body["text"]


def test_bad_presses_get_a_notice_and_store_nothing(channel_bot: ChannelBot) -> None:
    chat = random.randint(10**8, 10**9)
    answer = ask(channel_bot, chat, "what is an externship")
    [_, unhelpful] = rating_keys(answer)
    answer_id = unhelpful["callback_data"].rsplit(":", 1)[1]
    cases = {
        "rate_answer:helpful:12345.5": "Sorry, that answer can no longer be rated.",
        f"rate_answer:great:{answer_id}": "Sorry, I could not read that rating.",
        "rate_answer:": "Sorry, I could not read that rating.",
    }
    for data, expected in cases.items():
        notice = answered(channel_bot, press(channel_bot, chat, answer, data))
        assert notice.answer["ok"] and notice.body["text"] == expected
    assert ratings_in(tracker(channel_bot, str(chat))) == []
    # Only the unknown answer's row is edited away; a rating we never offer is left alone.
    [edit] = edits(channel_bot, chat)
    assert edit.answer["ok"]
    # The answer's other buttons (its topic suggestions) stay; only the rating row goes.
    rows = answer.body["reply_markup"]["inline_keyboard"]
    assert len(rows) > 1
    assert edit.body["reply_markup"] == {"inline_keyboard": rows[:-1]}


def test_emergency_replies_ask_for_no_rating(channel_bot: ChannelBot) -> None:
    chat = random.randint(10**8, 10**9)
    ask(channel_bot, chat, "my father has chest pain and cannot breathe")
    replies = channel_bot.telegram.sent(chat)
    assert "911" in " ".join(r.body["text"] for r in replies)
    assert all(rating_keys(r) == [] for r in replies)
