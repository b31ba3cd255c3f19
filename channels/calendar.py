"""GET /webhooks/calendar/plan.ics?sender=..&sig=..: a user's plan as a calendar file.

Not a chat channel: it only serves the signed links the timeline action hands
out. CALENDAR_LINK_SECRET must be the same here and in the action server
(`make run` sets it); without it, links are neither made nor served.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from actions.core.calendar_link import verify
from actions.core.dates import YearMonth
from actions.core.figures import load_figures
from actions.core.plan_text import plan_to_ics
from actions.core.saved_plan import plan_from_slots
from actions.paths import CONTENT_DIR

logger = logging.getLogger(__name__)


class CalendarExport(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "calendar"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls()

    def __init__(self) -> None:
        self.secret = os.environ.get("CALENDAR_LINK_SECRET", "")
        self.figures = load_figures(CONTENT_DIR / "timeline.yml")
        if not self.secret:
            logger.warning("CALENDAR_LINK_SECRET is not set: calendar links are disabled.")

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        calendar = Blueprint("calendar_export", __name__)

        @calendar.route("/plan.ics", methods=["GET"])
        async def plan_file(request: Request) -> HTTPResponse:
            sender = request.args.get("sender", "")
            if not sender or not verify(self.secret, sender, request.args.get("sig", "")):
                return response.text("This calendar link is not valid.", status=403)
            tracker = await request.app.ctx.agent.tracker_store.retrieve(sender)
            slots = tracker.current_slot_values() if tracker else {}
            plan = plan_from_slots(self.figures, slots, YearMonth.from_date(date.today()))
            if plan is None:
                return response.text("There is no plan for this conversation yet.", status=404)
            return response.text(
                plan_to_ics(plan, uid_prefix=f"imgcma-{sender}"),
                content_type="text/calendar; charset=utf-8",
                headers={"Content-Disposition": 'attachment; filename="cma-plan.ics"'},
            )

        return calendar
