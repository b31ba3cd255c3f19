"""`review` and `import-labels`: learn from questions the bot handled badly."""

from __future__ import annotations

import argparse
from pathlib import Path

from tools.operators import labels, review
from tools.operators.console import EXIT_DATA, EXIT_REFUSED, GUIDE, ROOT, intents, say, shown
from tools.operators.retraining import check_data, retrain


def export_review(args: argparse.Namespace) -> int:
    from tools.operators import ratings
    from tools.operators.tracker_source import stored_events, user_events

    endpoints = (
        ROOT / args.endpoints if not Path(args.endpoints).is_absolute() else Path(args.endpoints)
    )
    try:
        events = list(user_events(endpoints, ROOT))
        rated = ratings.latest_ratings(stored_events(endpoints, ROOT, ratings.QUERY))
    except (ValueError, FileNotFoundError) as exc:
        say(f"Cannot read the conversations: {exc}")
        return 1
    if not GUIDE.exists():
        say(f"warning: guide not found at {GUIDE} (set IMGCMA_GUIDE): no guide sections")
    guide = GUIDE.read_text(encoding="utf-8") if GUIDE.exists() else ""
    rows = review.review_rows(events, guide, args.low_confidence)
    rated_rows = ratings.rating_rows(rated, guide)
    out = Path(args.out) if Path(args.out).is_absolute() else ROOT / args.out
    review.write_csv(rows + rated_rows, out)
    messages = sum(int(r["count"]) for r in rows)
    say(f"Read {len(events)} user messages; {messages} need review, in {len(rows)} groups.")
    for line in ratings.summary_lines(rated):
        say(line)
    if rated_rows:
        say(f"{len(rated_rows)} row(s) are questions whose answer was rated unhelpful.")
    say(f"Wrote {shown(out)}. Fill in the `intent` column (an existing intent, a new")
    say("topic name, or leave it empty to skip), then: make import-labels FILE=" + args.out)
    return 0


def import_labels(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        rows = labels.read_labels(path)
    except (OSError, ValueError) as exc:
        say(f"Cannot read {path}: {exc}")
        return EXIT_DATA
    report = labels.plan_import(rows, labels.known_examples(ROOT), intents())
    written = labels.apply_import(ROOT, report, ROOT / "topics" / "drafts")
    for line in report.lines():
        say(f"  {line}")
    for file in written:
        say(f"  wrote {shown(file)}")
    if not report.changed:
        return 0
    from tools.operators import live

    entry = live.make_examples_live(dict(report.added), ROOT) if report.added else None
    if entry:
        say("Live: the relabelled questions are answered now, within a second or two of")
        say(f"  writing {shown(entry)}; the retrain makes them part of the model.")
    if args.no_train:
        say("Next: `make retrain` trains, evaluates and promotes the new model.")
        return 0
    if not check_data():
        return EXIT_DATA
    code = retrain(args, f"imported labels from {path.name}")
    if code == EXIT_REFUSED and entry:
        live.withdraw(entry.stem)
        say("Not promoted: the labels stay in the data, but their live entry is withdrawn.")
    return code
