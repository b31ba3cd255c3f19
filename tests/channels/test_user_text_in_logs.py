"""A marker word sent through every channel of the channel bot stays out of both servers' logs.

The channel bot runs at Rasa's default level (INFO); tests/e2e/test_user_text_in_logs.py
covers DEBUG requested without LOG_USER_TEXT=1.
"""

from __future__ import annotations

import json
import random
import secrets

from tests.channels.client import new_id, send_slack, send_telegram, slack_event, telegram_message
from tests.channels.conftest import ChannelBot
from tools.dev import stack


def test_a_marker_sent_through_every_channel_is_in_no_log(channel_bot: ChannelBot) -> None:
    marker = f"zqx{secrets.token_hex(6)}"
    timeline = f"if i start a certificate in march 2027 when can i work {marker}"

    replies = stack.ask(channel_bot.url, f"rest-{marker[-4:]}", timeline, timeout=120)
    assert any("could be working" in r.get("text", "") for r in replies), replies

    channel = new_id("D")
    event = slack_event(timeline, new_id("U"), channel)
    assert send_slack(channel_bot.url, json.dumps(event).encode())[0] == 200
    channel_bot.slack.wait_for(lambda c: c.body.get("channel") == channel, timeout=120)

    chat = random.randint(10**8, 10**9)
    assert send_telegram(channel_bot.url, telegram_message(chat, timeline))[0] == 200
    channel_bot.telegram.wait_for(
        lambda c: c.method == "sendMessage" and str(c.body.get("chat_id")) == str(chat),
        timeout=120,
    )

    for log in channel_bot.bot.logs:
        text = log.read_text(encoding="utf-8", errors="replace")
        assert marker not in text, f"{log.name} holds the user's text"
