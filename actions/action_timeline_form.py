"""`validate_timeline_form`: read a start month from whatever the user wrote.

The form asks for a start only when the request held no personal detail at
all; a message such as "part time, how long?" is answered at once from this
month, with the defaults stated.
"""

from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.action_timeline import FIGURES, START_NOW, today
from actions.core.dates import YearMonth, parse_start
from actions.core.plan_request import read_plan_request

# plan_start values besides "YYYY-MM" (and START_NOW).
UNREADABLE = "unreadable"
# Intents that are (failed) answers to "when do you plan to start?"; any other
# intent is an interruption (a guide question, thanks ...) and gets its own answer.
ANSWER_INTENTS = {"timeline_personal", "timeline_change", "nlu_fallback", "out_of_scope"}
# Set by the safety gate (components/safety_gate.py): never read as an answer,
# even when the message holds a date, so the safety reply comes first.
SAFETY_INTENTS = {"medical_emergency", "self_harm"}


class ValidateTimelineForm(FormValidationAction):
    def name(self) -> str:
        return "validate_timeline_form"

    async def extract_plan_start(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent in SAFETY_INTENTS:
            return {}
        text = tracker.latest_message.get("text") or ""
        start = parse_start(text, today(), FIGURES.seasons)
        if start is not None:
            return {"plan_start": start.iso()}
        requested = tracker.get_slot("requested_slot")
        if requested is None:
            # The form is just starting: any personal detail is enough to plan from now.
            request = read_plan_request(text, today(), FIGURES.seasons)
            said_something = request.program or request.pace or request.documents_ready is not None
            return {"plan_start": START_NOW} if said_something else {}
        if requested == "plan_start" and intent in ANSWER_INTENTS:
            return {"plan_start": UNREADABLE}
        return {}

    def validate_plan_start(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        if slot_value == START_NOW or YearMonth.from_iso(str(slot_value)) is not None:
            return {"plan_start": slot_value}
        dispatcher.utter_message(
            text=(
                "Sorry, I couldn't find a month in that. Please write the month and year "
                'you plan to start, like "September 2027" or "09/2027". Not sure yet? '
                'Say "now" and I\'ll plan from this month, or "cancel" to stop.'
            )
        )
        return {"plan_start": None}
