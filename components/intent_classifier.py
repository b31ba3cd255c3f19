"""Rasa adapter for the linear intent model (components/linear_intent_model.py)."""

from __future__ import annotations

import re
from dataclasses import fields
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.linear_intent_model import LinearIntentModel, Settings
from components.sentence_featurizer import FOCUS, PARTS, SentenceEmbeddingFeaturizer

RANKING_LENGTH = 10
QUESTION_WEIGHT = 1 / 2  # the closing question's share when a message wraps it in more
# Each sentence's own first intent and confidence, for the safety gate (never in the output).
PART_INTENTS = "part_intents"
FOLLOW_UP = "follow_up"
STORY_WORDS = 30  # a message longer than this tells its own story
SHOW_CHECKLIST = "show_checklist"
# "what paperwork should I line up? make me a to-do list": the topic's checklist is asked for.
_LIST_ASKED = re.compile(
    r"\b(check ?lists?|to-?do( list)?|todo( list)?|tick ?list|checklist style"
    r"|list of (steps|things|tasks|what to do)|(make|give|send|write) me a list|in a list"
    r"|as a list|step[- ]by[- ]step list)\b",
    re.IGNORECASE,
)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LinearIntentClassifier(GraphComponent, IntentClassifier):
    """Picks the intent from sentence embeddings and character n-grams."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [SentenceEmbeddingFeaturizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {f.name: f.default for f in fields(Settings)}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: LinearIntentModel | None = None,
    ) -> None:
        self.settings = Settings(**{f.name: config[f.name] for f in fields(Settings)})
        self._model_storage = model_storage
        self._resource = resource
        self.model = model

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LinearIntentClassifier:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(INTENT) and m.get(TEXT)]
        self.model = LinearIntentModel.fit(
            [m.get(TEXT) for m in examples],
            _embeddings(examples),
            [m.get(INTENT) for m in examples],
            self.settings,
        )
        with self._model_storage.write_to(self._resource) as folder:
            self.model.save(folder)
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LinearIntentClassifier:
        with model_storage.read_from(resource) as folder:
            model = LinearIntentModel.load(folder)
        return cls(config, model_storage, resource, model)

    def process(self, messages: list[Message]) -> list[Message]:
        scored = [m for m in messages if m.get(TEXT)]
        if self.model is None or not scored:
            return messages
        probabilities = self.model.probabilities([m.get(TEXT) for m in scored], _embeddings(scored))
        for row, message in enumerate(scored):
            if focus := message.get(FOCUS):
                # A story ending in a question: the whole message and its question count alike.
                # (Two thirds for the question read more stories right, but made the model so
                # sure of a closing study question that it excused a crisis told before it.)
                text, vector = focus
                question = self.model.probabilities([text], vector.reshape(1, -1))[0]
                probabilities[row] = (1 - QUESTION_WEIGHT) * probabilities[row] + (
                    QUESTION_WEIGHT * question
                )
        for message in scored:
            if parts := message.get(PARTS):
                message.set(PART_INTENTS, self._part_intents(*parts))
        _no_bare_follow_up_in_a_story(probabilities, scored, self.model.classes)
        _a_list_asked_for(probabilities, scored, self.model.classes)
        rankings = self.model.rank(probabilities)
        for message, ranking in zip(scored, rankings, strict=True):
            top = [
                {"name": name, "confidence": confidence}
                for name, confidence in ranking[:RANKING_LENGTH]
            ]
            message.set(INTENT, top[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, top, add_to_output=True)
        return messages

    def _part_intents(self, texts: list[str], vectors: np.ndarray) -> list[tuple[str, str, float]]:
        """Each sentence with the intent the model gives it alone, and its confidence."""
        rankings = self.model.rankings(texts, vectors)
        return [
            (text, ranking[0][0], ranking[0][1])
            for text, ranking in zip(texts, rankings, strict=True)
        ]


def _no_bare_follow_up_in_a_story(
    probabilities: np.ndarray, messages: list[Message], classes: list[str]
) -> None:
    """A long message carries its own question: its "which one for me?" leans on the story
    it tells, not on the last answer, so the follow-up intent gives way to the next one."""
    if FOLLOW_UP not in classes:
        return
    column = classes.index(FOLLOW_UP)
    for row, message in enumerate(messages):
        if len(message.get(TEXT).split()) > STORY_WORDS:
            probabilities[row, column] = 0.0
            total = probabilities[row].sum()
            if total > 0:
                probabilities[row] /= total


def _a_list_asked_for(
    probabilities: np.ndarray, messages: list[Message], classes: list[str]
) -> None:
    """A message that asks for a checklist in so many words gets one, whatever topic it
    names: "how to choose a program? checklist style pls" is the program checklist."""
    if SHOW_CHECKLIST not in classes:
        return
    column = classes.index(SHOW_CHECKLIST)
    for row, message in enumerate(messages):
        if _LIST_ASKED.search(message.get(TEXT)) and probabilities[row, column] > 0.0:
            probabilities[row, column] = probabilities[row].max() + 0.1
            probabilities[row] /= probabilities[row].sum()


def _embeddings(messages: list[Message]) -> np.ndarray:
    rows = []
    for message in messages:
        _, sentence = message.get_dense_features(TEXT)
        if sentence is None:
            raise ValueError("LinearIntentClassifier needs SentenceEmbeddingFeaturizer before it.")
        rows.append(sentence.features.reshape(-1))
    return np.stack(rows)
