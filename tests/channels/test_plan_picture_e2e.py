"""A plan asked for in Slack and Telegram arrives as text plus a PNG picture; a change redraws it.

One real bot (tests/channels/conftest.py) wired to the loopback fakes of both platforms.
"""

from __future__ import annotations

import io
import json
import random

from PIL import Image

from tests.channels.client import new_id, send_slack, send_telegram, slack_event, telegram_message
from tests.channels.conftest import ChannelBot
from tests.fakes.server import Call

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
ASK = "I'm starting a certificate program in March 2027, when could I work?"
CHANGE = "what if I start in January 2028 instead?"


def assert_png(content: bytes) -> None:
    assert content.startswith(PNG_MAGIC)
    Image.open(io.BytesIO(content)).verify()
    assert Image.open(io.BytesIO(content)).format == "PNG"


def slack_say(bot: ChannelBot, user: str, channel: str, text: str) -> None:
    status, _ = send_slack(bot.url, json.dumps(slack_event(text, user, channel)).encode())
    assert status == 200


def shared_in(channel: str):
    return lambda c: (
        c.method == "files.completeUploadExternal"
        and c.answer.get("ok")
        and c.body.get("channel_id") == channel
    )


def plan_text(posts: list[Call]) -> str:
    return next(p.body["text"] for p in posts if "Your plan for a" in p.body.get("text", ""))


def test_slack_gets_the_plan_as_text_and_as_an_uploaded_picture(channel_bot: ChannelBot) -> None:
    slack = channel_bot.slack
    user, channel = new_id("U"), new_id("D")
    slack_say(channel_bot, user, channel, ASK)
    slack.wait_for(shared_in(channel))
    text = plan_text(slack.posts(channel))
    assert "June 2028" in text and "March 2029" in text
    assert "plan.ics" not in text  # the calendar is a button, not a raw URL
    [first] = slack.files_in(channel)
    assert_png(first["content"])
    assert first["alt_txt"].startswith("Timeline of your plan.")
    assert "Mar 2027" in first["alt_txt"]
    calendar = slack.wait_for(
        lambda c: c.body.get("channel") == channel and "Add these milestones" in c.body["text"]
    )
    button = calendar[0].body["blocks"][1]["elements"][0]
    assert button["text"]["text"] == "📅 Add to calendar"
    assert "/webhooks/calendar/plan.ics?" in button["url"]

    # "What if ...": the plan is computed again, and so is the picture.
    slack_say(channel_bot, user, channel, CHANGE)
    slack.wait_for(shared_in(channel), count=2)
    second = slack.files_in(channel)[1]
    assert_png(second["content"])
    assert second["content"] != first["content"]
    assert "Jan 2028" in second["alt_txt"]


def test_telegram_gets_the_plan_as_text_and_a_photo(channel_bot: ChannelBot) -> None:
    telegram = channel_bot.telegram
    chat = random.randint(10**8, 10**9)

    def say(text: str) -> None:
        status, _ = send_telegram(channel_bot.url, telegram_message(chat, text))
        assert status == 200

    def photo_to_chat(c: Call) -> bool:
        return c.method == "sendPhoto" and str(c.body.get("chat_id")) == str(chat)

    say(ASK)
    [first] = telegram.wait_for(photo_to_chat)
    assert first.answer["ok"], first.answer
    assert_png(first.body["photo"])
    assert first.headers["Content-Type"].startswith("multipart/form-data")
    # The bot runs with a local (http) base URL: the calendar link rides in the caption.
    assert "/webhooks/calendar/plan.ics?" in first.body["caption"]
    texts = [c.body["text"] for c in telegram.sent(chat)]
    assert any("Your plan for a" in t and "June 2028" in t for t in texts)
    assert not any("plan.ics" in t for t in texts)

    say(CHANGE)
    photos = telegram.wait_for(photo_to_chat, count=2)
    assert_png(photos[1].body["photo"])
    assert photos[1].body["photo"] != first.body["photo"]
    assert any("starts Jan 2028" in c.body["text"] for c in telegram.sent(chat))
