"""Rasa adapter: details told in passing become entities the bot remembers.

"My transcripts are already translated and I'd like a certificate program
starting in August 2027. Do I also need a WES evaluation?" is answered as a WES
question, and the story's details are kept as slots (domain.yml maps these
entities): `plan_start` (only a month tied to starting), `documents_ready`, and
`done_item` for a checklist item the user says is done. The reading itself is
the action server's pure code (actions/core), so both sides read alike.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.core.checklists import load_checklists
from actions.core.dates import stated_start
from actions.core.figures import load_figures
from actions.core.item_match import SEVERAL, match_item
from actions.core.plan_request import read_documents_ready
from actions.paths import CONTENT_DIR

# Words without which a message says nothing is done (match_item is the costly part).
_DONE_CUES = re.compile(
    r"\b(already|done|finished|completed?|got|have|has|had|did|just|i'?ve|ready|translated|"
    r"evaluated)\b",
    re.IGNORECASE,
)
# Intents whose messages the checklist actions read themselves.
_CHECKLIST_INTENTS = {"mark_item_done", "next_item", "show_checklist", "show_progress"}
_MARK_DONE = "mark_item_done"
# Safety first; and "what if I did the certificate instead" changes a plan, it ticks nothing.
# "... are done. what else is left?" asks only what comes next, which ticking answers too.
_NEXT_QUESTION = re.compile(
    r"[\s.,!;:-]*\b(what(\s*(is|'?s))?\s+(else|next|left|now)|whats\s+(next|left)|anything else|"
    r"and now|now what|next)\b[\w\s']{0,20}\W*$",
    re.IGNORECASE,
)
_NEVER_DEMOTED = {"medical_emergency", "self_harm", "timeline_personal", "timeline_change"}
# A message that asks something: it gets its answer, even when it also tells what is done.
_ASKS = re.compile(
    r"\?|\b(?:what|when|where|which|who|why|how)\b|(?:^|[.!,;]\s*)(?:is|are|do|does|can|could|"
    r"should|would|will|may|must)\b",
    re.IGNORECASE,
)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class PlanDetailsExtractor(GraphComponent, EntityExtractorMixin):
    """Adds plan_start, documents_ready and done_item entities from what a message tells."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> PlanDetailsExtractor:
        return cls()

    def __init__(self) -> None:
        self.seasons = load_figures(CONTENT_DIR / "timeline.yml").seasons
        self.checklists = load_checklists(CONTENT_DIR / "checklists.yml")

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if text.startswith("/") or len(text.split()) < 4:
                continue  # a button payload, or too short to tell a story
            found = self.read(text, (message.get("intent") or {}).get("name"))
            if found:
                entities = [*message.get(ENTITIES, []), *found]
                message.set(ENTITIES, entities, add_to_output=True)
                if any(entity["entity"] == "done_item" for entity in found):
                    _prefer_marking_done(message, text)
        return messages

    def read(self, text: str, intent: str | None) -> list[dict[str, Any]]:
        found = []
        start = stated_start(text, date.today(), self.seasons)
        if start is not None:
            found.append(self._entity("plan_start", start.iso()))
        ready = read_documents_ready(text)
        if ready is not None:
            found.append(self._entity("documents_ready", "true" if ready else "false"))
        if intent not in _CHECKLIST_INTENTS and _DONE_CUES.search(text):
            match = match_item(self.checklists, text)
            # "I have my transcripts and they have been translated": each item is done.
            told = match.candidates if match.kind == SEVERAL else [match.best] if match.best else []
            for checklist, item in told:
                found.append(self._entity("done_item", checklist.item_key(item)))
        return found

    @staticmethod
    def _entity(name: str, value: str) -> dict[str, Any]:
        return {"entity": name, "value": value, "extractor": "PlanDetailsExtractor"}


def _prefer_marking_done(message: Message, text: str) -> None:
    """A statement that a checklist item is done ticks it, rather than answering its topic.

    "my resume already has an International Medical Education section" reads close to the
    resume answer; when it asks nothing and the model ranks marking-done among its top
    three, the user is reporting progress.
    """
    if _ASKS.search(_NEXT_QUESTION.sub("", text)):
        return
    ranking = message.get(INTENT_RANKING_KEY) or []
    names = [entry.get("name") for entry in ranking[:3]]
    if _MARK_DONE not in names or names[0] == _MARK_DONE or names[0] in _NEVER_DEMOTED:
        return
    top = dict(ranking[0])
    promoted = {"name": _MARK_DONE, "confidence": top.get("confidence", 0.0)}
    rest = [entry for entry in ranking if entry.get("name") != _MARK_DONE]
    message.set(INTENT, promoted, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [promoted, *rest], add_to_output=True)
