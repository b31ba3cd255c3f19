"""Read a conversation back from the SQL tracker store as JSON rows, not ORM objects.

Why: Rasa 3.6's `SQLTrackerStore._retrieve` loads every event of the session
as a full SQLAlchemy ORM instance (identity map, instrumentation) only to read
its `data` column. py-spy put that at 17% of the server's time in a 300-turn
conversation. We run the same query (same filters, same `ORDER BY id`) for
the `data` column alone; the tracker built from it is the same.

Used by `server.tracker_store.FastSQLTrackerStore` (named in endpoints.yml); no patch.
"""

from __future__ import annotations

import json
import logging

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)


def retrieve_rows(
    store: SQLTrackerStore, sender_id: str, fetch_events_from_all_sessions: bool
) -> DialogueStateTracker | None:
    """What `SQLTrackerStore._retrieve` returns, read from the `data` column alone."""
    with store.session_scope() as session:
        rows = (
            store._event_query(
                session,
                sender_id,
                fetch_events_from_all_sessions=fetch_events_from_all_sessions,
            )
            .with_entities(store.SQLEvent.data)
            .all()
        )
        events = [json.loads(data) for (data,) in rows]
    if store.domain and events:
        return DialogueStateTracker.from_dict(sender_id, events, store.domain.slots)
    logger.debug("No tracker for this sender in SQL storage.")
    return None
