"""`add-topic`: check a topic file, list conflicts, answer it live, retrain, promote or withdraw."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from tools.operators import writer
from tools.operators.console import EXIT_DATA, EXIT_REFUSED, ROOT, intents, say, shown, token_of
from tools.operators.live_steps import Resolution
from tools.operators.retraining import check_data, retrain
from tools.operators.topic_file import Topic, TopicFileError, parse_topic
from tools.operators.topic_gate import too_few_examples
from tools.operators.writer import Snapshot

TAKEN_OUT = "The topic was taken out again (your topic file is unchanged)."


def add_topic(args: argparse.Namespace) -> int:
    """Check, list conflicts, make it live, retrain in the background, gate, promote or withdraw."""
    from tools.operators import live

    path = Path(args.file)
    topic = _parse(path)
    if topic is None:
        return EXIT_DATA
    started = time.monotonic()
    saved = _write_and_check(args, topic)
    if saved is None:
        return EXIT_DATA
    resolution, saved = _resolve_conflicts(args, topic, saved)
    # Live first (the topic file is checked already); the slower data checks follow.
    if not args.no_live:
        _go_live(args, topic, resolution, started)
    if not check_data({topic.name, f"utter_{topic.name}"}):
        writer.restore(saved)
        live.withdraw(topic.name)
        say("The topic was taken out of the data and the live bot (your file is unchanged).")
        return EXIT_DATA
    if args.no_train:
        say("Next: `make retrain` trains, evaluates and promotes the new model.")
        return 0
    code = _retrain_or_withdraw(args, topic, path, saved)
    if code != EXIT_REFUSED:
        say(f"Done in {time.monotonic() - started:.0f} s.")
    return code


def _parse(path: Path) -> Topic | None:
    """The topic in the file, or None after naming every problem with it."""
    try:
        return parse_topic(path, intents())
    except TopicFileError as exc:
        say(f"The topic file {path} cannot be used yet:")
        for problem in exc.problems:
            say(f"  PROBLEM {path}: {problem}")
        return None


def _write_and_check(args: argparse.Namespace, topic: Topic) -> Snapshot | None:
    """Write the topic into the data and run our checks: the saved files, or None (restored)."""
    saved, train, test = writer.write_topic(ROOT, topic)
    say(f"Added topic `{topic.name}`: {len(train)} training examples, {len(test)} held out")
    for name in writer.files_touched(topic):
        if (ROOT / name).exists():
            say(f"  wrote {name}")
    if not check_data({topic.name, f"utter_{topic.name}"}, rasa=False):
        writer.restore(saved)
        say(TAKEN_OUT)
        return None
    if few := too_few_examples(len(topic.examples)):
        for line in few:
            say(("!!! WARNING (--force): " if args.force else "") + line)
        if not args.force:
            writer.restore(saved)
            say(TAKEN_OUT)
            return None
    return saved


def _resolve_conflicts(
    args: argparse.Namespace, topic: Topic, saved: Snapshot
) -> tuple[Resolution, Snapshot]:
    """Find existing examples that mean the same, settle each, apply: (resolution, saved files)."""
    from tools.operators import live_steps

    say("Looking for existing examples that mean the same (by meaning, every intent) ...")
    try:
        existing, found = live_steps.conflicts_for(ROOT, topic)
        live_steps.show(say, ROOT, topic, existing, found)
        resolution = live_steps.choose(found, existing, args.conflicts, say)
    except BaseException:  # Ctrl-C at a question: leave the data as it was
        writer.restore(saved)
        say("Stopped: the topic was taken out again (your topic file is unchanged).")
        raise
    nlu_file = ROOT / "data" / "nlu" / f"{topic.name}.yml"
    saved = {**live_steps.apply(ROOT, nlu_file, resolution), **saved}
    done = {"moved to the new topic": resolution.moved, "dropped": resolution.dropped}
    for verb, items in {**done, "kept": resolution.kept}.items():
        if items:
            say(f"  {verb}: {len(items)} example(s)")
    return resolution, saved


def _retrain_or_withdraw(
    args: argparse.Namespace, topic: Topic, path: Path, saved: Snapshot
) -> int:
    """Retrain with the topic gated; on refusal or Ctrl-C take it out of the data and live bot."""
    from tools.operators import live

    say("Retraining the full model in the background of the live bot (it keeps answering) ...")
    try:
        code = retrain(args, f"added topic `{topic.name}` from {path.name}", new_topic=topic.name)
    except BaseException:
        writer.restore(saved)
        live.withdraw(topic.name)
        say("Stopped before promotion: the topic was taken out of the data and the live bot.")
        raise
    if code == EXIT_REFUSED:
        writer.restore(saved)
        withdrawn = live.withdraw(topic.name)
        say("The topic was taken out of the data again; change the topic file and retry.")
        if withdrawn:
            say(f"Withdrawn from the live bot: `{topic.name}` is no longer answered")
            say("(the evaluation above says why).")
    return code


def _go_live(
    args: argparse.Namespace, topic: Topic, resolution: Resolution, started: float
) -> None:
    from tools.operators import live

    examples = topic.examples + [e.text for e in resolution.moved]
    entry = live.make_topic_live(topic, examples, resolution.retract, ROOT)
    say(f"Live: wrote {shown(entry)}; the running bot picks it up within a second or two.")
    token = token_of(args)
    seconds = live.wait_live(args.rasa_url, token, topic.examples[0], topic.name) if token else None
    if seconds is not None:
        total = time.monotonic() - started
        say(f"  the bot at {args.rasa_url} answers `{topic.name}` now ({total:.0f} s after start)")
    else:
        say(f"  (no running bot with the token at {args.rasa_url} confirmed it; `make run`")
        say("  serves live topics too)")
