"""The project's tracker store: Rasa's SQL store, faster (endpoints.yml `type:`).

    tracker_store:
      type: server.tracker_store.FastSQLTrackerStore
      dialect: "sqlite"          # or postgresql; same settings as Rasa's `type: SQL`
      db: "tracker.db"

Rasa creates stores named by a module path itself (`rasa.core.tracker_store.
_load_from_module_name_in_endpoint_config`), so nothing in Rasa is patched:
- SQLite files run in WAL mode (`server/sqlite_wal.py`);
- a conversation is read back from the `data` column alone
  (`server/sql_tracker_read.py`);
- the latest session is read with two indexed lookups: first the latest
  `session_started` timestamp, then the events from it on. Rasa's own query puts
  both in one `OR` with a subquery, which SQLite answers by walking every row
  of the conversation (all sessions), twice a turn (read, and the count before
  a save): long conversations slowed down turn by turn although the session
  cap (server/session_rollover.py) bounds what each turn loads.
It is still an `SQLTrackerStore`: deletion and retention purging
(`server/privacy.py`) work on it unchanged.
"""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker

from server.sql_tracker_read import retrieve_rows
from server.sqlite_wal import enable_wal

logger = logging.getLogger(__name__)
# (name, columns): the latest session start, and the events from a timestamp on.
INDEXES = (
    ("imgcma_events_sender_type_time", "sender_id, type_name, timestamp"),
    ("imgcma_events_sender_time", "sender_id, timestamp"),
)


class FastSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        enable_wal(self.engine)
        table = self.SQLEvent.__tablename__
        for name, columns in INDEXES:
            try:
                with self.engine.begin() as connection:
                    connection.execute(
                        sa.text(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})")
                    )
            except sa.exc.SQLAlchemyError as error:
                # Two replicas starting together may race to create it; one of them wins.
                logger.warning("Could not create index %s (%s).", name, type(error).__name__)

    def _event_query(
        self, session: Any, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> Any:
        """Rasa's query (events from the latest `session_started` timestamp on, by id),
        with the session start looked up first so both steps use an index."""
        query = session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == sender_id)
        if not fetch_events_from_all_sessions:
            start = (
                session.query(sa.func.max(self.SQLEvent.timestamp))
                .filter(
                    self.SQLEvent.sender_id == sender_id,
                    self.SQLEvent.type_name == SessionStarted.type_name,
                )
                .scalar()
            )
            if start is not None:
                query = query.filter(self.SQLEvent.timestamp >= start)
        return query.order_by(self.SQLEvent.id)

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        return retrieve_rows(self, sender_id, fetch_events_from_all_sessions)
