"""SQLite tracker stores write-ahead (WAL) with synchronous=NORMAL instead of a full fsync per turn.

Why: in SQLite's default rollback-journal mode every saved turn syncs the
journal and the database file to disk; py-spy showed those commits at ~16% of
the server's time under load. In WAL mode with synchronous=NORMAL a commit is
an append to the log, and nothing is lost when the server stops or crashes
(only an operating-system crash or power cut can lose the last commits). The
journal mode stays set in the database file; synchronous is set on every new
connection. PostgreSQL (the scale-out profile) is untouched.

Used by `server.tracker_store.FastSQLTrackerStore` (named in endpoints.yml); no patch.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine


def _pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def enable_wal(engine: Engine) -> None:
    """WAL and synchronous=NORMAL on every connection of a file-backed SQLite engine."""
    if engine.dialect.name == "sqlite" and engine.url.database not in (None, ""):
        event.listen(engine, "connect", _pragmas)
        # Connections the pool already holds (none with NullPool) get it now.
        engine.dispose()
