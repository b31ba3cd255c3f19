"""Slack request checks and Block Kit messages; pure functions, no Rasa imports."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

# Slack's documented replay window for signed requests.
MAX_REQUEST_AGE_SECONDS = 300
# Block Kit limits (api.slack.com/reference/block-kit).
SECTION_TEXT_MAX = 3000
BUTTON_TEXT_MAX = 75
BUTTON_VALUE_MAX = 2000
ACTIONS_ELEMENTS_MAX = 25
BLOCKS_MAX = 50


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """Slack's v0 request signature: HMAC-SHA256 over `v0:{timestamp}:{body}`."""
    base = f"v0:{timestamp}:".encode() + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def signature_problem(
    secret: str, timestamp: str | None, body: bytes, given: str | None, now: float
) -> str | None:
    """Why a request is not authentically from Slack, or None when it is."""
    if not timestamp or not given:
        return "missing X-Slack-Signature or X-Slack-Request-Timestamp"
    try:
        sent_at = int(timestamp)
    except ValueError:
        return "malformed X-Slack-Request-Timestamp"
    if abs(now - sent_at) > MAX_REQUEST_AGE_SECONDS:
        return "request timestamp is more than 5 minutes away (possible replay)"
    if not hmac.compare_digest(signature(secret, timestamp, body), given):
        return "signature does not match the signing secret"
    return None


def media_type(content_type: str | None) -> str:
    """`application/json; charset=utf-8` -> `application/json`."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def escape(text: str) -> str:
    """Slack's three control characters, escaped as its docs require."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """A user's text as typed (Slack sends `&`, `<`, `>` escaped)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _chunks(text: str, size: int) -> list[str]:
    """Split on line breaks where possible so no piece exceeds `size`."""
    pieces: list[str] = []
    rest = text
    while len(rest) > size:
        cut = rest.rfind("\n", 0, size)
        cut = cut if cut > 0 else size
        pieces.append(rest[:cut])
        rest = rest[cut:].lstrip("\n")
    pieces.append(rest)
    return pieces


def text_blocks(text: str) -> list[dict[str, Any]]:
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": piece}}
        for piece in _chunks(escape(text), SECTION_TEXT_MAX)
        if piece.strip()
    ]


def button_blocks(buttons: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rasa buttons as `actions` blocks (25 buttons per block, Slack's limit)."""
    elements: list[dict[str, Any]] = []
    for index, button in enumerate(buttons):
        title = str(button.get("title") or button.get("payload") or "")
        payload = str(button.get("payload") or title)
        if not title or len(payload) > BUTTON_VALUE_MAX:
            continue
        if len(title) > BUTTON_TEXT_MAX:
            title = title[: BUTTON_TEXT_MAX - 1] + "…"
        elements.append(
            {
                "type": "button",
                "action_id": f"rasa_button_{index}",
                "text": {"type": "plain_text", "text": title, "emoji": True},
                "value": payload,
            }
        )
    return [
        {"type": "actions", "elements": elements[start : start + ACTIONS_ELEMENTS_MAX]}
        for start in range(0, len(elements), ACTIONS_ELEMENTS_MAX)
    ]


def message_blocks(text: str, buttons: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A reply as Block Kit: the text as section(s), then the buttons."""
    return (text_blocks(text) + button_blocks(buttons))[:BLOCKS_MAX]


def button_value(payload: dict[str, Any]) -> str | None:
    """The value of the button a user clicked in a `block_actions` payload."""
    actions = payload.get("actions") or []
    if not actions or not isinstance(actions[0], dict):
        return None
    action = actions[0]
    if action.get("type") == "button":
        return action.get("value")
    selected = action.get("selected_option")
    return selected.get("value") if isinstance(selected, dict) else None
