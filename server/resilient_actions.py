"""Custom actions that fail or hang get a polite reply instead of silence.

Stock Rasa 3.6 waits up to 300 s for the action server and, when it is down,
slow or broken, logs the error and sends the user nothing. We wrap
`RemoteAction.run` once at start-up: a time limit, and on failure the domain
response `utter_action_failed`, on every channel (it is an ordinary bot
message). Rejections stay untouched, because forms rely on them. Replies with a
calendar link get the link's token here (server/calendar_tokens.py).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.shared.core.events import BotUttered
from rasa.shared.exceptions import RasaException

from server import calendar_tokens

logger = logging.getLogger(__name__)

FAILURE_RESPONSE = "utter_action_failed"
_INSTALLED = "_imgcma_resilient"


def install(timeout_seconds: float, failure_response: str = FAILURE_RESPONSE) -> None:
    """Patch RemoteAction.run (idempotent)."""
    if getattr(RemoteAction.run, _INSTALLED, False):
        return
    original = RemoteAction.run

    async def run(self: RemoteAction, output_channel: Any, nlg: Any, tracker: Any, domain: Any):
        try:
            events = await asyncio.wait_for(
                original(self, output_channel, nlg, tracker, domain), timeout_seconds
            )
            # Calendar links get their random token here, in the Rasa server.
            return calendar_tokens.fill_events(events, tracker.sender_id)
        except ActionExecutionRejection:
            raise
        except (RasaException, aiohttp.ClientError, asyncio.TimeoutError, OSError) as error:
            logger.error(
                "Custom action %r failed (%s); replying with %s.",
                self.name(),
                type(error).__name__ if isinstance(error, asyncio.TimeoutError) else error,
                failure_response,
            )
            message = await nlg.generate(failure_response, tracker, output_channel.name())
            return [BotUttered(message.get("text"), data=message)] if message else []

    setattr(run, _INSTALLED, True)
    RemoteAction.run = run  # type: ignore[method-assign]
