"""5-fold NLU cross-validation of our pipeline (sentence encoder + linear classifier).

With --compare, also the pipeline it replaced (spaCy features + DIET, about half
an hour on 2 cores), on the same data.

Writes Rasa's reports under results/cv/<pipeline>/ and a side-by-side
per-intent F1 table to results/cross_validation.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "results"
PIPELINES = {
    "encoder": ROOT / "config.yml",
    "diet": ROOT / "configs" / "diet_pipeline.yml",
}


def run_cv(name: str, config: Path, folds: int) -> dict:
    out = RESULTS / "cv" / name
    print(f"[{name}] {folds}-fold cross-validation ({config.relative_to(ROOT)}) ...", flush=True)
    started = time.monotonic()
    env = {**os.environ, "SQLALCHEMY_SILENCE_UBER_WARNING": "1", "TF_CPP_MIN_LOG_LEVEL": "2"}
    subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "rasa"),
            "test",
            "nlu",
            "--nlu",
            "data/nlu",
            "--config",
            str(config),
            "--cross-validation",
            "--folds",
            str(folds),
            "--out",
            str(out),
        ],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print(f"[{name}] done in {time.monotonic() - started:.0f} s", flush=True)
    return json.loads((out / "intent_report.json").read_text())


def table(reports: dict[str, dict]) -> str:
    names = list(reports)
    intents = sorted(
        k
        for k, v in reports[names[0]].items()
        if isinstance(v, dict)
        and "support" in v
        and k not in ("macro avg", "weighted avg", "micro avg")
    )
    lines = [
        "| intent | " + " | ".join(f"F1 {n}" for n in names) + " | support |",
        "|---|" + "---|" * len(names) + "---|",
    ]
    for intent in intents:
        cells = [f"{reports[n][intent]['f1-score']:.3f}" for n in names]
        lines.append(
            f"| {intent} | " + " | ".join(cells) + f" | {reports[names[0]][intent]['support']} |"
        )
    for avg in ("macro avg", "weighted avg"):
        cells = [f"**{reports[n][avg]['f1-score']:.3f}**" for n in names]
        lines.append(f"| **{avg}** | " + " | ".join(cells) + " | |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--compare", action="store_true", help="also the DIET pipeline it replaced")
    args = parser.parse_args()
    chosen = PIPELINES if args.compare else {"encoder": PIPELINES["encoder"]}
    reports = {name: run_cv(name, config, args.folds) for name, config in chosen.items()}
    report = f"# NLU {args.folds}-fold cross-validation (intent F1)\n\n{table(reports)}\n"
    (RESULTS / "cross_validation.md").write_text(report, encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
