"""Benchmark: a new topic, live and then trained, asked in wordings it was not given.

Successor of tools/bench/add_topic_time.py (which timed the promotion alone). For each
topic file, on a throwaway copy of the project: serve the model for the current
data, run `python -m tools.operators add-topic FILE --conflicts ask` against that
running bot (answering the conflicts it lists as given, e.g. `mmk`: move the
first two, keep the third; none given: keep all), and measure

- time to live: from starting add-topic until the bot answers the topic's first example
  with the topic's answer (its source line) over REST;
- the share of unseen wordings (a file written apart from the topic file) answered with
  the topic's answer while it is live, and again after the promoted model is loaded;
- time to promoted model: until add-topic has promoted and loaded the retrained model;
- held-out questions of other topics (tests/eval/heldout_cases.yml) that the live topic
  took: what the live layer costs the existing topics.

    T=tools/bench/topics; K=$T/keeping_credential
    .venv/bin/python -m tools.bench.live_topic_time $K.yml:${K}_wordings.yml:mmmmmkmmkmkkk \\
        examples/topics/path_overview.yml:$T/path_overview_wordings.yml

Writes results/live_topics/report.md (and report.json). docs/live-topics.md has the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import IO

import yaml

from tests.tools.operators.project_copy import copy_project, shared_paths
from tools.dev import stack, train_if_needed

ROOT = Path(__file__).resolve().parents[2]

OUT = ROOT / "results" / "live_topics"


def source_mark(topic_file: Path) -> str:
    """What the topic's answer ends with: its source (a url or a guide section)."""
    source = yaml.safe_load(topic_file.read_text(encoding="utf-8"))["source"]
    return source.get("url") or source["guide_section"]


def answered(url: str, sender: str, text: str, mark: str) -> bool:
    replies = stack.ask(url, sender, text, timeout=60)
    return mark in "\n".join(r.get("text") or "" for r in replies)


def parse_intent(url: str, token: str, text: str) -> str:
    request = urllib.request.Request(
        f"{url}/model/parse?token={token}",
        data=json.dumps({"text": text}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # nosec B310 - loopback bot
        return json.loads(response.read().decode())["intent"]["name"]


def share(url: str, wordings: list[str], mark: str, tag: str) -> tuple[int, list[str]]:
    missed = [w for n, w in enumerate(wordings) if not answered(url, f"{tag}-{n}", w, mark)]
    return len(wordings) - len(missed), missed


def run_one(topic_file: Path, wordings_file: Path, answers: str, baseline: Path) -> dict:
    wordings = [str(w) for w in yaml.safe_load(wordings_file.read_text("utf-8"))["wordings"]]
    topic = yaml.safe_load(topic_file.read_text(encoding="utf-8"))
    mark = source_mark(topic_file)
    result: dict = {
        "topic_file": str(topic_file.relative_to(ROOT)),
        "wordings": len(wordings),
        "conflict_answers": answers,
    }
    with tempfile.TemporaryDirectory(prefix="imgcma-bench-live-") as tmp:
        project = copy_project(Path(tmp) / "project")
        shutil.copy2(baseline, project / "models" / baseline.name)
        env = {"IMGCMA_LIVE_DIR": str(Path(tmp) / "live_topics")}
        bot = stack.start_isolated(
            project / "models" / baseline.name,
            Path(tmp),
            log_dir=Path(tmp) / "logs",
            extra_env=env,
        )
        try:
            stack.wait_ready(bot)
            before, _ = share(bot.url, wordings, mark, "before")
            result["answered_before"] = before
            log = OUT / f"{topic['topic']}-add-topic.log"
            OUT.mkdir(parents=True, exist_ok=True)
            started = time.monotonic()
            with log.open("w", encoding="utf-8") as out:
                tool = _start_add_topic(project, topic_file, answers, bot, env, out)
                live_at = _wait_live(tool, bot.url, str(topic["examples"][0]), mark, started)
                result["seconds_to_live"] = round(live_at, 1) if live_at is not None else None
                print(f"{topic['topic']}: live after {live_at} s", file=sys.stderr, flush=True)
                if live_at is not None:
                    result.update(_measure_live(bot, wordings, mark))
                tool.wait(timeout=3600)
            result["seconds_to_promoted"] = round(time.monotonic() - started, 1)
            result["add_topic_exit"] = tool.returncode
            result.update(_measure_after(log.read_text(encoding="utf-8"), bot, wordings, mark))
        finally:
            bot.stop()
    return result


def _start_add_topic(
    project: Path, topic_file: Path, answers: str, bot: stack.Stack, env: dict, out: IO[str]
) -> subprocess.Popen:
    """`add-topic FILE --conflicts ask` against the bot, fed the operator's answers."""
    tool = subprocess.Popen(
        [
            str(project / ".venv" / "bin" / "python"),
            "-m",
            "tools.operators",
            "add-topic",
            str(topic_file),
            "--conflicts",
            "ask",
            "--rasa-url",
            bot.url,
        ],
        cwd=project,
        env={**os.environ, "RASA_AUTH_TOKEN": bot.token, **shared_paths(), **env},
        stdin=subprocess.PIPE,
        stdout=out,
        stderr=subprocess.STDOUT,
        text=True,
    )
    # The operator's answers to the conflicts add-topic lists, one per line.
    if tool.stdin is not None:
        tool.stdin.write("".join(f"{a}\n" for a in answers))
        tool.stdin.close()
    return tool


def _wait_live(
    tool: subprocess.Popen, url: str, first: str, mark: str, started: float
) -> float | None:
    """Seconds from `started` until the bot answers `first` with the topic, while add-topic runs."""
    while tool.poll() is None and time.monotonic() - started < 600:
        if answered(url, "probe", first, mark):
            return time.monotonic() - started
        time.sleep(0.5)
    return None


def _measure_live(bot: stack.Stack, wordings: list[str], mark: str) -> dict:
    """Unseen wordings answered live, and held-out questions of other topics the live topic took."""
    n, missed = share(bot.url, wordings, mark, "live")
    took = []
    cases = yaml.safe_load((ROOT / "tests/eval/heldout_cases.yml").read_text())
    for case in cases["cases"]:
        if parse_intent(bot.url, bot.token, str(case["text"])) == "live_topic":
            took.append(f"{case['text']} ({case['topic']})")
    return {
        "answered_live": n,
        "missed_live": missed,
        "heldout_cases": len(cases["cases"]),
        "heldout_taken_by_live": took,
    }


def _measure_after(text: str, bot: stack.Stack, wordings: list[str], mark: str) -> dict:
    """From add-topic's log: promoted or not, conflicts moved; wordings answered once trained."""
    result: dict = {"promoted": "Promoted " in text}
    result["conflicts_moved"] = [
        line.strip() for line in text.splitlines() if re.match(r"^\s*\d+\. `", line)
    ]
    if result["promoted"]:
        n, missed = share(bot.url, wordings, mark, "trained")
        result["answered_trained"], result["missed_trained"] = n, missed
    else:
        result["gate"] = [line for line in text.splitlines() if line.startswith("  ")][-30:]
    return result


def report(results: list[dict]) -> str:
    lines = [
        "# Live topics benchmark",
        "",
        "`.venv/bin/python -m tools.bench.live_topic_time` (docs/live-topics.md)",
        "",
        "| topic file | unseen wordings | answered before | time to live | answered live "
        "| time to promoted model | answered after promotion | held-out questions taken |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['topic_file']} | {r['wordings']} | {r.get('answered_before')} "
            f"| {r.get('seconds_to_live')} s | {r.get('answered_live')} "
            f"| {r['seconds_to_promoted']} s{'' if r.get('promoted') else ' (not promoted)'} "
            f"| {r.get('answered_trained', '-')} "
            f"| {len(r.get('heldout_taken_by_live') or [])} of {r.get('heldout_cases')} |"
        )
    lines += ["", "```json", json.dumps(results, indent=2), "```", ""]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "pairs",
        nargs="+",
        help="TOPIC_FILE:WORDINGS_FILE[:ANSWERS], ANSWERS the operator's m/d/k per conflict",
    )
    args = parser.parse_args()
    baseline = train_if_needed.model_path()
    if not baseline.exists():
        print("Training the baseline model first (make train) ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "tools.dev.train_if_needed"], cwd=ROOT, check=True)
    results = []
    for pair in args.pairs:
        topic_file, wordings_file, answers = [*pair.split(":"), ""][:3]
        results.append(
            run_one(
                (ROOT / topic_file).resolve(), (ROOT / wordings_file).resolve(), answers, baseline
            )
        )
        print(json.dumps(results[-1], indent=2), flush=True)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "report.md").write_text(report(results), encoding="utf-8")
    (OUT / "report.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
