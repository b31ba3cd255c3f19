"""Retraining: check the data, train, evaluate against the model in service, promote or refuse."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import TYPE_CHECKING

from tools.operators import checks, releases
from tools.operators.console import EXIT_REFUSED, GUIDE, ROOT, intents, say, token_of
from tools.operators.gate import Verdict, judge
from tools.operators.topic_gate import judge_topic

if TYPE_CHECKING:
    from tools.operators.pipeline import Evaluation

LOUD_WARNING = (
    "!!! WARNING (--force): `{topic}` scored below what the gate asks of a new topic; "
    "promoted anyway. Users will get other answers for many of its questions. !!!"
)


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
    token = token_of(args)
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
    t = time.monotonic()
    new, verdict = _evaluate(args, candidate, baseline)
    timings["evaluation"] = time.monotonic() - t
    if new_topic:
        _judge_new_topic(verdict, new_topic, new, getattr(args, "force", False))
    _report(verdict, candidate, baseline)
    if not verdict.promote:
        say("Not promoted: the bot keeps its current model.")
        return EXIT_REFUSED
    if args.no_promote:
        say("Passed the gate (--no-promote: not promoted).")
        return 0
    _promote(args, candidate, baseline, changes, verdict, new, timings, started)
    return 0


def _evaluate(
    args: argparse.Namespace, candidate: Path, baseline: Path | None
) -> tuple[Evaluation, Verdict]:
    """Evaluate both models on the same questions and judge the candidate against the baseline."""
    from tools.operators import pipeline

    questions = pipeline.heldout_questions(ROOT)
    dev_cases = None if args.no_dev else pipeline.EVAL_DIR / "dev_cases.yml"
    if dev_cases is not None and not dev_cases.exists():
        say(f"warning: no dev cases at {dev_cases}; comparing held-out F1 only")
        dev_cases = None
    new = pipeline.evaluate_model(candidate, questions, dev_cases)
    old = pipeline.evaluate_model(baseline, questions, dev_cases) if baseline else None
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
    return new, verdict


def _judge_new_topic(verdict: Verdict, new_topic: str, new: Evaluation, force: bool) -> None:
    """Replace the gate's NEW lines with the new topic's own verdict; refuse it unless forced."""
    verdict.lines = [line for line in verdict.lines if not line.startswith("NEW ")]
    topic_verdict = judge_topic(new_topic, new.predictions)
    verdict.lines[-1:-1] = topic_verdict.lines
    if not topic_verdict.ok and force:
        verdict.lines.insert(-1, LOUD_WARNING.format(topic=new_topic))
    elif not topic_verdict.ok:
        verdict.promote = False
        verdict.lines[-1] = f"REFUSED: the new topic `{new_topic}` scored too low"


def _report(verdict: Verdict, candidate: Path, baseline: Path | None) -> None:
    """Show the verdict and save it under the pipeline's work folder."""
    from tools.operators import pipeline

    say("")
    say(f"Evaluation: {candidate.name} against {baseline.name if baseline else 'nothing'}")
    for line in verdict.lines:
        say(f"  {line}")
    pipeline.WORK.mkdir(parents=True, exist_ok=True)
    report = pipeline.WORK / f"gate-{releases.stamp()}.txt"
    report.write_text("\n".join(verdict.lines) + "\n", encoding="utf-8")
    say(f"  (report saved in {report.relative_to(ROOT)})")


def _promote(
    args: argparse.Namespace,
    candidate: Path,
    baseline: Path | None,
    changes: str,
    verdict: Verdict,
    new: Evaluation,
    timings: dict[str, float],
    started: float,
) -> None:
    """Release the candidate, serve it, write its model card, retire live entries it covers."""
    from tools.operators import live, pipeline

    layout = releases.Layout(ROOT)
    if releases.read_pointer(layout) is None and baseline is not None:
        # The first promotion keeps the model it replaces, so rollback has somewhere to go.
        releases.set_current(layout, releases.release(layout, baseline))
    promoted = releases.release(layout, candidate)
    old_current = releases.set_current(layout, promoted)
    releases.prune_releases(layout)
    swapped = load_if_running(args, promoted)
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
    for name in live.retire_trained(intents()):
        say(f"  live entry `{name}` retired: the promoted model was trained on it and wins")
    say("`make rollback` brings the previous model back.")


def load_if_running(args: argparse.Namespace, model: Path) -> bool:
    """Swap `model` into the running bot, if one answers with the token."""
    token = token_of(args)
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
