"""Thumbs up/down in Slack: buttons on answers, a press stored and acknowledged in place."""

from __future__ import annotations

import json
import time
import urllib.parse
import urllib.request
from typing import Any

from tests.channels.client import new_id, send_slack, slack_event
from tests.channels.conftest import ChannelBot
from tests.fakes.server import Call

TOKEN = "channels-test-token"
THANKS = "Thanks for your feedback!"


def tracker(bot: ChannelBot, sender: str) -> dict:
    url = f"{bot.url}/conversations/{sender}/tracker?token={TOKEN}"
    with urllib.request.urlopen(url, timeout=10) as answer:  # nosec B310 - loopback test bot
        return json.loads(answer.read())


def ratings_in(state: dict) -> list[dict]:
    return [
        e["value"] for e in state["events"] if e["event"] == "slot" and e["name"] == "answer_rating"
    ]


def ask(bot: ChannelBot, user: str, channel: str, text: str) -> Call:
    """Send `text` as `user`; the bot's last post in `channel` once it has answered."""
    before = len(bot.slack.posts(channel))
    status, _ = send_slack(bot.url, json.dumps(slack_event(text, user, channel)).encode())
    assert status == 200
    posts = bot.slack.wait_for(
        lambda c: c.method == "chat.postMessage" and c.body.get("channel") == channel,
        count=before + 1,
    )
    time.sleep(1.0)  # an answer may come in several posts
    return bot.slack.posts(channel)[-1] if bot.slack.posts(channel) else posts[-1]


def rating_block(post: Call) -> dict | None:
    return next(
        (b for b in post.body.get("blocks", []) if b.get("block_id") == "rate_answer"), None
    )


def press(bot: ChannelBot, user: str, channel: str, post: Call, action_id: str, value: Any) -> None:
    """A `block_actions` press on `post`, carrying the message as Slack sends it."""
    payload = {
        "type": "block_actions",
        "user": {"id": user},
        "channel": {"id": channel},
        "message": {
            "ts": post.answer["ts"],
            "text": post.body["text"],
            "blocks": post.body["blocks"],
            "thread_ts": post.body.get("thread_ts"),
        },
        "actions": [{"type": "button", "action_id": action_id, "value": value}],
    }
    body = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
    status, _ = send_slack(bot.url, body, "application/x-www-form-urlencoded")
    assert status == 200


def updates(bot: ChannelBot, channel: str, count: int) -> list[Call]:
    return bot.slack.wait_for(
        lambda c: c.method == "chat.update" and c.body.get("channel") == channel, count=count
    )


def notes(call: Call) -> list[str]:
    return [e["text"] for b in call.body["blocks"] if b["type"] == "context" for e in b["elements"]]


def test_an_answer_is_rated_in_place_and_stored_with_the_conversation(
    channel_bot: ChannelBot,
) -> None:
    user, channel = new_id("U"), new_id("D")
    greeting = ask(channel_bot, user, channel, "hello")
    assert rating_block(greeting) is None  # a greeting is not an answer
    ask(channel_bot, user, channel, "what is an externship")
    answer = ask(channel_bot, user, channel, "is it paid at least?")
    assert "From the guide" in answer.body["text"]
    assert answer.answer["ok"], answer.answer  # the fake checked the Block Kit
    block = rating_block(answer)
    assert block is not None and block is answer.body["blocks"][-1]
    assert [e["action_id"] for e in block["elements"]] == [
        "rate_answer_helpful",
        "rate_answer_unhelpful",
    ]
    [answer_id] = {e["value"] for e in block["elements"]}
    before = tracker(channel_bot, user)
    posts_before = len(channel_bot.slack.posts(channel))

    press(channel_bot, user, channel, answer, "rate_answer_unhelpful", answer_id)
    [update] = updates(channel_bot, channel, 1)
    assert update.answer["ok"], update.answer
    assert update.body["ts"] == answer.answer["ts"]
    assert update.body["text"] == answer.body["text"]
    assert rating_block(update) is None and notes(update) == [THANKS]
    assert update.body["blocks"][:-1] == answer.body["blocks"][:-1]  # the answer stays as it was

    after = tracker(channel_bot, user)
    [rating] = ratings_in(after)
    assert rating["rating"] == "unhelpful" and rating["answer_id"] == answer_id
    assert rating["question"] == "is it paid at least?" and rating["channel"] == "slack"
    assert after["slots"]["last_topic"] == before["slots"]["last_topic"]
    assert after["latest_action_name"] == "action_listen"
    assert [e for e in after["events"] if e["event"] in ("user", "bot")] == [
        e for e in before["events"] if e["event"] in ("user", "bot")
    ]
    time.sleep(1.5)
    assert len(channel_bot.slack.posts(channel)) == posts_before  # no new message in the chat

    # A press on an old copy of the message (Slack retried, or a second click) stores nothing.
    press(channel_bot, user, channel, answer, "rate_answer_unhelpful", answer_id)
    updates(channel_bot, channel, 2)
    assert len(ratings_in(tracker(channel_bot, user))) == 1

    # The conversation goes on as before.
    assert (
        "From the guide" in ask(channel_bot, user, channel, "how much does a cma earn").body["text"]
    )


def test_bad_presses_are_answered_politely_and_not_stored(channel_bot: ChannelBot) -> None:
    user, channel = new_id("U"), new_id("D")
    answer = ask(channel_bot, user, channel, "what is an externship")
    [answer_id] = {e["value"] for e in rating_block(answer)["elements"]}
    press(channel_bot, user, channel, answer, "rate_answer_helpful", "12345.5")
    press(channel_bot, user, channel, answer, "rate_answer_great", answer_id)
    press(channel_bot, user, channel, answer, "rate_answer_helpful", {"not": "an id"})
    # Someone else in the channel presses this user's answer: not theirs to rate.
    press(channel_bot, new_id("U"), channel, answer, "rate_answer_unhelpful", answer_id)
    told = channel_bot.slack.wait_for(
        lambda c: c.method == "chat.postEphemeral" and c.body.get("channel") == channel, count=4
    )
    assert all(c.answer["ok"] for c in told)
    assert sorted(c.body["text"] for c in told) == [
        "Sorry, I could not read that rating.",
        "Sorry, that answer can no longer be rated.",
        "Sorry, that answer can no longer be rated.",
        "Sorry, that answer can no longer be rated.",
    ]
    # The message keeps its buttons for the user it answered, who can still rate it.
    time.sleep(1.0)
    assert not channel_bot.slack.find(
        lambda c: c.method == "chat.update" and c.body.get("channel") == channel
    )
    assert ratings_in(tracker(channel_bot, user)) == []
    press(channel_bot, user, channel, answer, "rate_answer_helpful", answer_id)
    [update] = updates(channel_bot, channel, 1)
    assert notes(update) == [THANKS]
    assert [r["rating"] for r in ratings_in(tracker(channel_bot, user))] == ["helpful"]


def test_emergency_replies_ask_for_no_rating(channel_bot: ChannelBot) -> None:
    user, channel = new_id("U"), new_id("D")
    reply = ask(channel_bot, user, channel, "my father has chest pain and cannot breathe")
    assert "911" in " ".join(p.body["text"] for p in channel_bot.slack.posts(channel))
    assert all(rating_block(p) is None for p in channel_bot.slack.posts(channel)), reply.body


def test_a_rating_between_an_answer_and_its_follow_up_changes_nothing(
    channel_bot: ChannelBot,
) -> None:
    """The same two questions, with and without a rating between them: the same answers."""
    replies = []
    for rate in (False, True):
        user, channel = new_id("U"), new_id("D")
        answer = ask(channel_bot, user, channel, "what is an externship")
        if rate:
            [answer_id] = {e["value"] for e in rating_block(answer)["elements"]}
            press(channel_bot, user, channel, answer, "rate_answer_unhelpful", answer_id)
            updates(channel_bot, channel, 1)
        follow_up = ask(channel_bot, user, channel, "is it paid?")
        state = tracker(channel_bot, user)
        [asked] = [e for e in state["events"] if e.get("text") == "is it paid?"]
        replies.append(
            (
                follow_up.body["text"],
                asked["parse_data"]["intent"]["name"],
                state["slots"]["last_topic"],
            )
        )
    assert replies[0] == replies[1]
    assert "From the guide" in replies[1][0]
