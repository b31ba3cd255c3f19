"""Atomic ticket updates in Rasa's Redis lock store, so replicas cannot race on a conversation.

Why: Rasa 3.6's `RedisLockStore` changes a conversation's ticket queue by
reading it (GET), editing it in Python and writing it back (SET). When two
replicas take a ticket for the same conversation at the same moment, both can
write ticket 1 and run the turn together, or one's clean-up deletes the queue
the other has just joined, and that message fails with "Could not acquire lock"
(tests/scaleout saw it on a loaded machine). Here each change is one Redis
transaction (WATCH, MULTI, EXEC), retried when another replica changed the key
in between. The data in Redis is the same, so replicas with and without this
class read each other's tickets.

Configured in configs/endpoints.scaleout.yml (Rasa creates lock stores named by
a module path itself; nothing in Rasa is patched):

    lock_store:
      type: server.redis_lock.LockStore
      url: ...              # the same settings as Rasa's `type: redis`
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

import redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

# Another replica changed the queue between our read and write: read again. Each
# retry means someone else made progress, so this bound is only a safety net.
MAX_ATTEMPTS = 100
KEEP = object()  # "leave the key as it is"

Result = TypeVar("Result")
Edit = Callable[[TicketLock | None], tuple[object, Result]]


def change(store: RedisLockStore, conversation_id: str, edit: Edit[Result]) -> Result:
    """Apply `edit` to the stored lock atomically.

    `edit` gets the lock (None if there is none) and returns what to store (a
    TicketLock, None to delete the key, or KEEP) and the value to return.
    """
    key = store.key_prefix + conversation_id
    with store.red.pipeline() as pipe:
        for _ in range(MAX_ATTEMPTS):
            try:
                pipe.watch(key)
                raw = pipe.get(key)
                lock = TicketLock.from_dict(json.loads(raw)) if raw else None
                outcome, result = edit(lock)
                if outcome is KEEP:
                    pipe.unwatch()
                    return result
                pipe.multi()
                if outcome is None:
                    pipe.delete(key)
                else:
                    pipe.set(key, outcome.dumps())  # type: ignore[attr-defined]
                pipe.execute()
                return result
            except redis.WatchError:
                continue
    raise LockError(f"The lock for conversation '{conversation_id}' kept changing; gave up.")


def issue_ticket(
    self: RedisLockStore, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME
) -> int:
    def edit(lock: TicketLock | None) -> tuple[object, int]:
        lock = lock or TicketLock(conversation_id)
        return lock, lock.issue_ticket(lock_lifetime)

    try:
        return change(self, conversation_id, edit)
    except Exception as error:  # as stock Rasa: every failure here is a LockError
        raise LockError(f"Error while acquiring lock. Error:\n{error}") from error


def _edit_existing(
    store: RedisLockStore,
    conversation_id: str,
    mutate: Callable[[TicketLock], None],
    delete_when_empty: bool = False,
) -> None:
    """Change the stored lock, if there is one, in one transaction."""

    def edit(lock: TicketLock | None) -> tuple[object, None]:
        if lock is None:
            return KEEP, None
        mutate(lock)
        if delete_when_empty and not lock.is_someone_waiting():
            return None, None
        return lock, None

    change(store, conversation_id, edit)


def update_lock(self: RedisLockStore, conversation_id: str) -> None:
    _edit_existing(self, conversation_id, TicketLock.remove_expired_tickets)


def finish_serving(self: RedisLockStore, conversation_id: str, ticket_number: int) -> None:
    _edit_existing(self, conversation_id, lambda lock: lock.remove_ticket_for(ticket_number))


def cleanup(self: RedisLockStore, conversation_id: str, ticket_number: int) -> None:
    """Give the ticket back; delete the queue only if nobody joined it meanwhile."""
    _edit_existing(
        self,
        conversation_id,
        lambda lock: lock.remove_ticket_for(ticket_number),
        delete_when_empty=True,
    )


class LockStore(RedisLockStore):
    """Rasa's Redis lock store with each ticket-queue change one transaction."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        # Rasa hands a store named by module path its endpoint config; tests pass kwargs.
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url, **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)

    issue_ticket = issue_ticket
    update_lock = update_lock
    finish_serving = finish_serving
    cleanup = cleanup
