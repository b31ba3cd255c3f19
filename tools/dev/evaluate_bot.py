"""Start a fresh bot, run the shared evaluator on a case file against it, stop it.

By default the cases are the shared dev set, with its gates: at least 95% of
in-scope cases answered correctly and at least 90% of out-of-scope cases
declined. The full report goes to results/<name>.txt and every case's reply
to results/<name>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from tools.dev import stack
from tools.dev.train_if_needed import model_path

EVAL_DIR = Path(os.environ.get("IMGCMA_EVAL_DIR", stack.ROOT.parent / "shared" / "eval"))
RESULTS = stack.ROOT / "results"


def gates(results: list[dict], min_in: float, min_out: float) -> tuple[bool, str]:
    """Whether the run passes, and a one-paragraph summary."""
    in_scope = [r for r in results if r["topic"] != "out_of_scope"]
    out_scope = [r for r in results if r["topic"] == "out_of_scope"]
    share_in = sum(r["passed"] for r in in_scope) / max(1, len(in_scope))
    share_out = sum(r["passed"] for r in out_scope) / max(1, len(out_scope))
    ok = share_in >= min_in and share_out >= min_out
    summary = (
        f"evaluation: in-scope {sum(r['passed'] for r in in_scope)}/{len(in_scope)} "
        f"({100 * share_in:.1f}%, gate {100 * min_in:.0f}%), out-of-scope declined "
        f"{sum(r['passed'] for r in out_scope)}/{len(out_scope)} "
        f"({100 * share_out:.1f}%, gate {100 * min_out:.0f}%): {'OK' if ok else 'BELOW GATE'}"
    )
    return ok, summary


def _shared_scorer(
    script: str, url: str, cases: Path, token: str, json_out: Path, *gates: str
) -> subprocess.CompletedProcess[str]:
    """One of the shared scorers against a running bot; every reply goes to `json_out`."""
    return subprocess.run(
        [
            sys.executable,
            str(EVAL_DIR / script),
            "--url",
            url,
            "--cases",
            str(cases),
            # One argument: a token starting with "-" must not read as an option.
            f"--token={token}",
            "--json",
            str(json_out),
            # A decline counts only when the tracker shows one, never because an
            # answer happens to contain "I can't ...".
            "--strict-declines",
            "--decline-intents",
            "immigration_legal",
            *gates,
        ],
        capture_output=True,
        text=True,
        check=False,
    )


def run_evaluator(
    url: str, cases: Path, token: str, json_out: Path
) -> subprocess.CompletedProcess[str]:
    """The shared evaluate.py (one question per conversation); the gates are applied here."""
    return _shared_scorer("evaluate.py", url, cases, token, json_out, "--min-pass-rate", "0")


def run_conversations(
    url: str, cases: Path, token: str, json_out: Path
) -> subprocess.CompletedProcess[str]:
    """The shared turn-by-turn scorer (conversations.py, with its button crawl)."""
    return _shared_scorer(
        "conversations.py", url, cases, token, json_out, "--min-turns", "0", "--min-buttons", "0"
    )


def conversation_gates(stdout: str, min_turns: float, min_whole: float) -> tuple[bool, str]:
    """Read conversations.py's summary line: turns right, whole conversations, buttons."""
    found = re.search(
        r"turns right: (\d+)/(\d+).*?whole conversations: (\d+)/(\d+);"
        r" buttons that work: (\d+)/(\d+)",
        stdout,
    )
    if not found:
        return False, "conversations: no summary line from conversations.py"
    turns, total, whole, convs, buttons, offered = (int(g) for g in found.groups())
    ok = turns >= min_turns * total and whole >= min_whole * convs and buttons == offered
    summary = (
        f"conversations: turns {turns}/{total} ({100 * turns / max(1, total):.1f}%, "
        f"gate {100 * min_turns:.0f}%), "
        f"whole {whole}/{convs} ({100 * whole / max(1, convs):.1f}%, gate {100 * min_whole:.0f}%), "
        f"buttons {buttons}/{offered}: {'OK' if ok else 'BELOW GATE'}"
    )
    return ok, summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=Path, default=EVAL_DIR / "dev_cases.yml")
    parser.add_argument("--min-in-scope", type=float, default=0.95)
    parser.add_argument("--min-out-of-scope", type=float, default=0.90)
    parser.add_argument("--name", default="dev_eval", help="report name under results/")
    parser.add_argument(
        "--conversations",
        action="store_true",
        help="the file holds multi-turn conversations (conversations.py)",
    )
    parser.add_argument("--rasa-port", type=int, default=stack.port(5105))
    parser.add_argument("--action-port", type=int, default=stack.port(5155))
    args = parser.parse_args()
    if not args.cases.exists():
        print(f"Dev cases not found at {args.cases} (set IMGCMA_EVAL_DIR).", file=sys.stderr)
        return 2
    RESULTS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="imgcma-eval-") as tmp:
        bot = stack.start_isolated(
            model_path(),
            Path(tmp),
            rasa_port=args.rasa_port,
            action_port=args.action_port,
            log_dir=RESULTS / "logs",
        )
        try:
            print("Starting a fresh bot for the dev evaluation ...", file=sys.stderr)
            seconds = stack.wait_ready(bot)
            print(
                f"Bot ready in {seconds:.1f} s; evaluating {args.cases.name} ...", file=sys.stderr
            )
            json_out = RESULTS / f"{args.name}.json"
            score = run_conversations if args.conversations else run_evaluator
            run = score(bot.url, args.cases, bot.token, json_out)
        finally:
            bot.stop()
    (RESULTS / f"{args.name}.txt").write_text(run.stdout + run.stderr, encoding="utf-8")
    if run.returncode != 0 or not json_out.exists():
        print(run.stdout[-3000:] + run.stderr[-3000:], file=sys.stderr)
        return 1
    for line in run.stdout.splitlines():
        if line.startswith("FAIL") or line.startswith("     "):
            print(line)
    if args.conversations:
        # --min-in-scope gates the share of turns, --min-out-of-scope the whole conversations.
        ok, summary = conversation_gates(run.stdout, args.min_in_scope, args.min_out_of_scope)
    else:
        ok, summary = gates(
            json.loads(json_out.read_text()), args.min_in_scope, args.min_out_of_scope
        )
    print(summary)
    print(f"full report: results/{args.name}.txt")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
