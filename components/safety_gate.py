"""`SafetyGate`: the last NLU component; emergencies and self-harm win over every other intent.

A thin Rasa adapter over `components/safety_rules.py`. When a message matches,
its intent becomes `medical_emergency` or `self_harm` with confidence 1.0 and
goes first in the ranking, so neither the FallbackClassifier ("did you mean")
nor any topic can answer it. Other messages pass untouched.
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

from components.safety_rules import (
    DEFAULT_PATTERNS,
    EMERGENCY,
    SELF_HARM,
    SafetyRules,
    classify,
    load_rules,
)

logger = logging.getLogger(__name__)

PATTERNS_KEY = "patterns"
INTENTS_KEY = "intents"
DEFAULT_INTENTS = {EMERGENCY: "medical_emergency", SELF_HARM: "self_harm"}


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SafetyGate(GraphComponent, IntentClassifier):
    """Sets the safety intents on messages that describe an emergency or self-harm."""

    @classmethod
    def required_components(cls) -> list[type]:
        """Runs after an intent classifier, whose prediction it may replace."""
        return [IntentClassifier]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Patterns file (None: data/safety/patterns.yml) and the intent for each category."""
        return {PATTERNS_KEY: None, INTENTS_KEY: dict(DEFAULT_INTENTS)}

    def __init__(self, config: dict[str, Any], rules: SafetyRules) -> None:
        """Keep the config and the loaded rules."""
        self.component_config = config
        self.rules = rules
        self.intents = {**DEFAULT_INTENTS, **(config.get(INTENTS_KEY) or {})}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SafetyGate:
        """Read the patterns file named in the config (a broken file stops the load)."""
        path = Path(config[PATTERNS_KEY]) if config.get(PATTERNS_KEY) else DEFAULT_PATTERNS
        return cls(config, load_rules(path))

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training data passes unchanged: the gate learns nothing."""
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        """Put the safety intent first on every message that matches."""
        for message in messages:
            category = classify(message.get(TEXT) or "", self.rules)
            if category is None:
                continue
            intent = {INTENT_NAME_KEY: self.intents[category], PREDICTED_CONFIDENCE_KEY: 1.0}
            ranking = [
                entry
                for entry in message.get(INTENT_RANKING_KEY) or []
                if entry.get(INTENT_NAME_KEY) != intent[INTENT_NAME_KEY]
            ]
            message.set(INTENT, intent, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [dict(intent), *ranking], add_to_output=True)
            # Never the message text: logs must not hold what users wrote.
            logger.info("Safety gate: %s", intent[INTENT_NAME_KEY])
        return messages
