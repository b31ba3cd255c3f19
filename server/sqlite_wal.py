"""SQLite tracker stores write-ahead (WAL) with synchronous=NORMAL instead of a full fsync per turn.

Why: in SQLite's default rollback-journal mode every saved turn syncs the
journal and the database file to disk; py-spy showed those commits at ~16% of
the server's time under load. In WAL mode with synchronous=NORMAL a commit is
an append to the log, and nothing is lost when the server stops or crashes
(only an operating-system crash or power cut can lose the last commits). The
journal mode stays set in the database file; synchronous is set on every new
connection. PostgreSQL (the scale-out profile) is untouched.
"""

from __future__ import annotations

from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from sqlalchemy import event

_INSTALLED = "_imgcma_sqlite_wal"


def _pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def install() -> None:
    """Patch SQLTrackerStore.__init__ (idempotent)."""
    if getattr(SQLTrackerStore.__init__, _INSTALLED, False):
        return
    original = SQLTrackerStore.__init__

    def __init__(self: SQLTrackerStore, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        if self.engine.dialect.name == "sqlite" and self.engine.url.database not in (None, ""):
            event.listen(self.engine, "connect", _pragmas)
            # Connections the pool already holds (none with NullPool) get it now.
            self.engine.dispose()

    setattr(__init__, _INSTALLED, True)
    SQLTrackerStore.__init__ = __init__  # type: ignore[method-assign]
