"""Existing examples that mean the same as a new topic's, found by meaning (sentence vectors).

An existing example (of any intent, out_of_scope included) conflicts with the new
topic when it nearly repeats one of the new examples, when (with the new topic's
examples added) its own nearest examples vote for the new topic, or when the
live layer's model for the topic (components/live_topic_store.py), fitted with it
as a counter-example, still claims it. Plain
numpy on vectors the caller embedded; no Rasa, no encoder here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from components.live_topic_store import NEIGHBOURS, TOPIC_THRESHOLD, fit_topic_model

# Raw cosine of two e5 vectors above which two questions are near repeats (measured:
# "does my cma certificate expire" ~ "does the cma credential expire ..." 0.97-0.99,
# while different questions on the same words, "how many years to become a cma", stay below).
NEAR_REPEAT = 0.965
CHUNK = 512


@dataclass(frozen=True)
class Conflict:
    index: int  # into the existing examples
    similarity: float  # raw cosine to the closest new example
    closest: int  # index of that new example
    reason: str


def _centred(vectors: np.ndarray, centre: np.ndarray) -> np.ndarray:
    moved = np.asarray(vectors, dtype=np.float32) - centre
    return moved / np.maximum(np.linalg.norm(moved, axis=1, keepdims=True), 1e-9)


def find_conflicts(
    existing: np.ndarray,
    labels: list[str],
    new: np.ndarray,
    *,
    neighbours: int = NEIGHBOURS,
    near_repeat: float = NEAR_REPEAT,
) -> list[Conflict]:
    """Existing examples the new topic's examples would claim, most similar first."""
    if not len(existing) or not len(new):
        return []
    raw = np.asarray(existing, dtype=np.float32) @ np.asarray(new, dtype=np.float32).T
    centre = existing.mean(axis=0)
    points = _centred(np.vstack([existing, new]), centre)
    point_labels = [*labels, None]  # None: the new topic (index >= len(existing))
    n = len(existing)
    # The live layer's own model for the topic, fitted with every existing example against
    # it: what it still claims, it would answer (components/live_topic_store.py).
    claimed = fit_topic_model(new, existing).probability(existing) >= TOPIC_THRESHOLD
    found: list[Conflict] = []
    for start in range(0, n, CHUNK):
        sims = points[start : start + CHUNK] @ points.T
        for row, i in enumerate(range(start, min(start + CHUNK, n))):
            sims[row, i] = -np.inf  # not its own neighbour
            top = np.argpartition(-sims[row], neighbours)[:neighbours]
            votes: dict[str | None, float] = defaultdict(float)
            for j in top:
                votes[point_labels[min(j, n)]] += max(float(sims[row, j]), 0.0)
            knn = max(votes, key=lambda label: votes[label]) is None
            best = int(np.argmax(raw[i]))
            repeat = float(raw[i, best]) >= near_repeat
            if knn or repeat or claimed[i]:
                reason = (
                    "near repeat"
                    if repeat
                    else "its nearest examples are the new topic's"
                    if knn
                    else "the new topic's live model claims it"
                )
                found.append(Conflict(i, float(raw[i, best]), best, reason))
    return sorted(found, key=lambda c: -c.similarity)
