"""Slack Web API failures: logged, retried where safe, and the next message still works."""

from __future__ import annotations

import json

import pytest

from tests.channels.client import new_id, send_slack, slack_event
from tests.channels.conftest import ChannelBot


def send(bot: ChannelBot, text: str, user: str, channel: str) -> None:
    assert send_slack(bot.url, json.dumps(slack_event(text, user, channel)).encode())[0] == 200


@pytest.mark.parametrize("failure", ["500", "hang"])
def test_a_failing_web_api_is_survived(channel_bot: ChannelBot, failure: str) -> None:
    slack = channel_bot.slack
    user, channel = new_id("U"), new_id("D")
    slack.fail_next("chat.postMessage", failure)
    send(channel_bot, "/exam_format", user, channel)
    [failed] = slack.wait_for(lambda c: c.body.get("channel") == channel)
    assert failed.status in (0, 500)
    send(channel_bot, "/salary", user, channel)
    posts = slack.wait_for(lambda c: c.body.get("channel") == channel and c.answer.get("ok"))
    assert posts[0].body["text"]
    assert channel_bot.bot.dead() is None
    assert "chat.postMessage was not delivered" in channel_bot.log()
    # A reply may already have been posted when Slack failed or hung: not repeated.
    assert len(slack.find(lambda c: c.body.get("channel") == channel)) == 2


def test_a_rate_limited_reply_is_retried_after_the_pause(channel_bot: ChannelBot) -> None:
    slack = channel_bot.slack
    user, channel = new_id("U"), new_id("D")
    slack.fail_next("chat.postMessage", "429")
    send(channel_bot, "/exam_format", user, channel)
    calls = slack.wait_for(lambda c: c.body.get("channel") == channel, count=2)
    assert [c.status for c in calls] == [429, 200]
    assert "200 questions" in calls[1].body["text"]
