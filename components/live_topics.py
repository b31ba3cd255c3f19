"""`LiveTopicsClassifier`: topics and labels operators added since the last training, answered live.

A thin Rasa adapter over components/live_topic_store.py, placed after the
LinearIntentClassifier and before the FallbackClassifier (and so before the
LanguageGate and the SafetyGate, which may still replace what it decides:
safety always wins). At training it keeps the training examples' sentence
vectors; at run time it watches the live-topics store (a stat every second) and,
when a message's nearest examples vote for a live entry, sets

- the generic intent `live_topic` (the trained domain knows it and its rule,
  `action_answer_live_topic`) with `live_topic: {"name": ...}` in the parse data, or
- an intent the model knows, for questions relabelled by make import-labels.

The trained model wins: topics it was trained on are ignored here, so once the
retrained model is promoted and loaded the live entry has no effect (the
operator tools then delete it).
"""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.live_topic_store import (
    LIVE_INTENT,
    LiveIndex,
    StoreWatcher,
    TrainedExamples,
    store_dir,
)
from components.sentence_featurizer import SentenceEmbeddingFeaturizer

logger = logging.getLogger(__name__)

LIVE_KEY = "live_topic"
# Never replaced by a live entry (the safety gate would answer these first anyway).
KEPT_INTENTS = ("medical_emergency", "self_harm", "delete_my_data")


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class LiveTopicsClassifier(GraphComponent, IntentClassifier):
    """Answers live topics (embedded, not trained) until a trained model knows them."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [SentenceEmbeddingFeaturizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"model_sha256": None, "poll_seconds": 1.0, "kept_intents": list(KEPT_INTENTS)}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        trained: TrainedExamples | None = None,
    ) -> None:
        self.config = config
        self._model_storage = model_storage
        self._resource = resource
        self.trained = trained
        self.kept = set(config.get("kept_intents") or ())
        self.watcher = StoreWatcher(store_dir(), float(config.get("poll_seconds") or 1.0))
        self.index: LiveIndex | None = None
        self._generation = 0
        self._lock = threading.Lock()

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LiveTopicsClassifier:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(INTENT) and m.get(TEXT)]
        vectors = np.stack([_vector(m) for m in examples]).astype(np.float32)
        with self._model_storage.write_to(self._resource) as folder:
            np.savez_compressed(Path(folder) / "trained_vectors.npz", vectors=vectors)
            (Path(folder) / "trained_examples.json").write_text(
                json.dumps({"labels": [m.get(INTENT) for m in examples],
                            "texts": [m.get(TEXT) for m in examples]}),
                encoding="utf-8",
            )  # fmt: skip
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LiveTopicsClassifier:
        try:
            with model_storage.read_from(resource) as folder:
                vectors = np.load(Path(folder) / "trained_vectors.npz", allow_pickle=False)
                meta = json.loads((Path(folder) / "trained_examples.json").read_text("utf-8"))
            trained = TrainedExamples(vectors["vectors"], meta["labels"], meta["texts"])
        except (ValueError, OSError, KeyError) as exc:
            logger.warning("Live topics are off: the model has no trained examples (%s).", exc)
            trained = None
        return cls(config, model_storage, resource, trained)

    def _current_index(self) -> LiveIndex | None:
        """The index for the store as last seen; a change is built in the background.

        Building fits a small model per live topic (a few seconds): meanwhile the
        previous index keeps answering, so no message waits for it.
        """
        if self.trained is None:
            return None
        if self.watcher.poll():
            self._generation += 1
            threading.Thread(
                target=self._build, args=(self.watcher.entries, self._generation), daemon=True
            ).start()
        return self.index

    def _build(self, entries: list, generation: int) -> None:
        try:
            index = LiveIndex(self.trained, entries, str(self.config.get("model_sha256") or ""))
        except Exception:  # a broken store must never stop the bot answering
            logger.exception("Live topics: could not build the index; keeping the previous one")
            return
        with self._lock:
            if generation == self._generation:
                self.index = index
        logger.info(
            "Live topics: %d live example(s), topics %s", index.live_count, sorted(index.topics)
        )

    def process(self, messages: list[Message]) -> list[Message]:
        index = self._current_index()
        if not index:
            return messages
        for message in messages:
            intent = message.get(INTENT) or {}
            if not message.get(TEXT) or intent.get(INTENT_NAME_KEY) in self.kept:
                continue
            decision = index.decide(_vector(message))
            if decision is None or decision.label == intent.get(INTENT_NAME_KEY):
                continue
            name = LIVE_INTENT if decision.topic else decision.label
            new = {INTENT_NAME_KEY: name, "confidence": decision.share}
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != name]
            message.set(INTENT, new, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [dict(new), *ranking], add_to_output=True)
            if decision.topic:
                message.set(LIVE_KEY, {"name": decision.label}, add_to_output=True)
        return messages


def _vector(message: Message) -> np.ndarray:
    _, sentence = message.get_dense_features(TEXT)
    if sentence is None:
        raise ValueError("LiveTopicsClassifier needs SentenceEmbeddingFeaturizer before it.")
    return sentence.features.reshape(-1)
