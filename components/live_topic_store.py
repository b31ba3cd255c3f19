"""Live topics: what operators added since the last trained model, answered without a restart.

A store is a folder of small JSON files (default `live_topics/`, git-ignored; the
environment variable IMGCMA_LIVE_DIR points elsewhere). The operator tools write
them (tools/operators/live.py); the NLU (components/live_topics.py) and the action
server (actions/action_live_topic.py) only read them. One file is either

- a topic (`"kind": "topic"`): a new intent's examples with their vectors, its
  answer and buttons, and the existing examples the operator moved away from
  other intents (`retract`), or
- examples (`"kind": "examples"`): relabelled questions for intents the trained
  model already knows (make import-labels).

Vectors are stored by the writer, embedded with the same encoder (its sha256 is
in the file), so the server never embeds anything extra. The trained model wins:
a topic the model was trained on, and an example it was trained with, are
ignored here. No Rasa imports.
"""

from __future__ import annotations

import json
import os
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "live_topics"
LIVE_INTENT = "live_topic"  # the generic intent the trained domain knows
KIND_TOPIC, KIND_EXAMPLES = "topic", "examples"
# A live topic: a logistic regression of its examples against every trained example
# (balanced), on the sentence vectors. C and the threshold were chosen by leaving
# each guide topic out of training in turn and adding 18 of its examples live
# (docs/live-topics.md): recall 0.82 on its held-out questions, 0.2% of the
# other topics' held-out questions taken.
TOPIC_C = 10.0
TOPIC_THRESHOLD = 0.5
SCALE = 2.0  # the vectors' scale, as in the trained intent model
# Relabelled questions (make import-labels): kNN over the trained and live examples'
# centred vectors; the conflict finder uses the same neighbourhood.
NEIGHBOURS = 7
MIN_SHARE = 0.4  # the winner's share of the neighbours' similarity; below: leave it be
# A live example this close (centred cosine) is the same question: it wins outright, so a
# question the operator labelled is answered as labelled.
SAME_QUESTION = 0.95


def store_dir() -> Path:
    return Path(os.environ.get("IMGCMA_LIVE_DIR") or DEFAULT_DIR)


def normalise(text: str) -> str:
    return " ".join(str(text).lower().split())


@dataclass
class Entry:
    """One store file, read back."""

    path: Path
    kind: str
    name: str
    encoder: str
    texts: list[str]
    labels: list[str]
    vectors: np.ndarray
    retract: list[str] = field(default_factory=list)
    title: str = ""
    answer: dict = field(default_factory=dict)


def read_entry(path: Path) -> Entry:
    data = json.loads(path.read_text(encoding="utf-8"))
    examples = data.get("examples") or []
    vectors = np.asarray(data.get("vectors") or [], dtype=np.float32)
    if len(examples) != len(vectors):
        raise ValueError(f"{path.name}: {len(examples)} examples but {len(vectors)} vectors")
    return Entry(
        path=path,
        kind=str(data["kind"]),
        name=str(data["name"]),
        encoder=str(data.get("encoder") or ""),
        texts=[str(e["text"]) for e in examples],
        labels=[str(e["label"]) for e in examples],
        vectors=vectors.reshape(len(examples), -1) if len(examples) else vectors,
        retract=[normalise(t) for t in data.get("retract") or []],
        title=str(data.get("title") or ""),
        answer=dict(data.get("answer") or {}),
    )


def write_entry(folder: Path, data: dict) -> Path:
    """Write one store file atomically (a reader never sees half a file)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{data['name']}.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)
    return path


def read_store(folder: Path) -> list[Entry]:
    """Every readable entry; a broken file is skipped (the writer reports its own errors)."""
    entries = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            entries.append(read_entry(path))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return entries


def topic_entry(folder: Path, name: str) -> Entry | None:
    path = folder / f"{name}.json"
    if not path.is_file():
        return None
    try:
        entry = read_entry(path)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return entry if entry.kind == KIND_TOPIC else None


def _centred(vectors: np.ndarray, centre: np.ndarray) -> np.ndarray:
    moved = np.asarray(vectors, dtype=np.float32) - centre
    norms = np.linalg.norm(moved, axis=-1, keepdims=True)
    return moved / np.maximum(norms, 1e-9)


@dataclass(frozen=True)
class Decision:
    label: str  # a live topic's name, or an intent the trained model knows
    share: float
    topic: bool  # True: a live topic (answered by the live-topic action)


@dataclass
class TrainedExamples:
    """What the trained model learnt from: vectors, labels and texts (saved at training)."""

    vectors: np.ndarray
    labels: list[str]
    texts: list[str]

    @property
    def intents(self) -> set[str]:
        return set(self.labels)


@dataclass(frozen=True)
class TopicModel:
    """A live topic against everything else: p(topic) = sigmoid(SCALE * v . coef + intercept)."""

    coef: np.ndarray
    intercept: float

    def probability(self, vectors: np.ndarray) -> np.ndarray:
        scores = SCALE * np.asarray(vectors, dtype=np.float64) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-scores))


def fit_topic_model(positives: np.ndarray, negatives: np.ndarray, c: float = TOPIC_C) -> TopicModel:
    """Logistic regression of a topic's examples against the rest (classes balanced)."""
    from sklearn.linear_model import LogisticRegression

    features = SCALE * np.vstack([positives, negatives]).astype(np.float64)
    labels = np.r_[np.ones(len(positives)), np.zeros(len(negatives))]
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
    model.fit(features, labels)
    return TopicModel(model.coef_[0].copy(), float(model.intercept_[0]))


class LiveIndex:
    """Live topics (a small model each) and relabelled questions (kNN) over the trained examples."""

    def __init__(self, trained: TrainedExamples, entries: list[Entry], encoder: str) -> None:
        self.centre = trained.vectors.mean(axis=0) if len(trained.vectors) else 0.0
        known = trained.intents
        learnt = {(normalise(t), lab) for t, lab in zip(trained.texts, trained.labels, strict=True)}
        self.active: list[Entry] = []
        retract: set[str] = set()
        texts, labels, vectors = [], [], []
        for entry in entries:
            if entry.encoder != encoder or not len(entry.vectors):
                continue
            if entry.kind == KIND_TOPIC and entry.name in known:
                continue  # the trained model has the topic: it wins
            keep = [
                i
                for i, (text, label) in enumerate(zip(entry.texts, entry.labels, strict=True))
                if (normalise(text), label) not in learnt
                and (entry.kind == KIND_TOPIC or label in known)
            ]
            if not keep:
                continue
            self.active.append(entry)
            retract.update(entry.retract)
            texts += [entry.texts[i] for i in keep]
            labels += [entry.labels[i] for i in keep]
            vectors.append(entry.vectors[keep])
        self.topics = {e.name: e for e in self.active if e.kind == KIND_TOPIC}
        kept = [i for i, t in enumerate(trained.texts) if normalise(t) not in retract]
        self.live_count = len(labels)
        self.labels = labels + [trained.labels[i] for i in kept]
        stacked = [*vectors, trained.vectors[kept]] if vectors else []
        self.points = _centred(np.vstack(stacked), self.centre) if stacked else np.zeros((0, 1))
        self.models: dict[str, TopicModel] = {}
        raw = np.vstack(stacked) if stacked else np.zeros((0, 1))
        for name in self.topics:
            mine = np.array([label == name for label in self.labels])
            self.models[name] = fit_topic_model(raw[mine], raw[~mine])

    def __bool__(self) -> bool:
        return self.live_count > 0

    def decide(self, vector: np.ndarray) -> Decision | None:
        """The live label a message goes to, or None to keep the trained model's answer."""
        if not self:
            return None
        sims = self.points @ _centred(vector.reshape(-1), self.centre)
        top = np.argsort(-sims)[:NEIGHBOURS]
        if top[0] < self.live_count and sims[top[0]] >= SAME_QUESTION:
            label = self.labels[top[0]]
            return Decision(label, round(float(sims[top[0]]), 4), label in self.topics)
        if self.models:
            scores = {
                n: float(m.probability(vector.reshape(1, -1))[0]) for n, m in self.models.items()
            }
            best = max(scores, key=lambda name: scores[name])
            if scores[best] >= TOPIC_THRESHOLD:
                return Decision(best, round(scores[best], 4), True)
        votes: dict[str, float] = defaultdict(float)
        for i in top:
            votes[self.labels[i]] += max(float(sims[i]), 0.0)
        winner = max(votes, key=lambda label: votes[label])
        total = sum(votes.values())
        share = votes[winner] / total if total else 0.0
        from_live = any(i < self.live_count and self.labels[i] == winner for i in top)
        if not from_live or share < MIN_SHARE or winner in self.topics:
            return None
        return Decision(winner, round(share, 4), winner in self.topics)


class StoreWatcher:
    """Re-reads the store when a file in it changes; stats it at most every `interval` s."""

    def __init__(self, folder: Path, interval: float = 1.0) -> None:
        self.folder = folder
        self.interval = interval
        self._checked = -1e9
        self._signature: tuple = ()
        self.entries: list[Entry] = []

    def _stat(self) -> tuple:
        if not self.folder.is_dir():
            return ()
        return tuple(
            (p.name, p.stat().st_mtime_ns, p.stat().st_size)
            for p in sorted(self.folder.glob("*.json"))
        )

    def poll(self) -> bool:
        """True when the entries changed since the last poll."""
        now = time.monotonic()
        if now - self._checked < self.interval:
            return False
        self._checked = now
        try:
            signature = self._stat()
        except OSError:
            return False
        if signature == self._signature:
            return False
        self._signature = signature
        self.entries = read_store(self.folder)
        return True
