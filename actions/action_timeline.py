"""`action_compute_timeline`: a personal plan from what the user has told us."""

import logging
from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.core.dates import YearMonth, classify_start
from actions.core.figures import load_figures
from actions.core.plan_request import read_pace, read_plan_request, read_program
from actions.core.plan_text import render_plan
from actions.core.timeline import compute_plan
from actions.paths import CONTENT_DIR

logger = logging.getLogger(__name__)

FIGURES = load_figures(CONTENT_DIR / "timeline.yml")
SOURCE = (
    '📖 From the guide: FAQ "How long does the whole process typically take?" '
    "(program lengths and the 1.5 to 2.5 years); the other phase lengths are our estimates."
)
REFINE_HINT = (
    'To adjust it, tell me what differs, e.g. "part time", "associate degree", '
    '"my transcripts are already translated" or "start in January 2027".'
)
PROGRAM_WORDS = {"certificate": "an MA certificate program", "associate": "an associate degree"}


def today() -> date:
    """Today's date; a seam for tests."""
    return date.today()


class ActionComputeTimeline(Action):
    def name(self) -> str:
        return "action_compute_timeline"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        try:
            return self._plan(dispatcher, tracker)
        except Exception:  # an odd message must never cost the user an answer
            logger.exception("timeline failed for message %r", tracker.latest_message.get("text"))
            dispatcher.utter_message(response="utter_timeline_unavailable")
            return []

    def _plan(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        now = today()
        message = tracker.latest_message
        request = read_plan_request(
            message.get("text") or "", now, FIGURES.seasons, message.get("entities") or []
        )
        program = request.program or read_program(tracker.get_slot("program_type") or "")
        pace = request.pace or read_pace(tracker.get_slot("study_pace") or "")
        said: list[str] = []
        if program is None:
            program = "certificate"
            said.append("You didn't say which program, so I assumed a certificate (the shorter).")
        if pace is None:
            pace = "full_time"
            said.append("I assumed full-time study.")

        this_month = YearMonth.from_date(now)
        start = request.start
        if start is not None:
            status = classify_start(start, this_month, FIGURES.far_start_months)
            if status == "past":
                said.append(f"{start.label()} has already passed, so I planned from now instead.")
                start = None
            elif status == "far":
                said.append(
                    f"{start.label()} is more than {FIGURES.far_start_months} months away, so "
                    "treat these dates as a rough guide."
                )
        else:
            said.append("You didn't give a start date, so I planned from this month.")

        plan = compute_plan(
            FIGURES,
            program=program,
            pace=pace,
            documents_ready=request.documents_ready,
            program_start=start,
            today=this_month,
        )
        text = "\n".join([render_plan(plan, said), REFINE_HINT, "", SOURCE])
        dispatcher.utter_message(text=text)
        return [SlotSet("program_type", program), SlotSet("study_pace", pace)]
