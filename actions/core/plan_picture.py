"""A plan as data for a picture: what the widget draws as SVG and Slack/Telegram get as PNG.

Built from the same `Plan` as the text plan (actions/core/plan_text.py), so the picture and the
words always agree. Months travel as "YYYY-MM"; each phase also carries the text plan's own
wording of its months (`when`), so a reader can check one against the other.
"""

from __future__ import annotations

from typing import Any

from actions.core.dates import YearMonth
from actions.core.plan_text import phase_when, working_line
from actions.core.timeline import PROGRAM_NAMES, Phase, Plan

PICTURE_TYPE = "plan_timeline"
PICTURE_VERSION = 1

# Bar labels short enough for a 320-px-wide phone; the full titles stay in `name`.
_SHORT_NAMES = {
    "documents": "Documents and applications",
    "exam": "Exam prep and CMA exam",
    "job_search": "Job search",
}


def _short_name(phase: Phase, plan: Plan) -> str:
    if phase.key != "program":
        return _SHORT_NAMES[phase.key]
    kind = "MA certificate" if plan.program == "certificate" else "associate's degree"
    if plan.pace == "part_time":
        return f"Part-time {kind} + externship"
    return f"{kind if plan.program == 'certificate' else 'MA ' + kind} + externship"


def plan_picture(plan: Plan, calendar_url: str | None = None) -> dict[str, Any]:
    """The plan as a JSON-safe dict (Rasa `json_message`) for drawing a timeline.

    `start`/`end` are the outer months the text plan names (earliest start, latest end; an end
    is the month the next step can begin); `start_latest`/`end_earliest` bound the part of the
    bar that is certain. `estimate` marks phases whose length is our assumption.
    """
    first = min(plan.today, plan.phases[0].start_earliest)
    last = max(plan.latest_working, plan.phases[-1].end_latest)
    pace = "full-time" if plan.pace == "full_time" else "part-time"
    phases = [
        {
            "key": phase.key,
            "name": phase.title,
            "short": _short_name(phase, plan),
            "start": phase.start_earliest.iso(),
            "start_latest": phase.start_latest.iso(),
            "end_earliest": phase.end_earliest.iso(),
            "end": phase.end_latest.iso(),
            "when": phase_when(phase),
            "estimate": phase.estimate,
        }
        for phase in plan.phases
    ]
    return {
        "type": PICTURE_TYPE,
        "version": PICTURE_VERSION,
        "title": f"Your plan for a {pace} {PROGRAM_NAMES[plan.program]}",
        "today": plan.today.iso(),
        "earliest_work": plan.earliest_working.iso(),
        "latest_work": plan.latest_working.iso(),
        "first_month": first.iso(),
        "last_month": last.iso(),
        "phases": phases,
        "working": working_line(plan),
        "summary": picture_summary(plan),
        "calendar_url": calendar_url,
    }


def picture_summary(plan: Plan) -> str:
    """The picture in words: its text alternative (aria-label, Slack alt text)."""
    steps = "; ".join(
        f"{number}. {phase.title}: {phase_when(phase)}"
        + (" (estimated length)" if phase.estimate else "")
        for number, phase in enumerate(plan.phases, 1)
    )
    return (
        f"Timeline of your plan. {steps}. Today: {plan.today.label()}. "
        f"Earliest month of work: {plan.earliest_working.label()}; "
        f"latest: {plan.latest_working.label()}."
    )


def is_plan_picture(message: Any) -> bool:
    """Whether a custom message is a plan picture (channels draw it instead of posting it)."""
    return isinstance(message, dict) and message.get("type") == PICTURE_TYPE


def month(text: Any) -> YearMonth | None:
    """A "YYYY-MM" field of the payload, or None when it is not one."""
    return YearMonth.from_iso(text) if isinstance(text, str) else None


# Channels that show a link under a label ([label](url)) in the text plan.
_MARKDOWN_LINK_CHANNELS = {"socketio"}
# Channels that send the plan picture with its own "Add to calendar" button.
_BUTTON_CHANNELS = {"slack", "telegram"}


def calendar_line(link: str, channel: str | None) -> str | None:
    """The text plan's calendar line for the channel the user wrote on, or None.

    The widget shows "[Add to calendar](url)" as a link; Slack and Telegram put an "Add to
    calendar" button on the picture instead; anything else (REST, the shell) gets the URL.
    """
    if channel in _MARKDOWN_LINK_CHANNELS:
        return f"📅 [Add to calendar]({link}) (the milestones as an .ics file)"
    if channel in _BUTTON_CHANNELS:
        return None
    return f"📅 Add these milestones to your calendar: {link}"
