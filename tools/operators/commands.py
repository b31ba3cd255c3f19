"""The operator commands: what `python -m tools.operators <command>` does.

Each command's steps live in their own module: add_topic.py, retraining.py,
review_commands.py; console.py holds what they share.
"""

from __future__ import annotations

import argparse
import datetime as dt

from tools.operators import releases
from tools.operators.add_topic import add_topic
from tools.operators.console import EXIT_DATA, ROOT, default_url, say
from tools.operators.gate import DEV_MARGIN, F1_MARGIN
from tools.operators.retraining import check_data, load_if_running, retrain
from tools.operators.review import LOW_CONFIDENCE
from tools.operators.review_commands import export_review, import_labels

__all__ = ["DEV_MARGIN", "F1_MARGIN", "LOW_CONFIDENCE", "default_url", "run"]


def rollback(args: argparse.Namespace) -> int:
    layout = releases.Layout(ROOT)
    try:
        new, old = releases.swap_back(layout)
    except LookupError as exc:
        say(f"Cannot roll back: {exc}.")
        return 1
    say(f"Rolled back: serving {new.name} again (was {old.name}).")
    swapped = load_if_running(args, new)
    card = releases.write_card(
        layout,
        {
            "action": "rollback",
            "model": new.name,
            "replaces": old.name,
            "changes": "rolled back to the previous model",
            "served_by_running_bot": swapped,
        },
    )
    say(
        f"Model card: {card.relative_to(ROOT)}. The training data is unchanged: undo the "
        "topic's files (git) before the next retrain if it should go for good."
    )
    return 0


def status() -> int:
    layout = releases.Layout(ROOT)
    for name in ("current", "previous"):
        model = releases.read_pointer(layout, name)
        say(f"{name:9} {model.relative_to(ROOT) if model else '-'}")
    return 0


def run(args: argparse.Namespace) -> int:
    if args.command == "add-topic":
        return add_topic(args)
    if args.command == "check":
        return 0 if check_data() else EXIT_DATA
    if args.command == "retrain":
        if not check_data():
            return EXIT_DATA
        return retrain(args, "retrained on the current data (" + dt.date.today().isoformat() + ")")
    if args.command == "rollback":
        return rollback(args)
    if args.command == "status":
        return status()
    if args.command == "review":
        return export_review(args)
    if args.command == "import-labels":
        return import_labels(args)
    raise SystemExit(f"unknown command {args.command}")
