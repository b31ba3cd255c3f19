"""Show how the FallbackClassifier thresholds trade answers against declines.

Parses every case of an evaluation file with a trained model once, then
replays the thresholds: an in-scope case counts when the model is confident
and picks the case's topic; an out-of-scope case counts when the model is
unsure or picks a decline intent. Case topics must be intent names.

    .venv/bin/python -m tools.dev.tune_fallback --cases tests/eval/heldout_cases.yml
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

import yaml

from tools.dev.train_if_needed import model_path

DECLINES = {"out_of_scope", "immigration_legal"}


async def rankings(model: Path, texts: list[str]) -> list[list[tuple[str, float]]]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    result = []
    for text in texts:
        parsed = await agent.parse_message(text)
        ranking = [
            (r["name"], float(r["confidence"]))
            for r in parsed["intent_ranking"]
            if r["name"] != "nlu_fallback"
        ]
        result.append(ranking)
    return result


def score(
    cases: list[dict], ranked: list, threshold: float, ambiguity: float
) -> tuple[float, float]:
    good_in = total_in = good_out = total_out = 0
    for case, ranking in zip(cases, ranked, strict=True):
        (top, first), second = ranking[0], (ranking[1][1] if len(ranking) > 1 else 0.0)
        unsure = first < threshold or first - second < ambiguity
        if case["topic"] == "out_of_scope":
            total_out += 1
            good_out += unsure or top in DECLINES
        else:
            total_in += 1
            good_in += not unsure and top == case["topic"]
    return good_in / max(1, total_in), good_out / max(1, total_out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=Path, required=True)
    parser.add_argument("--model", type=Path, default=None)
    args = parser.parse_args()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    cases = yaml.safe_load(args.cases.read_text(encoding="utf-8"))["cases"]
    ranked = asyncio.run(rankings(args.model or model_path(), [c["text"] for c in cases]))
    print("threshold ambiguity  in-scope-right  out-of-scope-declined")
    for threshold in (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6):
        for ambiguity in (0.0, 0.05, 0.08, 0.1, 0.15):
            good_in, good_out = score(cases, ranked, threshold, ambiguity)
            row = f"{threshold:9.2f} {ambiguity:9.2f}  {100 * good_in:13.1f}%"
            print(f"{row}  {100 * good_out:20.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
