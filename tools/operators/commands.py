"""The operator commands: what `python -m tools.operators <command>` does."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import time
from pathlib import Path

import yaml

from tools.operators import checks, labels, releases, review, writer
from tools.operators.gate import DEV_MARGIN, F1_MARGIN, judge
from tools.operators.live_steps import Resolution
from tools.operators.review import LOW_CONFIDENCE
from tools.operators.topic_file import Topic, TopicFileError, parse_topic
from tools.operators.topic_gate import judge_topic, too_few_examples

__all__ = ["DEV_MARGIN", "F1_MARGIN", "LOW_CONFIDENCE", "run"]

ROOT = Path(__file__).resolve().parents[2]
GUIDE = Path(
    os.environ.get("IMGCMA_GUIDE", ROOT.parent / "shared" / "guide" / "img-to-cma-guide.txt")
)
EXIT_DATA, EXIT_REFUSED = 2, 3
LOUD_WARNING = (
    "!!! WARNING (--force): `{topic}` scored below what the gate asks of a new topic; "
    "promoted anyway. Users will get other answers for many of its questions. !!!"
)


def say(message: str = "") -> None:
    print(message, flush=True)


def _shown(path: Path) -> str:
    """A path relative to the project when it is inside it, else as it is."""
    try:
        return str(path.resolve().relative_to(ROOT.resolve()))
    except ValueError:
        return str(path)


def default_url() -> str:
    return os.environ.get("RASA_URL", "http://localhost:5005")


def _intents() -> set[str]:
    return set(yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["intents"])


def check_data(focus: set[str] | None = None, rasa: bool = True) -> bool:
    """Our checks and (`rasa`) `rasa data validate`; prints every problem with file and line."""
    from tools.operators import pipeline

    say("Checking the training data ...")
    if not GUIDE.exists():
        say(f"warning: guide not found at {GUIDE} (set IMGCMA_GUIDE): sources not verified")
    problems = checks.check_project(ROOT, GUIDE)
    for problem in problems:
        say(f"  PROBLEM {problem}")
    if problems:
        say(f"{len(problems)} problem(s): fix them, then try again.")
        return False
    if not rasa:
        return True
    say("Running `rasa data validate` (about a minute) ...")
    ok, output = pipeline.rasa_validate(ROOT)
    if not ok:
        say("  PROBLEM rasa data validate failed:")
        for line in output.splitlines():
            say(f"    {line}")
    elif focus:
        for line in output.splitlines():
            if any(name in line for name in focus):
                say(f"  warning: {line}")
    if not ok:
        say("Fix the problems above, then try again.")
        return False
    say("  data OK")
    return True


def resolve_baseline(args: argparse.Namespace, candidate: Path) -> Path | None:
    """The model in service: --baseline, else what the running bot serves, else models/current."""
    layout = releases.Layout(ROOT)
    if args.baseline:
        return Path(args.baseline).resolve()
    token = args.token or os.environ.get("RASA_AUTH_TOKEN", "")
    name = releases.server_model(args.rasa_url, token) if token else None
    if name:
        for folder in (layout.releases, layout.models):
            if (folder / Path(name).name).is_file():
                say(f"Model in service (running bot at {args.rasa_url}): {Path(name).name}")
                return folder / Path(name).name
    current = releases.read_pointer(layout)
    if current:
        say(f"Model in service (models/current): {current.name}")
        return current
    trained = sorted(
        (p for p in layout.models.glob("imgcma-*.tar.gz") if p != candidate),
        key=lambda p: p.stat().st_mtime,
    )
    if trained:
        say(f"Model in service (newest trained model): {trained[-1].name}")
        return trained[-1]
    return None


def retrain(args: argparse.Namespace, changes: str, new_topic: str | None = None) -> int:
    """Train, evaluate against the model in service, promote if nothing got worse.

    With `new_topic`, the topic's own held-out score must pass too (topic_gate.py).
    """
    from tools.operators import pipeline

    timings: dict[str, float] = {}
    started = time.monotonic()
    candidate_path = pipeline.train_if_needed.model_path(ROOT)
    baseline = resolve_baseline(args, candidate_path)
    candidate, timings["training"] = pipeline.train_candidate(ROOT)
    if baseline is not None and baseline.name.startswith(candidate.name.removesuffix(".tar.gz")):
        say("The model in service was trained on this very data: nothing to promote.")
        return 0
    questions = pipeline.heldout_questions(ROOT)
    dev_cases = None if args.no_dev else pipeline.EVAL_DIR / "dev_cases.yml"
    if dev_cases is not None and not dev_cases.exists():
        say(f"warning: no dev cases at {dev_cases}; comparing held-out F1 only")
        dev_cases = None
    t = time.monotonic()
    new = pipeline.evaluate_model(candidate, questions, dev_cases)
    old = pipeline.evaluate_model(baseline, questions, dev_cases) if baseline else None
    timings["evaluation"] = time.monotonic() - t
    if old is None:
        say("No model in service to compare with: this first model is judged on its own.")
    verdict = judge(
        old.predictions if old else [],
        new.predictions,
        set(old.intents) if old else set(),
        old.dev if old else None,
        new.dev,
        f1_margin=args.f1_margin,
        dev_margin=args.dev_margin,
    )
    if new_topic:
        verdict.lines = [line for line in verdict.lines if not line.startswith("NEW ")]
        topic_verdict = judge_topic(new_topic, new.predictions)
        verdict.lines[-1:-1] = topic_verdict.lines
        if not topic_verdict.ok and getattr(args, "force", False):
            verdict.lines.insert(-1, LOUD_WARNING.format(topic=new_topic))
        elif not topic_verdict.ok:
            verdict.promote = False
            verdict.lines[-1] = f"REFUSED: the new topic `{new_topic}` scored too low"
    say("")
    say(f"Evaluation: {candidate.name} against {baseline.name if baseline else 'nothing'}")
    for line in verdict.lines:
        say(f"  {line}")
    pipeline.WORK.mkdir(parents=True, exist_ok=True)
    report = pipeline.WORK / f"gate-{releases.stamp()}.txt"
    report.write_text("\n".join(verdict.lines) + "\n", encoding="utf-8")
    say(f"  (report saved in {report.relative_to(ROOT)})")
    if not verdict.promote:
        say("Not promoted: the bot keeps its current model.")
        return EXIT_REFUSED
    if args.no_promote:
        say("Passed the gate (--no-promote: not promoted).")
        return 0
    layout = releases.Layout(ROOT)
    if releases.read_pointer(layout) is None and baseline is not None:
        # The first promotion keeps the model it replaces, so rollback has somewhere to go.
        releases.set_current(layout, releases.release(layout, baseline))
    promoted = releases.release(layout, candidate)
    old_current = releases.set_current(layout, promoted)
    releases.prune_releases(layout)
    swapped = _load_if_running(args, promoted)
    timings["total"] = time.monotonic() - started
    card = releases.write_card(
        layout,
        {
            "action": "promotion",
            "model": promoted.name,
            "replaces": (old_current or baseline).name if (old_current or baseline) else None,
            "changes": changes,
            "data": pipeline.data_size(ROOT),
            "timings": timings,
            "gate": verdict.lines,
            "scores": verdict.scores,
            "dev_pass_rate": (
                round(sum(r["passed"] for r in new.dev) / len(new.dev), 4) if new.dev else None
            ),
            "served_by_running_bot": swapped,
        },
    )
    say(f"Promoted {promoted.name} (model card: {card.relative_to(ROOT)}).")
    from tools.operators import live

    for name in live.retire_trained(_intents()):
        say(f"  live entry `{name}` retired: the promoted model was trained on it and wins")
    say("`make rollback` brings the previous model back.")
    return 0


def _load_if_running(args: argparse.Namespace, model: Path) -> bool:
    token = args.token or os.environ.get("RASA_AUTH_TOKEN", "")
    if not token or releases.server_model(args.rasa_url, token) is None:
        say(
            f"No running bot answered at {args.rasa_url} with the token; `make run` will "
            "serve the promoted model."
        )
        return False
    say(f"Loading it into the running bot at {args.rasa_url} (it keeps answering) ...")
    t = time.monotonic()
    releases.load_into_server(args.rasa_url, token, model)
    say(f"  swapped in {time.monotonic() - t:.0f} s")
    return True


def add_topic(args: argparse.Namespace) -> int:
    """Check, list conflicts, make it live, retrain in the background, gate, promote or withdraw."""
    from tools.operators import live, live_steps

    path = Path(args.file)
    try:
        topic = parse_topic(path, _intents())
    except TopicFileError as exc:
        say(f"The topic file {path} cannot be used yet:")
        for problem in exc.problems:
            say(f"  PROBLEM {path}: {problem}")
        return EXIT_DATA
    started = time.monotonic()
    saved, train, test = writer.write_topic(ROOT, topic)
    say(f"Added topic `{topic.name}`: {len(train)} training examples, {len(test)} held out")
    for name in writer.files_touched(topic):
        if (ROOT / name).exists():
            say(f"  wrote {name}")
    focus = {topic.name, f"utter_{topic.name}"}
    if not check_data(focus, rasa=False):
        writer.restore(saved)
        say("The topic was taken out again (your topic file is unchanged).")
        return EXIT_DATA
    if few := too_few_examples(len(topic.examples)):
        for line in few:
            say(("!!! WARNING (--force): " if args.force else "") + line)
        if not args.force:
            writer.restore(saved)
            say("The topic was taken out again (your topic file is unchanged).")
            return EXIT_DATA
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
    # Live first (the topic file is checked already); the slower data checks follow.
    if not args.no_live:
        _go_live(args, topic, resolution, started)
    if not check_data(focus):
        writer.restore(saved)
        live.withdraw(topic.name)
        say("The topic was taken out of the data and the live bot (your file is unchanged).")
        return EXIT_DATA
    if args.no_train:
        say("Next: `make retrain` trains, evaluates and promotes the new model.")
        return 0
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
    else:
        say(f"Done in {time.monotonic() - started:.0f} s.")
    return code


def _go_live(
    args: argparse.Namespace, topic: Topic, resolution: Resolution, started: float
) -> None:
    from tools.operators import live

    examples = topic.examples + [e.text for e in resolution.moved]
    entry = live.make_topic_live(topic, examples, resolution.retract, ROOT)
    say(f"Live: wrote {_shown(entry)}; the running bot picks it up within a second or two.")
    token = args.token or os.environ.get("RASA_AUTH_TOKEN", "")
    seconds = live.wait_live(args.rasa_url, token, topic.examples[0], topic.name) if token else None
    if seconds is not None:
        total = time.monotonic() - started
        say(f"  the bot at {args.rasa_url} answers `{topic.name}` now ({total:.0f} s after start)")
    else:
        say(f"  (no running bot with the token at {args.rasa_url} confirmed it; `make run`")
        say("  serves live topics too)")


def rollback(args: argparse.Namespace) -> int:
    layout = releases.Layout(ROOT)
    try:
        new, old = releases.swap_back(layout)
    except LookupError as exc:
        say(f"Cannot roll back: {exc}.")
        return 1
    say(f"Rolled back: serving {new.name} again (was {old.name}).")
    swapped = _load_if_running(args, new)
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
    say(f"Wrote {_shown(out)}. Fill in the `intent` column (an existing intent, a new")
    say("topic name, or leave it empty to skip), then: make import-labels FILE=" + args.out)
    return 0


def import_labels(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        rows = labels.read_labels(path)
    except (OSError, ValueError) as exc:
        say(f"Cannot read {path}: {exc}")
        return EXIT_DATA
    report = labels.plan_import(rows, labels.known_examples(ROOT), _intents())
    written = labels.apply_import(ROOT, report, ROOT / "topics" / "drafts")
    for line in report.lines():
        say(f"  {line}")
    for file in written:
        say(f"  wrote {_shown(file)}")
    if not report.changed:
        return 0
    from tools.operators import live

    entry = live.make_examples_live(dict(report.added), ROOT) if report.added else None
    if entry:
        say("Live: the relabelled questions are answered now, within a second or two of")
        say(f"  writing {_shown(entry)}; the retrain makes them part of the model.")
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
