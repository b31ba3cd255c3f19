"""Benchmark: time from `add-topic` to a promoted model, with the full training config.

On a throwaway copy of the project: serve the model for the current data (trained
first if models/ lacks it), then run `python -m tools.operators add-topic` on the
example topic against that running bot, and report how long each stage took.

    .venv/bin/python -m tools.bench.add_topic_time [--topic examples/topics/path_overview.yml]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.tools.operators.project_copy import copy_project, shared_paths
from tools.dev import stack, train_if_needed

ROOT = Path(__file__).resolve().parents[2]

# Not one of the topic file's examples: a paraphrase, as a user would ask.
CHECK_QUESTION = "could you sum up the entire path from img to cma"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--topic", default="examples/topics/path_overview.yml")
    args = parser.parse_args()
    baseline = train_if_needed.model_path()
    if not baseline.exists():
        print("Training the baseline model first (make train) ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "tools.dev.train_if_needed"], check=True, cwd=ROOT)
    with tempfile.TemporaryDirectory(prefix="imgcma-bench-topic-") as tmp:
        project = copy_project(Path(tmp) / "project")
        shutil.copy2(baseline, project / "models" / baseline.name)
        bot = stack.start_isolated(
            project / "models" / baseline.name, Path(tmp), log_dir=Path(tmp) / "logs"
        )
        try:
            stack.wait_ready(bot)
            started = time.monotonic()
            run = subprocess.run(
                [
                    str(project / ".venv" / "bin" / "python"),
                    "-m",
                    "tools.operators",
                    "add-topic",
                    args.topic,
                    "--rasa-url",
                    bot.url,
                ],
                cwd=project,
                env={**os.environ, "RASA_AUTH_TOKEN": bot.token, **shared_paths()},
                check=False,
                capture_output=True,
                text=True,
            )
            seconds = time.monotonic() - started
            print(run.stdout)
            print(run.stderr[-3000:], file=sys.stderr)
            answer = stack.ask(bot.url, "bench", CHECK_QUESTION)
        finally:
            bot.stop()
        cards = sorted((project / "models" / "cards").glob("*-promotion.md"))
        if cards:
            print(cards[-1].read_text())
    print(
        f"add-topic exit code {run.returncode}; from add-topic to promoted model: "
        f"{seconds:.0f} s ({seconds / 60:.1f} min)"
    )
    served = "Conclusion & Key Takeaways" in str(answer)
    print(f"new answer served for {CHECK_QUESTION!r}: {served}")
    if not served:
        # The pipeline checks the swap itself; this shows what NLU made of our one question.
        print("  the bot answered:", " ".join(r.get("text", "") for r in answer)[:300])
    return run.returncode


if __name__ == "__main__":
    sys.exit(main())
