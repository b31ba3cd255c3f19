"""`LanguageGate`: a message not in English is answered only when the NLU is sure of it.

A thin Rasa adapter over `components/language.py`, placed after the
FallbackClassifier and before the SafetyGate (which stays last, so emergencies
and self-harm still win). Every message gets a `language` entry in its parse
data (and so in the tracker). A message in another language whose top intent is
below the stricter `threshold`, or is `nlu_fallback`, gets the intent
`other_language` (the honest "I answer in English only" reply); its former
intent is kept in `language.intent` and in the ranking. The server sends the
"I can only answer in English" note before the answers to the rest
(server/message_guard.py).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.language import DEFAULT_PATH, LanguageIdentifier, load_data

logger = logging.getLogger(__name__)

LANGUAGE_KEY = "language"
OTHER_LANGUAGE = "other_language"
FALLBACK = "nlu_fallback"
# Never replaced: the safety gate answers these first anyway.
KEPT_INTENTS = ("medical_emergency", "self_harm")


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class LanguageGate(GraphComponent, IntentClassifier):
    """Marks each message's language; unsure non-English messages get `other_language`."""

    @classmethod
    def required_components(cls) -> list[type]:
        """Runs after an intent classifier, whose prediction it may replace."""
        return [IntentClassifier]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Data file (None: data/language/languages.yml), threshold and intent names."""
        return {
            "languages": None,
            "threshold": 0.7,
            "intent": OTHER_LANGUAGE,
            "kept_intents": list(KEPT_INTENTS),
        }

    def __init__(self, config: dict[str, Any], identifier: LanguageIdentifier) -> None:
        """Keep the config and the identifier."""
        self.component_config = config
        self.identifier = identifier
        self.threshold = float(config["threshold"])
        self.intent = str(config["intent"])
        self.kept = set(config.get("kept_intents") or ())

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageGate:
        """Read the word lists (a broken file stops the load)."""
        path = Path(config["languages"]) if config.get("languages") else DEFAULT_PATH
        return cls(config, LanguageIdentifier(load_data(path)))

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training data passes unchanged: the gate learns nothing."""
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        """Add the language; replace an unsure intent of a non-English message."""
        for message in messages:
            text = message.get(TEXT) or ""
            if not text or text.startswith("/"):  # button payloads are the bot's own
                continue
            language = self.identifier.identify(text)
            info = language.as_dict()
            intent = dict(message.get(INTENT) or {})
            name = intent.get(INTENT_NAME_KEY)
            confidence = float(intent.get(PREDICTED_CONFIDENCE_KEY) or 0.0)
            unsure = name == FALLBACK or name is None or confidence < self.threshold
            if not language.english and unsure and name not in self.kept:
                info["intent"] = intent
                new = {INTENT_NAME_KEY: self.intent, PREDICTED_CONFIDENCE_KEY: 1.0}
                ranking = [
                    entry
                    for entry in message.get(INTENT_RANKING_KEY) or []
                    if entry.get(INTENT_NAME_KEY) != self.intent
                ]
                message.set(INTENT, new, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [dict(new), *ranking], add_to_output=True)
                # Never the message text: logs must not hold what users wrote.
                logger.info("Language gate: %s, unsure (%s): %s", language.code, name, self.intent)
            message.set(LANGUAGE_KEY, info, add_to_output=True)
        return messages
