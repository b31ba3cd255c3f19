"""A calendar link opens one .ics file and nothing else (docs/security.md).

Against the e2e bot: the link carries a random token, never the conversation id;
it cannot be used as a sender id to resume, read or delete the conversation
(REST or widget); it expires (410) and "delete my data" withdraws it (404).
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import sqlite3
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import socketio

from server.replies import load_replies
from tests.e2e.test_rest_conversation import say, tracker
from tools.dev import stack

PLAN = "I'm starting a certificate program in March 2027, when could I work?"
LINK = re.compile(r"https?://\S+/webhooks/calendar/plan\.ics\?token=[A-Za-z0-9_-]+")


def new_user() -> str:
    return f"e2e-link-{uuid.uuid4().hex[:10]}"


def plan_link(bot: stack.Stack, user: str) -> str:
    text, _ = say(bot, user, PLAN)
    assert "June 2028" in text
    [link] = LINK.findall(text)
    # The action server wrote http://localhost:<port>; fetch it on loopback.
    return re.sub(r"^https?://[^/]+", bot.url, link)


def token_of(link: str) -> str:
    return urllib.parse.parse_qs(urllib.parse.urlparse(link).query)["token"][0]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:  # nosec B310 - loopback
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_the_link_reveals_no_conversation_id_and_downloads_the_plan(bot: stack.Stack) -> None:
    user = new_user()
    link = plan_link(bot, user)
    assert user not in link and len(token_of(link)) >= 32
    status, ics = fetch(link)
    assert status == 200 and ics.startswith("BEGIN:VCALENDAR")
    assert user not in ics
    assert plan_link(bot, user) != link, "each plan gets a new token"


def test_the_token_cannot_resume_read_or_delete_the_conversation(
    bot: stack.Stack, bot_home: Path
) -> None:
    user = new_user()
    link = plan_link(bot, user)
    token = token_of(link)
    # Used as a REST sender id, the token is a new, empty conversation.
    assert tracker(bot, token)["slots"]["plan_start"] is None
    assert "June 2028" not in say(bot, token, "show my plan")[0]
    # Asking to delete "its" data deletes nothing of the user's.
    say(bot, token, "delete my data")
    assert say(bot, token, "yes")[0] == load_replies()["data_deleted"]
    assert tracker(bot, user)["slots"]["plan_start"] == "2027-03"
    assert fetch(link)[0] == 200
    # The widget does not let a browser pick a session id: neither the token nor the
    # user's real id is accepted, a fresh server-issued id is handed out instead.
    for chosen in (token, user):
        issued = asyncio.run(widget_session(bot.url, chosen))
        assert issued not in (chosen, user, token)


async def widget_session(url: str, requested: str) -> str:
    client = socketio.AsyncClient()
    confirmed = asyncio.get_running_loop().create_future()
    client.on("session_confirm", confirmed.set_result)
    # Long-polling: the pinned aiohttp is too old for python-socketio's websocket client.
    await client.connect(url, transports=["polling"])
    try:
        await client.emit("session_request", {"session_id": requested})
        return await asyncio.wait_for(confirmed, 30)
    finally:
        await client.disconnect()


def test_an_expired_link_gets_410(bot: stack.Stack, bot_home: Path) -> None:
    link = plan_link(bot, new_user())
    digest = hashlib.sha256(token_of(link).encode()).hexdigest()
    with sqlite3.connect(bot_home / "tracker.db") as db:
        changed = db.execute(
            "UPDATE calendar_links SET expires_at = 0 WHERE token_hash = ?", (digest,)
        ).rowcount
    assert changed == 1
    status, text = fetch(link)
    assert status == 410 and "expired" in text


def test_delete_my_data_withdraws_the_link(bot: stack.Stack) -> None:
    user = new_user()
    link = plan_link(bot, user)
    assert fetch(link)[0] == 200
    say(bot, user, "delete my data")
    assert say(bot, user, "yes")[0] == load_replies()["data_deleted"]
    assert fetch(link)[0] == 404


def test_old_style_links_with_a_conversation_id_open_nothing(bot: stack.Stack) -> None:
    user = new_user()
    plan_link(bot, user)
    old = f"{bot.url}/webhooks/calendar/plan.ics?sender={user}&sig={'0' * 32}"
    assert fetch(old)[0] == 404
