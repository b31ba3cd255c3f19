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
- an index on (sender_id, type_name, id): every read and save asks for the
  conversation's latest `session_started`, which otherwise scans all of the
  conversation's rows, so long conversations slowed down turn by turn.
It is still an `SQLTrackerStore`: deletion and retention purging
(`server/privacy.py`) work on it unchanged.
"""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker

from server.sql_tracker_read import retrieve_rows
from server.sqlite_wal import enable_wal

logger = logging.getLogger(__name__)
SESSION_INDEX = "imgcma_events_sender_type_id"


class FastSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        enable_wal(self.engine)
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    sa.text(
                        f"CREATE INDEX IF NOT EXISTS {SESSION_INDEX} "
                        f"ON {self.SQLEvent.__tablename__} (sender_id, type_name, id)"
                    )
                )
        except sa.exc.SQLAlchemyError as error:
            # Two replicas starting together may race to create it; one of them wins.
            logger.warning("Could not create the session index (%s).", type(error).__name__)

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        return retrieve_rows(self, sender_id, fetch_events_from_all_sessions)
