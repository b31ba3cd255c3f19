"""Calendar links that reveal nothing and grant nothing but the one .ics file.

The timeline action (action server) writes its link with a placeholder token
(`actions.core.calendar_link.TOKEN_PLACEHOLDER`); when its reply comes back,
the Rasa server (`server/resilient_actions.py`) replaces the placeholder with a
fresh random token, stored here with the conversation it belongs to and an
expiry. The link carries no conversation id: it cannot resume, read or delete
a conversation, only download that plan while it is valid.

Storage sits next to the conversations: a `calendar_links` table in the SQL
tracker store's database (SQLite or PostgreSQL, so every replica sees it), or
process memory with the in-memory store. Only a sha256 of each token is
stored. "Delete my data" and retention purging remove a conversation's links
(`server/privacy.py`). Other stores (Redis, ...) get no links: the link line
is left out of the reply.

CALENDAR_LINK_DAYS (default 30) sets how long a link works.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import secrets
import time
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import InMemoryTrackerStore, SQLTrackerStore

from actions.core.calendar_link import TOKEN_PLACEHOLDER

logger = logging.getLogger(__name__)

DEFAULT_DAYS = 30.0
TABLE = "calendar_links"
_LINE_WITH_PLACEHOLDER = re.compile(rf"^.*{re.escape(TOKEN_PLACEHOLDER)}.*\n?", re.M)

_metadata = sa.MetaData()
_links = sa.Table(
    TABLE,
    _metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("expires_at", sa.Float, nullable=False),
)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def lifetime_seconds(env: dict[str, str] | None = None) -> float:
    raw = (env if env is not None else os.environ).get("CALENDAR_LINK_DAYS", "").strip()
    try:
        days = float(raw) if raw else DEFAULT_DAYS
    except ValueError:
        days = DEFAULT_DAYS
    return max(days, 0.0) * 86400


@dataclass(frozen=True)
class Found:
    sender_id: str
    expired: bool


class SQLLinks:
    """Links in the tracker store's own database."""

    def __init__(self, engine: sa.engine.Engine) -> None:
        self.engine = engine
        _metadata.create_all(engine, tables=[_links])

    def add(self, token_hash: str, sender_id: str, expires_at: float) -> None:
        with self.engine.begin() as db:
            db.execute(
                _links.insert().values(
                    token_hash=token_hash, sender_id=sender_id, expires_at=expires_at
                )
            )

    def find(self, token_hash: str) -> tuple[str, float] | None:
        with self.engine.connect() as db:
            row = db.execute(
                sa.select(_links.c.sender_id, _links.c.expires_at).where(
                    _links.c.token_hash == token_hash
                )
            ).first()
        return (row[0], float(row[1])) if row else None

    def remove_sender(self, sender_id: str) -> int:
        with self.engine.begin() as db:
            return db.execute(_links.delete().where(_links.c.sender_id == sender_id)).rowcount

    def remove_expired(self, now: float) -> int:
        with self.engine.begin() as db:
            return db.execute(_links.delete().where(_links.c.expires_at < now)).rowcount


class MemoryLinks:
    """Links in process memory, for the in-memory tracker store."""

    def __init__(self) -> None:
        self.rows: dict[str, tuple[str, float]] = {}

    def add(self, token_hash: str, sender_id: str, expires_at: float) -> None:
        self.rows[token_hash] = (sender_id, expires_at)

    def find(self, token_hash: str) -> tuple[str, float] | None:
        return self.rows.get(token_hash)

    def remove_sender(self, sender_id: str) -> int:
        gone = [h for h, (sender, _) in self.rows.items() if sender == sender_id]
        for token_hash in gone:
            del self.rows[token_hash]
        return len(gone)

    def remove_expired(self, now: float) -> int:
        gone = [h for h, (_, expires) in self.rows.items() if expires < now]
        for token_hash in gone:
            del self.rows[token_hash]
        return len(gone)


def _stores_under(tracker_store: Any) -> list[Any]:
    from server.privacy import stores_under

    return stores_under(tracker_store)


def links_for(tracker_store: Any) -> SQLLinks | MemoryLinks | None:
    """The link storage next to `tracker_store` (made once per store), or None."""
    for store in _stores_under(tracker_store):
        links = getattr(store, "_imgcma_calendar_links", None)
        if links is not None:
            return links
        if isinstance(store, SQLTrackerStore):
            links = SQLLinks(store.engine)
        elif isinstance(store, InMemoryTrackerStore):
            links = MemoryLinks()
        else:
            continue
        store._imgcma_calendar_links = links
        return links
    return None


# The Agent's tracker store, set for each message by server/message_guard.py, so the
# action wrapper (which Rasa gives no store) can issue links.
_current_store: list[Any] = [None]


def use_store(tracker_store: Any) -> None:
    _current_store[0] = tracker_store


def issue(tracker_store: Any, sender_id: str, now: float | None = None) -> str | None:
    """A new random token for `sender_id`'s plan, or None when links cannot be stored."""
    links = links_for(tracker_store)
    if links is None:
        return None
    now = time.time() if now is None else now
    token = secrets.token_urlsafe(24)
    links.add(_hash(token), sender_id, now + lifetime_seconds())
    return token


def find(tracker_store: Any, token: str, now: float | None = None) -> Found | None:
    """Whose plan `token` opens, and whether it has expired; None if unknown or revoked."""
    links = links_for(tracker_store)
    if links is None or not token:
        return None
    row = links.find(_hash(token))
    if row is None:
        return None
    now = time.time() if now is None else now
    return Found(sender_id=row[0], expired=row[1] < now)


def revoke(tracker_store: Any, sender_id: str) -> int:
    """Remove every link of `sender_id` ("delete my data"); returns how many."""
    links = links_for(tracker_store)
    return links.remove_sender(sender_id) if links is not None else 0


def fill_events(events: list[Any], sender_id: str) -> list[Any]:
    """`events` with the placeholder token in bot messages replaced (see `fill_links`).

    Both the text and the message's data (the plan picture carries the link for its
    "Add to calendar" button) get the same token, or lose the link together.
    """
    from rasa.shared.core.events import BotUttered

    said = [e for e in events if isinstance(e, BotUttered)]
    blobs = [json.dumps(e.data or {}) for e in said]
    if not any(
        TOKEN_PLACEHOLDER in (e.text or "") + blob for e, blob in zip(said, blobs, strict=True)
    ):
        return events
    # One token per turn: a marker line stands for the data, so fill_links issues once.
    filled = fill_links([e.text for e in said] + [f"{_DATA_MARK}{b}" for b in blobs], sender_id)
    texts, datas = filled[: len(said)], filled[len(said) :]
    out, index = [], 0
    for event in events:
        if isinstance(event, BotUttered):
            text, blob = texts[index], datas[index] or ""
            data = event.data or {}
            if blob.startswith(_DATA_MARK):
                data = json.loads(blob[len(_DATA_MARK) :])
            elif TOKEN_PLACEHOLDER in json.dumps(data):
                data = _without_links(data)  # no token could be stored: drop the link
            if text != event.text or data != (event.data or {}):
                event = BotUttered(text, data, event.metadata, event.timestamp)
            index += 1
        out.append(event)
    return out


_DATA_MARK = "data:"


def _without_links(value: Any) -> Any:
    """`value` with every string that holds the placeholder replaced by None."""
    if isinstance(value, dict):
        return {k: _without_links(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_links(v) for v in value]
    return None if isinstance(value, str) and TOKEN_PLACEHOLDER in value else value


def fill_links(texts: list[str | None], sender_id: str) -> list[str | None]:
    """Texts with the placeholder token replaced by a fresh one (or its line removed)."""
    if not any(t and TOKEN_PLACEHOLDER in t for t in texts):
        return texts
    token = None
    try:
        token = issue(_current_store[0], sender_id)
    except Exception as error:  # a link is a nicety: never cost the user the plan
        logger.error(
            "Could not store a calendar link (%s); sent the plan without it.",
            type(error).__name__,
        )
    if token is None:
        return [_LINE_WITH_PLACEHOLDER.sub("", t) if t else t for t in texts]
    return [t.replace(TOKEN_PLACEHOLDER, token) if t else t for t in texts]
