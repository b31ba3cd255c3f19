"""A dialogue policy that answers follow-ups within the topic the bot last answered.

"is it paid at least?" right after the externship answer may read as a pay
question, or as "did you mean ...?"; this policy sees the conversation (the
NLU does not) and hands such a message to `action_answer_follow_up`. Its
priority is above the RulePolicy's, and it claims a turn only when the rules in
data/content/follow_ups.yml say the message leans on the last topic
(actions/core/follow_ups.py decides; no Rasa there).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Restarted, SlotSet, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from actions.core.checklists import choose_checklist, load_checklists
from actions.core.follow_ups import (
    RESTART,
    TOPIC,
    TOPIC_SLOT,
    USER,
    asks_own_length,
    direct_reply,
    last_two_topics,
    leans_on_last_answer,
    load_follow_ups,
)
from actions.core.item_match import AMBIGUOUS, DONE, SEVERAL, match_item
from actions.paths import CONTENT_DIR

ACTION = "action_answer_follow_up"
PLAN = "action_compute_timeline"
SHOW_CHECKLIST = "action_show_checklist"
ACTIVE_CHECKLIST = "active_checklist"
# A typed answer to "Which checklist would you like?" ("docs", "the exam one") is this short.
CHOICE_WORDS = 5
# Intents a typed choice may be read as; anything read surely as something else keeps it.
CHOICE_INTENTS = ("nlu_fallback", "out_of_scope", "show_checklist")
SAFETY_INTENTS = ("medical_emergency", "self_harm")
MARK_DONE = "action_mark_item_done"
# "ok now give me the one for the exam", "and the list for jobs?": a list asked by its topic.
_ASKS_FOR_A_LIST = re.compile(
    r"\b(the|a|that) (one|list|checklist) (for|about|on)\b|\b(checklist|list) (for|about|on)\b",
    re.I,
)
ANOTHER_LIST_WORDS = 12
_SAYS_DONE = re.compile(
    r"\b(i ?(have|ve)|i already|already|i did|done|finished|completed|rehearsed|practi[cs]ed|"
    r"prepared|submitted|checked|sent)\b",
    re.I,
)
CHECKLIST_TOPIC = "checklist"
# What the bot may know of the user's plan (told in a story or a plan made before).
PLAN_SLOTS = ("study_pace", "program_type", "plan_start")
EXTRACT_SLOTS = "action_extract_slots"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False
)
class FollowUpPolicy(Policy):
    """Predicts action_answer_follow_up for follow-ups, then listening."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"priority": 7}  # RulePolicy has 6: on equal confidence this one wins

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        featurizer: Any = None,
    ) -> None:
        super().__init__(config, model_storage, resource, execution_context, featurizer)
        self.follow_ups = load_follow_ups(CONTENT_DIR / "follow_ups.yml")
        self.checklists = load_checklists(CONTENT_DIR / "checklists.yml")

    def train(
        self, training_trackers: list[TrackerWithCachedStates], domain: Domain, **kwargs: Any
    ) -> Resource:
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Any = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        scores = self._default_predictions(domain)
        action = self._choose(tracker)
        if action and action in domain.action_names_or_texts:
            scores[domain.index_for_action(action)] = 1.0
        return self._prediction(scores)

    def _choose(self, tracker: DialogueStateTracker) -> str | None:
        if tracker.active_loop_name:
            return None
        since_user: list[str] = []
        for event in reversed(tracker.events):
            if isinstance(event, UserUttered):
                break
            if isinstance(event, ActionExecuted) and event.action_name:
                since_user.append(event.action_name)
        if ACTION in since_user or PLAN in since_user:
            return ACTION_LISTEN_NAME  # answered (and maybe declined): wait for the user
        message = tracker.latest_message
        if message is None or not message.text:
            return None
        intent = (message.intent or {}).get("name")
        confidence = float((message.intent or {}).get("confidence") or 0.0)
        topic, earlier = _topics_before_last_message(tracker)
        choice = self._names_the_checklist_asked_for(
            tracker, message.text, intent, confidence
        ) or self._asks_for_another_list(tracker, message.text, intent)
        ticks = not choice and self._ticks_an_open_list_item(
            tracker, message.text, intent, confidence, topic
        )
        if (choice and SHOW_CHECKLIST in since_user) or (ticks and MARK_DONE in since_user):
            return ACTION_LISTEN_NAME
        if any(name not in (EXTRACT_SLOTS, ACTION_LISTEN_NAME) for name in since_user):
            return None
        if choice:
            return SHOW_CHECKLIST
        if ticks:
            return MARK_DONE
        if direct_reply(self.follow_ups, intent, message.text):
            return ACTION
        if asks_own_length(intent, message.text) and any(
            tracker.get_slot(slot) for slot in PLAN_SLOTS
        ):
            return PLAN
        leans = leans_on_last_answer(
            self.follow_ups, intent, message.text, topic, earlier, confidence
        )
        return ACTION if leans else None

    def _names_the_checklist_asked_for(
        self, tracker: DialogueStateTracker, text: str, intent: str | None, confidence: float
    ) -> bool:
        """A short reply naming a list ("docs") right after "Which checklist would you like?"."""
        if intent in SAFETY_INTENTS or len(text.split()) > CHOICE_WORDS:
            return False
        if intent not in CHOICE_INTENTS and confidence >= 0.8:
            return False
        return _checklist_was_asked(tracker) and choose_checklist(self.checklists, text) is not None

    def _asks_for_another_list(
        self, tracker: DialogueStateTracker, text: str, intent: str | None
    ) -> bool:
        """With a list shown, a short request for the one of another topic ("ok now give me
        the one for the exam"), however the words were read."""
        active = tracker.get_slot(ACTIVE_CHECKLIST)
        if active is None or intent in SAFETY_INTENTS or len(text.split()) > ANOTHER_LIST_WORDS:
            return False
        if not _ASKS_FOR_A_LIST.search(text):
            return False
        named = choose_checklist(self.checklists, text)
        return named is not None and named.key != active

    def _ticks_an_open_list_item(
        self,
        tracker: DialogueStateTracker,
        text: str,
        intent: str | None,
        confidence: float,
        topic: str | None,
    ) -> bool:
        """Said right after a checklist, a statement that an item of that list is done
        ("checked: both schools are ABHES accredited"), even when it reads as a topic."""
        active = tracker.get_slot(ACTIVE_CHECKLIST)
        if topic != CHECKLIST_TOPIC or active not in self.checklists or "?" in text:
            return False
        if intent in SAFETY_INTENTS or intent == "mark_item_done":
            return False
        # A topic read surely keeps it, unless the message says the thing is done ("I've
        # rehearsed my interview answers with my cousin many times" reads as interview tips).
        if intent not in CHOICE_INTENTS and confidence >= 0.8 and not _SAYS_DONE.search(text):
            return False
        match = match_item(self.checklists, text, active)
        ticked = match.candidates[:1] if match.kind == DONE else match.candidates
        # Two items of the list fit equally ("rehearsed my interview answers"): the action
        # asks which one, rather than answering the topic.
        return match.kind in (DONE, SEVERAL, AMBIGUOUS) and all(c.key == active for c, _ in ticked)


def _checklist_was_asked(tracker: DialogueStateTracker) -> bool:
    """The bot's last action before this message showed no list: it asked which one."""
    events = reversed(tracker.events)
    for event in events:
        if isinstance(event, UserUttered):
            break
    for event in events:
        if isinstance(event, SlotSet) and event.key == ACTIVE_CHECKLIST:
            return False
        if isinstance(event, ActionExecuted) and event.action_name != ACTION_LISTEN_NAME:
            return event.action_name == SHOW_CHECKLIST
        if isinstance(event, UserUttered):
            return False
    return False


def _topics_before_last_message(tracker: DialogueStateTracker) -> tuple[str | None, str | None]:
    """`last_two_topics` on Rasa's events, converted lazily: converting a long
    conversation's events every turn was costly."""

    def kinds() -> Iterator[tuple[str, Any]]:
        for event in reversed(tracker.events):
            if isinstance(event, UserUttered):
                yield USER, None
            elif isinstance(event, Restarted):
                yield RESTART, None
            elif isinstance(event, SlotSet) and event.key == TOPIC_SLOT:
                yield TOPIC, event.value

    return last_two_topics(kinds())
