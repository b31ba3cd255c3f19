"""`python -m tools.operators <command>`: teach the bot topics and retrain it safely.

Commands (the Makefile wraps each one):
  add-topic FILE     write a topic file into the data, check, train, evaluate, promote
  check              the data checks alone (ours + `rasa data validate`)
  retrain            train on the current data, evaluate against the model in service, promote
  rollback           serve the previously promoted model again
  status             which model is promoted, and the previous one
  review             export questions the bot handled badly to a CSV to label
  import-labels FILE merge a labelled review CSV into the data, answer it live, retrain
"""

from __future__ import annotations

import argparse
import sys

from tools.operators import commands


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.operators",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def server_args(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--rasa-url",
            default=commands.default_url(),
            help="the running bot (default $RASA_URL or http://localhost:5005)",
        )
        p.add_argument("--token", default=None, help="its auth token (default $RASA_AUTH_TOKEN)")

    def train_args(p: argparse.ArgumentParser) -> None:
        server_args(p)
        p.add_argument("--baseline", help="model to compare with (default: the one in service)")
        p.add_argument("--no-promote", action="store_true", help="evaluate only")
        p.add_argument("--f1-margin", type=float, default=commands.F1_MARGIN)
        p.add_argument("--dev-margin", type=float, default=commands.DEV_MARGIN)
        p.add_argument("--no-dev", action="store_true", help="skip the dev evaluation")

    p = sub.add_parser("add-topic", help="add a topic from a YAML or CSV file")
    p.add_argument("file")
    p.add_argument("--no-train", action="store_true", help="only write and check the data")
    p.add_argument("--no-live", action="store_true", help="do not answer it live before training")
    p.add_argument(
        "--conflicts",
        choices=["ask", "move", "drop", "keep"],
        default=None,
        help="existing examples that mean the same: ask one by one (the default at a "
        "terminal; elsewhere: keep), or the same choice for all",
    )
    p.add_argument("--force", action="store_true", help="promote even a poorly scoring topic")
    train_args(p)
    sub.add_parser("check", help="check the training data")
    p = sub.add_parser("retrain", help="train, evaluate and promote")
    train_args(p)
    p = sub.add_parser("rollback", help="serve the previous model again")
    server_args(p)
    sub.add_parser("status", help="show the promoted and previous models")
    p = sub.add_parser("review", help="export badly handled questions to a CSV")
    p.add_argument("--out", default="results/review.csv")
    p.add_argument("--endpoints", default="endpoints.yml")
    p.add_argument("--low-confidence", type=float, default=commands.LOW_CONFIDENCE)
    p = sub.add_parser("import-labels", help="merge a labelled review CSV into the data")
    p.add_argument("file")
    p.add_argument("--no-train", action="store_true", help="only import and make them live")
    train_args(p)
    args = parser.parse_args(argv)
    try:
        return commands.run(args)
    except KeyboardInterrupt:
        print("\nStopped.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
