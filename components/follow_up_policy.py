"""A dialogue policy that answers follow-ups within the topic the bot last answered.

"is it paid at least?" right after the externship answer may read as a pay
question, or as "did you mean ...?"; this policy sees the conversation (the
NLU does not) and hands such a message to `action_answer_follow_up`. Its
priority is above the RulePolicy's, and it claims a turn only when the rules in
data/content/follow_ups.yml say the message leans on the last topic
(actions/core/follow_ups.py decides; no Rasa there).
"""

from __future__ import annotations

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

from actions.core.follow_ups import (
    RESTART,
    TOPIC,
    TOPIC_SLOT,
    USER,
    asks_own_length,
    gap_in_question,
    last_two_topics,
    leans_on_last_answer,
    load_follow_ups,
)
from actions.paths import CONTENT_DIR

ACTION = "action_answer_follow_up"
PLAN = "action_compute_timeline"
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
        if any(name not in (EXTRACT_SLOTS, ACTION_LISTEN_NAME) for name in since_user):
            return None
        message = tracker.latest_message
        if message is None or not message.text:
            return None
        topic, earlier = _topics_before_last_message(tracker)
        intent = (message.intent or {}).get("name")
        confidence = float((message.intent or {}).get("confidence") or 0.0)
        if gap_in_question(self.follow_ups, intent, message.text):
            return ACTION
        if asks_own_length(intent, message.text) and any(
            tracker.get_slot(slot) for slot in PLAN_SLOTS
        ):
            return PLAN
        leans = leans_on_last_answer(
            self.follow_ups, intent, message.text, topic, earlier, confidence
        )
        return ACTION if leans else None


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
