"""Delete conversations older than a retention period from the tracker store.

    make purge-conversations DAYS=30            # or RETENTION_DAYS=30
    .venv/bin/python -m tools.deploy.purge_conversations --days 30 --dry-run

Reads the tracker store from endpoints.yml (SQLite or PostgreSQL). A
conversation is purged when its newest event is older than the period, so
active users keep their history. Run it daily, e.g. from cron.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--days",
        type=float,
        default=float(os.environ.get("RETENTION_DAYS") or 0) or None,
        help="retention period in days (default: $RETENTION_DAYS)",
    )
    parser.add_argument("--endpoints", type=Path, default=ROOT / "endpoints.yml")
    parser.add_argument("--dry-run", action="store_true", help="only count what would go")
    args = parser.parse_args(argv)
    if not args.days or args.days <= 0:
        parser.error("give --days N (or set RETENTION_DAYS) with N > 0")

    from rasa.core.tracker_store import TrackerStore
    from rasa.utils.endpoints import read_endpoint_config

    from server.privacy import purge_older_than

    config = read_endpoint_config(str(args.endpoints), "tracker_store")
    store = TrackerStore.create(config)
    try:
        count = purge_older_than(store, args.days, dry_run=args.dry_run)
    except TypeError as error:
        print(f"Cannot purge: {error}", file=sys.stderr)
        return 1
    verb = "would delete" if args.dry_run else "deleted"
    print(f"Retention {args.days:g} days: {verb} {count} conversation(s).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
