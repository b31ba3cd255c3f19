"""Read the user messages of every conversation from the tracker store in endpoints.yml.

Supports Rasa's SQL tracker store: SQLite (our default, tracker.db) and
PostgreSQL. Only user events are read; sender ids are never selected.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import yaml

_ENV = re.compile(r"\$\{([^}]+)\}")
# endpoints.yml names our SQL store subclass (server/tracker_store.py); same tables.
SQL_CLASS = "server.tracker_store.FastSQLTrackerStore"
QUERY = "SELECT data FROM events WHERE type_name = 'user' ORDER BY id"


def _expand(value: object) -> object:
    """`${VAR}` from the environment, as Rasa does in endpoints.yml."""
    if isinstance(value, str):
        return _ENV.sub(lambda m: os.environ.get(m.group(1), ""), value)
    return value


def tracker_config(endpoints: Path) -> dict:
    data = yaml.safe_load(endpoints.read_text(encoding="utf-8")) or {}
    config = {k: _expand(v) for k, v in (data.get("tracker_store") or {}).items()}
    if not config:
        raise ValueError(f"{endpoints} has no tracker_store: conversations are not kept")
    return config


def user_events(endpoints: Path, root: Path) -> Iterator[dict]:
    """Every stored user event (as a dict), oldest first."""
    return stored_events(endpoints, root, QUERY)


def stored_events(endpoints: Path, root: Path, query: str) -> Iterator[dict]:
    """The stored events `query` selects (one `data` column), as dicts."""
    config = tracker_config(endpoints)
    kind = str(config.get("type", "")).lower()
    dialect = str(config.get("dialect", "sqlite")).lower()
    if kind not in ("sql", "rasa.core.tracker_store.sqltrackerstore", SQL_CLASS.lower()):
        raise ValueError(
            f"tracker store type {config.get('type')!r}: `make review` reads SQL tracker "
            "stores (SQLite or PostgreSQL)"
        )
    if dialect == "sqlite":
        db = Path(str(config.get("db") or "rasa.db"))
        db = db if db.is_absolute() else root / db
        if not db.exists():
            raise FileNotFoundError(f"no conversations yet: {db} does not exist")
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
            for (data,) in connection.execute(query):
                yield json.loads(data)
    elif dialect.startswith("postgres"):
        import psycopg2

        connection = psycopg2.connect(
            host=config.get("url") or "localhost",
            port=int(config.get("port") or 5432),
            dbname=config.get("db") or "rasa",
            user=config.get("username") or None,
            password=config.get("password") or None,
        )
        try:
            with connection.cursor() as cursor:
                cursor.execute(query)
                for (data,) in cursor:
                    yield json.loads(data)
        finally:
            connection.close()
    else:
        raise ValueError(f"tracker store dialect {dialect!r} is not supported by `make review`")
