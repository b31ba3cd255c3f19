"""How the live layer's settings were chosen: leave each guide topic out, add it live.

For every guide topic with 5 or more questions in tests/eval/heldout_cases.yml:
train nothing, but treat 18 of its training examples (a fixed random choice) as a
live topic against all the other topics' training examples, and ask every
held-out question. Reports, per rule, the share of the left-out topic's questions
it answers (recall) and the share of the other topics' questions it takes.

    .venv/bin/python -m tools.bench.live_topic_settings
"""

from __future__ import annotations

import random
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
import yaml

from components.live_topic_store import NEIGHBOURS, fit_topic_model
from tools.operators.live import embed
from tools.operators.nlu_data import all_examples

ROOT = Path(__file__).resolve().parents[2]

SKIP = {"out_of_scope", "greet", "goodbye", "thanks", "medical_emergency", "self_harm"}
LIVE_EXAMPLES = 18


def centred(vectors: np.ndarray, centre: np.ndarray) -> np.ndarray:
    moved = vectors - centre
    return moved / np.linalg.norm(moved, axis=1, keepdims=True)


def main() -> int:
    examples = all_examples(ROOT)
    vectors = embed([e.text for e in examples])
    intents = np.array([e.intent for e in examples])
    cases = yaml.safe_load((ROOT / "tests/eval/heldout_cases.yml").read_text())["cases"]
    questions = embed([str(c["text"]) for c in cases])
    gold = np.array([str(c["topic"]) for c in cases])
    topics = sorted(t for t in set(gold) if (gold == t).sum() >= 5 and t not in SKIP)
    pick = random.Random(1)  # nosec B311 - a fixed, reproducible sample, not security
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for topic in topics:
        mine = [i for i, name in enumerate(intents) if name == topic]
        live = pick.sample(mine, min(LIVE_EXAMPLES, len(mine)))
        rest = np.array([name != topic for name in intents])
        positive = gold == topic
        for c in (1.0, 10.0, 100.0):
            model = fit_topic_model(vectors[live], vectors[rest], c=c)
            hit = model.probability(questions) >= 0.5
            row = counts[f"logistic regression C={c:g}, p >= 0.5"]
            row[0] += int((hit & positive).sum())
            row[1] += int(positive.sum())
            row[2] += int((hit & ~positive).sum())
            row[3] += int((~positive).sum())
        centre = vectors[rest].mean(axis=0)
        points = centred(np.vstack([vectors[live], vectors[rest]]), centre)
        labels = ["LIVE"] * len(live) + list(intents[rest])
        row = counts[f"kNN vote k={NEIGHBOURS}"]
        for q, is_positive in zip(centred(questions, centre), positive, strict=True):
            sims = points @ q
            votes: dict[str, float] = defaultdict(float)
            for i in np.argsort(-sims)[:NEIGHBOURS]:
                votes[labels[i]] += max(float(sims[i]), 0.0)
            hit_one = max(votes, key=lambda k: votes[k]) == "LIVE"
            row[0 if is_positive else 2] += int(hit_one)
            row[1 if is_positive else 3] += 1
    print(f"{len(topics)} topics left out in turn, {LIVE_EXAMPLES} live examples each")
    for rule, (tp, p, fp, n) in counts.items():
        print(f"{rule:40} answers {tp}/{p} = {tp / p:.2f}; takes {fp}/{n} = {fp / n:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
