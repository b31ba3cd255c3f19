"""Telegram keyboards, callback data and update parsing; pure functions, no Rasa imports."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Iterable
from typing import Any

# Bot API limits (core.telegram.org/bots/api).
CALLBACK_DATA_MAX_BYTES = 64
MESSAGE_MAX_CHARS = 4096
SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
# Short callback ids start with this; raw payloads that do are hashed too, so never ambiguous.
SHORT_ID_PREFIX = "~"
# Buttons whose titles are all this short go two per row; longer ones get a row each.
SHORT_TITLE = 18


def secret_matches(expected: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(expected.encode(), (given or "").encode())


class CallbackIds:
    """Rasa payloads <-> Telegram callback_data (at most 64 bytes).

    Short payloads travel as they are. Longer ones travel as a short id derived
    from the payload's hash, so the same payload always gets the same id (also
    after a restart, once `learn` has seen it again).
    """

    def __init__(self) -> None:
        self._payloads: dict[str, str] = {}

    @staticmethod
    def short_id(payload: str) -> str:
        digest = hashlib.sha256(payload.encode("utf-8")).digest()
        return SHORT_ID_PREFIX + base64.urlsafe_b64encode(digest[:15]).decode("ascii")

    def data_for(self, payload: str) -> str:
        raw = payload.encode("utf-8")
        if len(raw) <= CALLBACK_DATA_MAX_BYTES and not payload.startswith(SHORT_ID_PREFIX):
            return payload
        data = self.short_id(payload)
        self._payloads[data] = payload
        return data

    def learn(self, payloads: Iterable[str]) -> None:
        for payload in payloads:
            self.data_for(payload)

    def payload_for(self, data: str) -> str | None:
        """The payload behind `data`, or None for a short id this process never issued."""
        if not data.startswith(SHORT_ID_PREFIX):
            return data
        return self._payloads.get(data)


def inline_keyboard(buttons: list[dict[str, Any]], ids: CallbackIds) -> dict[str, Any]:
    """Rasa buttons as an InlineKeyboardMarkup: short titles two per row, long ones alone."""
    keys = []
    for button in buttons:
        title = str(button.get("title") or button.get("payload") or "").strip()
        payload = str(button.get("payload") or title)
        if not title:
            continue
        if str(button.get("type", "")) == "web_url" or payload.startswith(("http://", "https://")):
            keys.append({"text": title, "url": payload})
        else:
            keys.append({"text": title, "callback_data": ids.data_for(payload)})
    per_row = 2 if all(len(k["text"]) <= SHORT_TITLE for k in keys) else 1
    return {"inline_keyboard": [keys[i : i + per_row] for i in range(0, len(keys), per_row)]}


def split_text(text: str, limit: int = MESSAGE_MAX_CHARS) -> list[str]:
    """Pieces of at most `limit` characters, cut at line breaks where possible."""
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        cut = rest.rfind("\n", 0, limit)
        cut = cut if cut > 0 else limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces


def command_text(text: str) -> str:
    """`/start@MyBot` -> `/start`: Telegram appends the bot's name to commands in groups."""
    if text.startswith("/"):
        head, _, tail = text.partition(" ")
        head = head.split("@", 1)[0]
        return f"{head} {tail}".strip()
    return text


def pressed_title(message: dict[str, Any], data: str) -> str | None:
    """The title of the inline button carrying `data` in the message it was pressed on."""
    rows = ((message or {}).get("reply_markup") or {}).get("inline_keyboard") or []
    for row in rows:
        for key in row or []:
            if isinstance(key, dict) and key.get("callback_data") == data:
                return str(key.get("text") or "") or None
    return None
