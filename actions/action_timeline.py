"""`action_compute_timeline`: a personal plan from what the user has told us."""

import logging
import os
import traceback
from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.core.calendar_link import plan_link
from actions.core.dates import YearMonth, classify_start
from actions.core.figures import load_figures
from actions.core.plan_picture import calendar_line, plan_picture
from actions.core.plan_request import PlanRequest, read_pace, read_plan_request, read_program
from actions.core.plan_text import render_plan
from actions.core.timeline import Pace, Program, compute_plan
from actions.paths import CONTENT_DIR

# plan_start for "from this month" (the form fills it too, when no start was told).
START_NOW = "now"

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
PLAN_SLOTS = ("plan_start", "program_type", "study_pace", "documents_ready")


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
        except Exception as error:  # an odd message must never cost the user an answer
            # The error's own text may quote the message: type and frames only, unless
            # LOG_USER_TEXT=1 (docs/security.md: no user text in logs).
            if os.environ.get("LOG_USER_TEXT", "").strip() == "1":
                logger.exception(
                    "timeline failed for message %r", tracker.latest_message.get("text")
                )
            else:
                frames = "".join(traceback.format_tb(error.__traceback__))
                logger.error("timeline failed: %s\n%s", type(error).__name__, frames.rstrip())
            dispatcher.utter_message(response="utter_timeline_unavailable")
            return []

    def _plan(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        now = today()
        message = tracker.latest_message
        request = read_plan_request(
            message.get("text") or "", now, FIGURES.seasons, message.get("entities") or []
        )
        stored = [tracker.get_slot(s) for s in PLAN_SLOTS]
        nothing_to_change = all(value is None for value in stored) and request == PlanRequest()
        if message.get("intent", {}).get("name") == "timeline_change" and nothing_to_change:
            # A "change" with no plan and no detail is most likely a misread message.
            dispatcher.utter_message(response="utter_no_plan_to_change")
            return []
        said: list[str] = []
        program, pace = self._program_and_pace(request, tracker, said)

        this_month = YearMonth.from_date(now)
        # The message wins; otherwise what the form or an earlier plan stored.
        start = request.start or YearMonth.from_iso(tracker.get_slot("plan_start") or "")
        documents_ready = request.documents_ready
        if documents_ready is None:
            # "true"/"false" when a story told it (components/plan_details.py)
            documents_ready = {True: True, "true": True, False: False, "false": False}.get(
                tracker.get_slot("documents_ready")
            )
        # Kept for follow-ups ("and when could I be working?"): the start as told, past or
        # not, or "now" for a plan from this month.
        remembered = start.iso() if start else START_NOW
        start, already = self._check_start(start, this_month, program, pace, said)

        plan = compute_plan(
            FIGURES,
            program=program,
            pace=pace,
            documents_ready=documents_ready,
            program_start=start,
            today=this_month,
        )
        lines = [*already, render_plan(plan, said), REFINE_HINT]
        # The Rasa server puts a token in the link, or drops it: server/calendar_tokens.py.
        link = plan_link(os.environ.get("PUBLIC_BASE_URL", "http://localhost:5005"))
        if line := calendar_line(link, tracker.get_latest_input_channel()):
            lines.append(line)
        text = "\n".join([*lines, "", SOURCE])
        dispatcher.utter_message(text=text)
        # The same plan as a picture: the widget draws it, Slack and Telegram get a PNG.
        dispatcher.utter_message(json_message=plan_picture(plan, link))
        return [
            SlotSet("program_type", program),
            SlotSet("study_pace", pace),
            SlotSet("plan_start", remembered),
            SlotSet("documents_ready", documents_ready),
        ]

    @staticmethod
    def _program_and_pace(
        request: PlanRequest, tracker: Tracker, said: list[str]
    ) -> tuple[Program, Pace]:
        """What the message or an earlier turn said, else the defaults (added to `said`)."""
        program = request.program or read_program(tracker.get_slot("program_type") or "")
        if program is None:
            program = "certificate"
            said.append("You didn't say which program, so I assumed a certificate (the shorter).")
        pace = request.pace or read_pace(tracker.get_slot("study_pace") or "")
        if pace is None:
            pace = "full_time"
            said.append("I assumed full-time study.")
        return program, pace

    def _check_start(
        self,
        start: YearMonth | None,
        this_month: YearMonth,
        program: Program,
        pace: Pace,
        said: list[str],
    ) -> tuple[YearMonth | None, list[str]]:
        """A past start plans from now (after what that start would have meant); notes in `said`."""
        if start is None:
            said.append("You didn't give a start date, so I planned from this month.")
            return None, []
        status = classify_start(start, this_month, FIGURES.far_start_months)
        if status == "past":
            said.append(f"{start.label()} has already passed, so this plan starts now.")
            return None, [self._since_past_start(start, program, pace), ""]
        if status == "far":
            said.append(
                f"{start.label()} is more than {FIGURES.far_start_months} months away, so "
                "treat these dates as a rough guide."
            )
        return start, []

    @staticmethod
    def _since_past_start(start: YearMonth, program: Program, pace: Pace) -> str:
        """For a user who may already be enrolled: when a program begun then ends."""
        # Documents are behind anyone who has started, so plan as if from well before.
        then = compute_plan(
            FIGURES,
            program=program,
            pace=pace,
            documents_ready=True,
            program_start=start,
            today=start.plus(-24),
        )
        studies = then.phases[1]
        return (
            f"If you started in {start.label()}, the program would end between "
            f"{studies.end_earliest.label()} and {studies.end_latest.label()}, and you could be "
            f"working as a CMA between {then.earliest_working.label()} and "
            f"{then.latest_working.label()}. If you have not started yet:"
        )
