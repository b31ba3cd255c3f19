"""Signed Slack events to a running bot; assertions on what the fake Slack Web API received."""

from __future__ import annotations

import json
import time

from tests.channels.client import new_id, send_slack, slack_click, slack_event
from tests.channels.conftest import SLACK_TOKEN, ChannelBot
from tests.fakes.server import Call


def say(bot: ChannelBot, text: str, content_type: str = "application/json") -> tuple[str, str]:
    user, channel = new_id("U"), new_id("D")
    event = slack_event(text, user, channel)
    SENT[channel] = event["event"]["ts"]
    status, _ = send_slack(bot.url, json.dumps(event).encode(), content_type)
    assert status == 200
    return user, channel


SENT: dict[str, str] = {}  # channel -> ts of the user's message


def reply_text(call: Call) -> str:
    return call.body.get("text", "")


def buttons_of(call: Call) -> list[dict]:
    return [
        element
        for block in call.body.get("blocks", [])
        if block["type"] == "actions"
        for element in block["elements"]
    ]


def test_a_signed_message_is_answered_through_the_web_api(channel_bot: ChannelBot) -> None:
    _, channel = say(channel_bot, "/exam_format")
    [post] = channel_bot.slack.wait_for(
        lambda c: c.body.get("channel") == channel and c.answer.get("ok")
    )
    assert "200 questions" in reply_text(post)
    assert post.headers["Authorization"] == f"Bearer {SLACK_TOKEN}"
    assert post.body["blocks"][0]["type"] == "section"
    # The test bot runs with SLACK_USE_THREADS=true: the answer goes under the question.
    assert post.body["thread_ts"] == SENT[channel]


def test_buttons_arrive_as_block_kit_and_a_click_is_answered(channel_bot: ChannelBot) -> None:
    user, channel = say(channel_bot, "hello there")
    [greeting] = channel_bot.slack.wait_for(lambda c: c.body.get("channel") == channel)
    assert greeting.answer["ok"], greeting.answer  # the fake checked the Block Kit shape
    buttons = buttons_of(greeting)
    assert len(buttons) >= 5
    exam = next(b for b in buttons if b["value"] == "/exam_format")
    assert exam["text"] == {"type": "plain_text", "text": "The CMA exam", "emoji": True}

    status, _ = send_slack(
        channel_bot.url,
        slack_click(user, channel, exam["value"]),
        "application/x-www-form-urlencoded",
    )
    assert status == 200
    posts = channel_bot.slack.wait_for(lambda c: c.body.get("channel") == channel, count=2)
    assert "200 questions" in reply_text(posts[1])


def test_a_json_body_with_a_charset_is_accepted(channel_bot: ChannelBot) -> None:
    _, channel = say(channel_bot, "/exam_format", "application/json; charset=utf-8")
    [post] = channel_bot.slack.wait_for(lambda c: c.body.get("channel") == channel)
    assert "200 questions" in reply_text(post)


def test_a_bad_signature_is_rejected_and_not_answered(channel_bot: ChannelBot) -> None:
    channel = new_id("D")
    body = json.dumps(slack_event("/exam_format", new_id("U"), channel)).encode()
    status, text = send_slack(channel_bot.url, body, secret="not-the-signing-secret")
    assert status == 401
    assert "signature" in text
    tampered = body.replace(b"/exam_format", b"/salary")
    assert send_slack(channel_bot.url, tampered, signed_body=body)[0] == 401
    assert send_slack(channel_bot.url, body, extra={"X-Slack-Signature": ""})[0] == 401
    # A later, valid message in the same channel is answered, and it is the only answer.
    say_body = json.dumps(slack_event("/salary", new_id("U"), channel)).encode()
    assert send_slack(channel_bot.url, say_body)[0] == 200
    posts = channel_bot.slack.wait_for(lambda c: c.body.get("channel") == channel)
    time.sleep(1)
    assert len(channel_bot.slack.posts(channel)) == 1
    assert "200 questions" not in reply_text(posts[0])


def test_a_stale_timestamp_is_rejected_even_when_signed(channel_bot: ChannelBot) -> None:
    body = json.dumps(slack_event("/exam_format", new_id("U"), new_id("D"))).encode()
    status, text = send_slack(channel_bot.url, body, timestamp=int(time.time()) - 6 * 60)
    assert status == 401
    assert "5 minutes" in text


def test_slack_retries_of_an_event_get_one_reply_only(channel_bot: ChannelBot) -> None:
    user, channel = new_id("U"), new_id("D")
    event = slack_event("/exam_format", user, channel)
    body = json.dumps(event).encode()
    assert send_slack(channel_bot.url, body)[0] == 200
    for attempt, reason in ((1, "http_error"), (2, "http_timeout"), (3, "http_error")):
        status, _ = send_slack(
            channel_bot.url,
            body,
            extra={"X-Slack-Retry-Num": str(attempt), "X-Slack-Retry-Reason": reason},
        )
        assert status == 200
    # A different event after the retries: once it is answered, any reply to a retry
    # would have been posted already (messages of one conversation are handled in order).
    follow_up = json.dumps(slack_event("/salary", user, channel)).encode()
    assert send_slack(channel_bot.url, follow_up)[0] == 200
    posts = channel_bot.slack.wait_for(lambda c: c.body.get("channel") == channel, count=2)
    time.sleep(1)
    texts = [reply_text(p) for p in channel_bot.slack.posts(channel)]
    assert sum("200 questions" in t for t in texts) == 1, texts
    assert len(texts) == 2
    assert "200 questions" not in reply_text(posts[1])


def test_url_verification_echoes_the_challenge(channel_bot: ChannelBot) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "3eZbrw1aBm2rZgRNFdxV"}).encode()
    status, text = send_slack(channel_bot.url, body)
    assert status == 200
    assert json.loads(text) == {"challenge": "3eZbrw1aBm2rZgRNFdxV"}


def test_the_bots_own_messages_are_not_answered(channel_bot: ChannelBot) -> None:
    channel = new_id("D")
    event = slack_event("/exam_format", new_id("U"), channel)
    event["event"]["bot_id"] = "B0BOT"
    assert send_slack(channel_bot.url, json.dumps(event).encode())[0] == 200
    follow_up = json.dumps(slack_event("/salary", new_id("U"), channel)).encode()
    assert send_slack(channel_bot.url, follow_up)[0] == 200
    channel_bot.slack.wait_for(lambda c: c.body.get("channel") == channel)
    time.sleep(1)
    assert len(channel_bot.slack.posts(channel)) == 1


def test_a_file_without_text_gets_a_polite_answer(channel_bot: ChannelBot) -> None:
    channel = new_id("D")
    event = slack_event("", new_id("U"), channel)
    event["event"]["subtype"] = "file_share"
    event["event"]["files"] = [{"id": "F0TEST", "name": "diploma.pdf"}]
    assert send_slack(channel_bot.url, json.dumps(event).encode())[0] == 200
    [reply] = channel_bot.slack.wait_for(lambda c: c.body.get("channel") == channel)
    assert "only read text" in reply.body["text"]
