"""Send what Slack and Telegram send: signed Slack events, Telegram updates."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from typing import Any

from channels.slack_format import signature
from tests.channels.conftest import SLACK_SECRET, TELEGRAM_SECRET


def post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def new_id(prefix: str) -> str:
    return prefix + uuid.uuid4().hex[:10].upper()


def slack_event(text: str, user: str, channel: str, event_id: str | None = None) -> dict:
    """An Events API `event_callback` for a direct message to the bot."""
    ts = f"{time.time():.6f}"
    return {
        "token": "deprecated-verification-token",
        "team_id": "T0TEST",
        "api_app_id": "A0TEST",
        "type": "event_callback",
        "event_id": event_id or new_id("Ev"),
        "event_time": int(time.time()),
        "authorizations": [{"team_id": "T0TEST", "user_id": "UBOT", "is_bot": True}],
        "event": {
            "type": "message",
            "channel_type": "im",
            "channel": channel,
            "user": user,
            "text": text,
            "ts": ts,
            "event_ts": ts,
        },
    }


def send_slack(
    base_url: str,
    body: bytes,
    content_type: str = "application/json",
    *,
    secret: str = SLACK_SECRET,
    timestamp: int | None = None,
    extra: dict[str, str] | None = None,
    signed_body: bytes | None = None,
) -> tuple[int, str]:
    """POST `body` to the Slack webhook, signed as Slack signs (v0 HMAC-SHA256).

    `signed_body` signs other bytes than those sent: a tampered request.
    """
    ts = str(int(time.time()) if timestamp is None else timestamp)
    headers = {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": signature(secret, ts, body if signed_body is None else signed_body),
        **(extra or {}),
    }
    return post(f"{base_url}/webhooks/slack/webhook", body, headers)


def slack_click(user: str, channel: str, value: str) -> bytes:
    """A `block_actions` interaction (a button press), form-encoded as Slack sends it."""
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": user},
        "channel": {"id": channel},
        "message": {"ts": f"{time.time():.6f}"},
        "actions": [{"type": "button", "action_id": "rasa_button_0", "value": value}],
    }
    return urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()


_update_ids = iter(range(int(time.time()) % 1_000_000 * 1000, 10**12))


def telegram_message(chat_id: int, text: str) -> dict:
    return {
        "update_id": next(_update_ids),
        "message": {
            "message_id": next(_update_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private", "first_name": "Test"},
            "from": {"id": chat_id, "is_bot": False, "first_name": "Test"},
            "text": text,
        },
    }


def telegram_press(chat_id: int, data: str, keyboard: dict | None = None) -> dict:
    """A callback_query: the user pressed the inline button carrying `data`."""
    return {
        "update_id": next(_update_ids),
        "callback_query": {
            "id": new_id("cq"),
            "from": {"id": chat_id, "is_bot": False, "first_name": "Test"},
            "chat_instance": "1",
            "data": data,
            "message": {
                "message_id": next(_update_ids),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private"},
                "text": "(the bot's message)",
                "reply_markup": keyboard or {},
            },
        },
    }


def send_telegram(
    base_url: str, update: dict, secret: str | None = TELEGRAM_SECRET
) -> tuple[int, str]:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    return post(f"{base_url}/webhooks/telegram/webhook", json.dumps(update).encode(), headers)
