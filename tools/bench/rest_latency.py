"""Start the bot, time start-up to the first answer, then REST latency over N questions.

Sequential (one user message at a time), each question on the same few senders,
cycling through the held-out validation questions. Writes results/latency.json.

    .venv/bin/python -m tools.bench.rest_latency --count 200
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

from tools.dev import stack
from tools.dev.train_if_needed import model_path

ROOT = Path(__file__).resolve().parents[2]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--cases", type=Path, default=ROOT / "tests" / "eval" / "heldout_cases.yml")
    args = parser.parse_args()
    questions = [c["text"] for c in yaml.safe_load(args.cases.read_text())["cases"]]
    with tempfile.TemporaryDirectory(prefix="imgcma-bench-") as tmp:
        started = time.monotonic()
        bot = stack.start_isolated(
            model_path(),
            Path(tmp),
            rasa_port=stack.port(5305),
            action_port=stack.port(5355),
            log_dir=Path(tmp) / "logs",
        )
        try:
            stack.wait_ready(bot)
            startup = time.monotonic() - started
            latencies: list[float] = []
            for i in range(args.count):
                sent = time.perf_counter()
                stack.ask(bot.url, f"bench-{i % 10}", questions[i % len(questions)])
                latencies.append((time.perf_counter() - sent) * 1000)
        finally:
            bot.stop()
    report = {
        "questions": args.count,
        "startup_to_first_answer_s": round(startup, 1),
        "p50_ms": round(percentile(latencies, 0.50), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1),
        "mean_ms": round(statistics.mean(latencies), 1),
    }
    (ROOT / "results").mkdir(exist_ok=True)
    (ROOT / "results" / "latency.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
