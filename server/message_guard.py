"""Every message, on every channel, passes here before the assistant sees it.

We wrap `Agent.handle_message` once at start-up (all input channels call it):
- per-sender rate limit, then the input policy (server/input_policy.py):
  empty, too long, markup-only or SQL-looking text gets a polite reply, markup
  is stripped to its words, and "/intent{...}" works only for the bot's own
  button payloads;
- "delete my data": the confirmation buttons (or a typed yes/no right after
  the question) are answered here, because deleting needs the tracker store;
- a message in another language that the assistant understood gets the note
  "I can only answer in English..." first (the NLU's LanguageGate says which
  language; the message is parsed here, once, so the note can go before the
  answer on every channel); the tracker's parse data shows it (`language.note`);
- any failure, e.g. the tracker store or lock store unreachable, or no model
  loaded, gets a polite "try again" instead of silence, and the log names the
  cause without the user's text.
Stock Rasa silently swaps in an empty in-memory conversation when the tracker
store fails; we make that an error instead, so nobody's conversation forks.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from rasa.core.agent import Agent
from rasa.core.channels.channel import UserMessage
from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.shared.core.events import BotUttered, UserUttered

from server import calendar_tokens, privacy
from server.input_policy import Kind, examine, is_no, is_yes
from server.payload_allowlist import PayloadAllowlist, parse_payload
from server.rate_limit import RateLimiter
from server.settings import Settings

logger = logging.getLogger(__name__)

CONFIRM_RESPONSE = "utter_confirm_delete_data"
CONFIRM_INTENT = "confirm_delete_data"
KEEP_INTENT = "keep_my_data"
# Intents answered without the English-only note: their own reply already is
# about language, or must come first (safety).
NO_NOTE_INTENTS = frozenset({"other_language", "nlu_fallback", "medical_emergency", "self_harm"})
_INSTALLED = "_imgcma_guarded"


class StoreUnavailable(RuntimeError):
    """The tracker store failed; raised instead of Rasa's silent in-memory fallback."""


def _describe(error: BaseException) -> str:
    """The cause in one line, without SQL parameters (they hold users' messages)."""
    cause = getattr(error, "orig", None) or error  # SQLAlchemy: the driver's own error
    text = " ".join(str(cause).split()).split("[SQL:")[0].strip()
    return f"{type(cause).__name__}: {text[:200]}"


def _store_failed(self: FailSafeTrackerStore, error: Exception) -> None:
    store = self._tracker_store
    while getattr(store, "_tracker_store", None) is not None:  # under AwaitableTrackerStore
        store = store._tracker_store
    logger.error(
        "Tracker store %s is unreachable (%s); the user is asked to retry.",
        type(store).__name__,
        _describe(error),
    )
    raise StoreUnavailable(_describe(error)) from error


async def _awaiting_confirmation(agent: Agent, sender_id: str) -> bool:
    """Did the bot ask the delete question since the user's last message?

    Any of the bot's messages since then counts: during a form the form's own
    question follows the delete question.
    """
    tracker = await agent.tracker_store.retrieve(sender_id)
    if tracker is None:
        return False
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if (
            isinstance(event, BotUttered)
            and (event.metadata or {}).get("utter_action") == CONFIRM_RESPONSE
        ):
            return True
    return False


def needs_english_note(parse_data: dict[str, Any]) -> bool:
    """A message in another language that the assistant will answer on its topic."""
    language = parse_data.get("language") or {}
    intent = (parse_data.get("intent") or {}).get("name")
    return language.get("english") is False and intent not in NO_NOTE_INTENTS


def install(
    settings: Settings,
    allowlist: PayloadAllowlist,
    replies: dict[str, str],
    urgent: Callable[[str], bool] | None = None,
) -> None:
    """Patch Agent.handle_message and the fail-safe tracker store (idempotent).

    `urgent` (the safety rules): such messages are never refused as too long or as code.
    """
    # Long on purpose: the wrapper and its helpers are closures over this install's
    # settings, allowlist, replies and rate limiter; each of them is short.
    if getattr(Agent.handle_message, _INSTALLED, False):
        return
    original = Agent.handle_message
    senders = RateLimiter(settings.sender_per_minute)

    async def say(message: UserMessage, key: str) -> None:
        try:
            await message.output_channel.send_text_message(message.sender_id, replies[key])
        except Exception as error:  # the channel itself is broken: nothing more to do
            logger.error("Could not send a reply (%s).", _describe(error))

    async def privacy_answer(agent: Agent, message: UserMessage, intent: str | None) -> bool:
        """Handle a delete-my-data answer; False when `message` is not one."""
        text = message.text or ""
        if intent is None:
            if not (is_yes(text) or is_no(text)):
                return False
            if not await _awaiting_confirmation(agent, message.sender_id):
                return False
            intent = CONFIRM_INTENT if is_yes(text) else KEEP_INTENT
        if intent == KEEP_INTENT:
            await say(message, "data_kept")
            return True
        async with agent.lock_store.lock(message.sender_id):
            privacy.delete_conversation(agent.tracker_store, message.sender_id)
        logger.info("Deleted a conversation at its user's request.")
        await say(message, "data_deleted")
        return True

    async def handle_message(self: Agent, message: UserMessage) -> Any:
        calendar_tokens.use_store(self.tracker_store)  # where this turn's calendar links go
        try:
            if not self.is_ready():
                # Stock Rasa logs "no agent" at INFO and answers nothing.
                logger.error("No model is loaded (see the start-up log); the user is told so.")
                await say(message, "not_loaded")
                return None
            if not senders.allow(str(message.sender_id)):
                logger.warning("A sender exceeded %s messages a minute.", senders.per_minute)
                await say(message, "rate_limited")
                return None
            verdict = examine(message.text, allowlist, settings.max_message_chars, urgent)
            if verdict.kind not in (Kind.PASS, Kind.PAYLOAD):
                logger.info("Answered a message without the assistant: %s.", verdict.kind.value)
                await say(message, verdict.kind.value)
                return None
            message.text = verdict.text
            payload = parse_payload(verdict.text) if verdict.kind is Kind.PAYLOAD else None
            intent = payload.intent if payload else None
            if intent in (CONFIRM_INTENT, KEEP_INTENT):
                await privacy_answer(self, message, intent)
                return None
            if intent is None and await privacy_answer(self, message, None):
                return None
            if payload is None:
                # Parse now, not in Rasa's processor, so the note can come first.
                parse_data = await self.processor.parse_message(message)
                message.parse_data = parse_data
                if needs_english_note(parse_data):
                    parse_data["language"]["note"] = True
                    await say(message, "english_only")
            return await original(self, message)
        except Exception as error:
            # Stock Rasa would log the user's text and answer nothing.
            logger.error(
                "Could not handle a message (%s); the user is asked to retry.", _describe(error)
            )
            await say(message, "unavailable")
            return None

    setattr(handle_message, _INSTALLED, True)
    Agent.handle_message = handle_message  # type: ignore[method-assign]
    FailSafeTrackerStore.on_tracker_store_error = _store_failed  # type: ignore[method-assign]
    FailSafeTrackerStore.on_tracker_store_retrieve_error = _store_failed  # type: ignore[method-assign]
