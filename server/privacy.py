"""Delete a user's conversation, and conversations older than a retention period.

Rasa 3.6 has no delete in its tracker store API, so we reach the store under
Rasa's wrappers (FailSafeTrackerStore, AwaitableTrackerStore) and delete rows
(SQLite and PostgreSQL via SQLAlchemy), keys (Redis) or entries (in memory),
and the conversation's calendar links (server/calendar_tokens.py).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from rasa.core.tracker_store import InMemoryTrackerStore, RedisTrackerStore, SQLTrackerStore

logger = logging.getLogger(__name__)


def stores_under(tracker_store: Any) -> list[Any]:
    """The store and every store it wraps, outermost first (fallbacks included)."""
    found: list[Any] = []
    pending = [tracker_store]
    while pending:
        store = pending.pop(0)
        if store is None or any(store is seen for seen in found):
            continue
        found.append(store)
        pending.append(getattr(store, "_tracker_store", None))
        pending.append(getattr(store, "_fallback_tracker_store", None))
    return found


def delete_conversation(tracker_store: Any, sender_id: str) -> int:
    """Remove every stored event of `sender_id`; returns how many stores held it.

    Raises TypeError when the store is of a kind we do not know how to delete
    from, so a user is never told "deleted" when nothing was.
    """
    known = 0
    deleted_from = 0
    for store in stores_under(tracker_store):
        if isinstance(store, SQLTrackerStore):
            known += 1
            with store.session_scope() as session:
                rows = (
                    session.query(store.SQLEvent)
                    .filter(store.SQLEvent.sender_id == sender_id)
                    .delete(synchronize_session=False)
                )
                session.commit()
            deleted_from += rows > 0
        elif isinstance(store, RedisTrackerStore):
            known += 1
            deleted_from += int(store.red.delete(store.key_prefix + sender_id))
        elif isinstance(store, InMemoryTrackerStore):
            known += 1
            deleted_from += store.store.pop(sender_id, None) is not None
    if not known:
        raise TypeError(f"cannot delete conversations from {type(tracker_store).__name__}")
    # Its calendar links stop working too (server/calendar_tokens.py).
    from server import calendar_tokens

    calendar_tokens.revoke(tracker_store, sender_id)
    return deleted_from


def purge_older_than(tracker_store: Any, days: float, *, dry_run: bool = False) -> int:
    """Delete conversations whose latest event is older than `days`; returns how many.

    SQL stores only (the project's default, SQLite, and PostgreSQL); Redis
    stores expire conversations themselves via the `record_exp` setting.
    """
    cutoff = time.time() - days * 86400
    purged = 0
    sql_stores = [s for s in stores_under(tracker_store) if isinstance(s, SQLTrackerStore)]
    if not sql_stores:
        raise TypeError("retention purging needs an SQL tracker store (see docs/security.md)")
    import sqlalchemy as sa

    for store in sql_stores:
        event = store.SQLEvent
        with store.session_scope() as session:
            old = (
                session.query(event.sender_id)
                .group_by(event.sender_id)
                .having(sa.func.max(event.timestamp) < cutoff)
            )
            senders = [sender for (sender,) in old.all()]
            if senders and not dry_run:
                for start in range(0, len(senders), 500):
                    chunk = senders[start : start + 500]
                    session.query(event).filter(event.sender_id.in_(chunk)).delete(
                        synchronize_session=False
                    )
                session.commit()
            purged += len(senders)
        if not dry_run:
            from server import calendar_tokens

            for sender in senders:
                calendar_tokens.revoke(store, sender)
            links = calendar_tokens.links_for(store)
            if links is not None:
                links.remove_expired(time.time())
    return purged
