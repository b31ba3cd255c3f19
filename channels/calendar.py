"""GET /webhooks/calendar/plan.ics?token=..: a user's plan as a calendar file.

Not a chat channel: it only serves the links the timeline action hands out.
The token is random and stored server-side with its conversation and an expiry
(server/calendar_tokens.py): unknown or withdrawn ("delete my data") → 404,
expired → 410. The link and the file carry no conversation id.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from actions.core.dates import YearMonth
from actions.core.figures import load_figures
from actions.core.plan_text import plan_to_ics
from actions.core.saved_plan import plan_from_slots
from actions.paths import CONTENT_DIR
from server import calendar_tokens

logger = logging.getLogger(__name__)

NOT_VALID = "This calendar link is not valid, or it was withdrawn."
EXPIRED = "This calendar link has expired. Ask the assistant for your plan again to get a new one."


class CalendarExport(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "calendar"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls()

    def __init__(self) -> None:
        self.figures = load_figures(CONTENT_DIR / "timeline.yml")

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        calendar = Blueprint("calendar_export", __name__)

        @calendar.route("/plan.ics", methods=["GET"])
        async def plan_file(request: Request) -> HTTPResponse:
            token = request.args.get("token", "")
            store = request.app.ctx.agent.tracker_store
            found = calendar_tokens.find(store, token) if token else None
            if found is None:
                return response.text(NOT_VALID, status=404)
            if found.expired:
                return response.text(EXPIRED, status=410)
            tracker = await store.retrieve(found.sender_id)
            slots = tracker.current_slot_values() if tracker else {}
            plan = plan_from_slots(self.figures, slots, YearMonth.from_date(date.today()))
            if plan is None:
                return response.text(NOT_VALID, status=404)
            # Event ids from the token, never from the conversation id.
            uid = hashlib.sha256(token.encode()).hexdigest()[:16]
            return response.text(
                plan_to_ics(plan, uid_prefix=f"imgcma-{uid}"),
                content_type="text/calendar; charset=utf-8",
                headers={
                    "Content-Disposition": 'attachment; filename="cma-plan.ics"',
                    "Cache-Control": "no-store",
                    "Referrer-Policy": "no-referrer",
                },
            )

        return calendar
