"""`SafetyGate`: the last NLU component; emergencies and self-harm win over every other intent.

A thin Rasa adapter over `components/safety_rules.py`. Two ways in: the
operator-editable patterns, and the trained model, which learnt both intents
from varied examples (data/nlu/medical_emergency.yml, self_harm.yml) and so
also hears indirect wordings no pattern lists ("i've been saving my pills").
Its own top intent counts from `model_threshold` (0.6; docs/safety.md) unless
the patterns know the message for a look-alike, a denial ("I'm not suicidal,
just tired") or a joke; a sure model may also excuse a study question the
patterns misread, or turn an emergency match into self-harm. When a message matches,
its intent becomes `medical_emergency` or `self_harm` with confidence 1.0 and
goes first in the ranking, so neither the FallbackClassifier ("did you mean")
nor any topic can answer it. Other messages pass untouched.
"""

from __future__ import annotations

import logging
import re
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

from components.intent_classifier import PART_INTENTS
from components.safety_rules import (
    DEFAULT_PATTERNS,
    EMERGENCY,
    SELF_HARM,
    SafetyRules,
    coping,
    denied,
    find,
    joking,
    load_rules,
    looks_harmless,
    mentions_study,
    normalize,
    own_risk,
    serious,
    staged,
)

logger = logging.getLogger(__name__)

PATTERNS_KEY = "patterns"
MODEL_THRESHOLD_KEY = "model_threshold"
STUDY_VETO_KEY = "study_veto_confidence"
SELF_HARM_OVER_KEY = "self_harm_over_emergency"
SENTENCE_THRESHOLDS_KEY = "sentence_thresholds"
SENTENCE_UNSURE_KEY = "sentences_below"
# A joke marker ("lol") no longer excuses self-harm the model is this sure of.
JOKE_SURE_KEY = "joke_sure"
# A `needs_model` pattern counts when the model gives its category this much, for the
# whole message or one sentence of it.
NEEDS_MODEL_KEY = "needs_model_confidence"
# Below this a demoted message's next intent is too unsure to answer (the fallback's threshold).
FALLBACK_FLOOR = 0.4
INTENTS_KEY = "intents"
DEFAULT_INTENTS = {EMERGENCY: "medical_emergency", SELF_HARM: "self_harm"}
# Words of a match that make it the writer's own ("ending my life", "kill myself").
_FIRST_PERSON = re.compile(r"\b(i|im|ive|id|ill|me|my|myself|mine)\b")
# Said just before an emergency match: the writer's own or someone of theirs ("I have
# crushing chest pressure", "my dad has chest pain"), not a case asked about.
_HAS_IT = r"\b(i have|ive got|i got|im having|i am having|i feel|my|me)\b(?:\s+\w+){0,2}\s+"


def _said_of_oneself(normalized: str, words: str) -> bool:
    """The match is said of the writer or someone of theirs, not of a case in a question."""
    if _FIRST_PERSON.search(words):
        return True
    return bool(re.search(_HAS_IT + re.escape(words), normalized))


# Intents the pipeline's gates set rather than the classifier.
_VERDICTS = frozenset({"nlu_fallback", "other_language", "live_topic"})


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
        return {
            PATTERNS_KEY: None,
            INTENTS_KEY: dict(DEFAULT_INTENTS),
            MODEL_THRESHOLD_KEY: 0.6,
            STUDY_VETO_KEY: 0.6,
            SELF_HARM_OVER_KEY: 0.8,
            SENTENCE_THRESHOLDS_KEY: {EMERGENCY: 0.9, SELF_HARM: 0.97},
            SENTENCE_UNSURE_KEY: 0.8,
            JOKE_SURE_KEY: 0.975,
            NEEDS_MODEL_KEY: 0.3,
        }

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
            name, source = self._verdict(message)
            if name is None:
                self._demote(message)
                continue
            intent = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: 1.0}
            ranking = [
                entry
                for entry in message.get(INTENT_RANKING_KEY) or []
                if entry.get(INTENT_NAME_KEY) != intent[INTENT_NAME_KEY]
            ]
            message.set(INTENT, intent, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [dict(intent), *ranking], add_to_output=True)
            # Never the message text: logs must not hold what users wrote.
            logger.info("Safety gate: %s (%s)", name, source)

        return messages

    def _verdict(self, message: Message) -> tuple[str | None, str]:
        """The safety intent for a message (or None) and what decided it."""
        text = message.get(TEXT) or ""
        match = find(text, self.rules)
        # "I gave away my old USMLE books since I won't need them anymore": a wording that
        # look-alikes share stands only with the model behind it.
        needed = float(self.component_config.get(NEEDS_MODEL_KEY, 0.3))
        if match is not None and match.weak and self._support(message, match.category) < needed:
            match = None
        if match is None:
            return self._from_model(message), "model"
        category = match.category
        top, confidence = self._top(message)
        safety = set(self.intents.values())
        # A study question the patterns misread ("the answer choices confuse me" sounds
        # personal): the model, sure it is a question of another kind, has the last word.
        study_veto = float(self.component_config.get(STUDY_VETO_KEY, 0.6))
        # Not when the risk is the asker's own: "the lethal dose of insulin? I have some",
        # or self-harm said of oneself ("... CAAHEP and ABHES? also I've been thinking
        # about ending my life").
        studying = (
            mentions_study(text, self.rules)
            and not own_risk(text, self.rules)
            and not _said_of_oneself(normalize(text, self.rules), match.words)
        )
        if studying and top not in safety and confidence >= study_veto:
            return None, "study question"
        # "is carbon monoxide in the car painful? my garage closes": the patterns hear an
        # emergency, a sure model hears self-harm, whose reply also says to call 911.
        over = float(self.component_config.get(SELF_HARM_OVER_KEY, 0.8))
        if category == EMERGENCY and top == self.intents[SELF_HARM] and confidence >= over:
            return top, "patterns and model"
        return self.intents[category], "patterns"

    def _support(self, message: Message, category: str) -> float:
        """How sure the model is of category, for the whole message or its surest sentence."""
        name = self.intents[category]
        whole = [
            float(entry.get(PREDICTED_CONFIDENCE_KEY) or 0.0)
            for entry in message.get(INTENT_RANKING_KEY) or []
            if entry.get(INTENT_NAME_KEY) == name
        ]
        parts = [c for _, n, c in message.get(PART_INTENTS) or [] if n == name]
        return max([*whole, *parts, 0.0])

    def _top(self, message: Message) -> tuple[str | None, float]:
        """The classifier's own first intent, past the gates' verdicts ("did you mean",
        another language): those say the message is unclear, not what it is."""
        for entry in message.get(INTENT_RANKING_KEY) or []:
            if entry.get(INTENT_NAME_KEY) not in _VERDICTS:
                return entry.get(INTENT_NAME_KEY), float(entry.get(PREDICTED_CONFIDENCE_KEY) or 0.0)
        return None, 0.0

    def _from_model(self, message: Message) -> str | None:
        """The classifier's top intent when it is a safety one at `model_threshold` or more."""
        threshold = float(self.component_config.get(MODEL_THRESHOLD_KEY, 0.6))
        safety = set(self.intents.values())
        text = message.get(TEXT) or ""
        name, confidence = self._top(message)
        # "dying to know", "I'm not suicidal, just tired": the patterns know; not "I'd rather
        # be dead than go back, and I mean it".
        if (looks_harmless(text, self.rules) and not serious(text, self.rules)) or denied(
            text, self.rules
        ):
            return None
        # "lol" excuses what the model alone hears, unless it is all but certain: "lol i
        # googled how many of my insulin pens it would take" is still a crisis.
        if joking(text, self.rules) and not self._all_but_certain(message, name, confidence):
            return None
        if name in safety and confidence >= threshold:
            return name
        return self._from_sentences(message, confidence)

    def _all_but_certain(self, message: Message, name: str | None, whole: float) -> bool:
        """The model is all but certain of self-harm, for the message or one sentence of it
        ("lmao the only exam i'm passing is the one to the afterlife. already picked out the
        spot"), and that sentence is no known look-alike."""
        sure = float(self.component_config.get(JOKE_SURE_KEY, 0.975))
        if name == self.intents[SELF_HARM] and whole >= sure:
            return True
        return any(
            part_name == self.intents[SELF_HARM]
            and part_confidence >= sure
            and not looks_harmless(part, self.rules)
            for part, part_name, part_confidence in message.get(PART_INTENTS) or []
        )

    def _from_sentences(self, message: Message, whole: float) -> str | None:
        """A safety intent the model is sure of for one sentence on its own.

        A crisis said in one sentence of a long career story is diluted in the whole
        message ("... I finish my externship next month. I don't see me in the future
        anymore."). The sentence's own look-alikes and denials still excuse it; an
        emergency read in a message about studying does not count (the study veto).
        """
        # A message the model reads with confidence as a question of another kind keeps that
        # reading: a sad or dramatic sentence in it is context ("he is ok now, the ambulance
        # took him. anyway how many questions ..."). `whole`: the whole message's top confidence.
        if whole >= float(self.component_config.get(SENTENCE_UNSURE_KEY, 0.8)):
            return None
        thresholds = {
            self.intents[category]: float(value)
            for category, value in (
                self.component_config.get(SENTENCE_THRESHOLDS_KEY) or {}
            ).items()
        }
        text = message.get(TEXT) or ""
        # A study question, or a scene long past ("my dad had a heart attack last year, he
        # recovered"): its sentences tell of emergencies that are not happening now.
        not_now = (mentions_study(text, self.rules) and not own_risk(text, self.rules)) or staged(
            text, self.rules
        )
        for part, name, confidence in message.get(PART_INTENTS) or []:
            if name not in thresholds or confidence < thresholds[name]:
                continue
            if looks_harmless(part, self.rules) or denied(part, self.rules):
                continue
            if name == self.intents[EMERGENCY] and not_now:
                continue
            if name == self.intents[SELF_HARM] and coping(text, self.rules):
                continue
            return name
        return None

    def _demote(self, message: Message) -> None:
        """A safety intent neither the patterns nor a sure model stand behind gives way.

        The next intent in the ranking takes its place, or "did you mean" when that one
        is unsure, so "I'm scared to death of the interview" never gets the crisis reply.
        """
        intent = message.get(INTENT) or {}
        if intent.get(INTENT_NAME_KEY) not in set(self.intents.values()):
            return
        safety = set(self.intents.values())
        ranking = [
            e for e in message.get(INTENT_RANKING_KEY) or [] if e.get(INTENT_NAME_KEY) not in safety
        ]
        best = ranking[0] if ranking else None
        if best is None or float(best.get(PREDICTED_CONFIDENCE_KEY) or 0.0) < FALLBACK_FLOOR:
            # Another language gets the LanguageGate's honest English-only reply instead.
            english = (message.get("language") or {}).get("english", True)
            unsure = "nlu_fallback" if english else "other_language"
            best = {INTENT_NAME_KEY: unsure, PREDICTED_CONFIDENCE_KEY: 1.0}
            ranking = [best, *ranking]
        message.set(INTENT, dict(best), add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
