"""A thumbs up/down pressed in Slack or Telegram: store it, then acknowledge in place.

Slack: the answer's message is updated (chat.update) so the buttons give way to
"Thanks for your feedback!"; if the rating was not stored the buttons stay and only
the user who pressed sees why (chat.postEphemeral). Telegram: the press is answered
with a short notice (answerCallbackQuery) and the rating row leaves the keyboard
(editMessageReplyMarkup); the other buttons stay. Never raises: a failure is logged
and the conversation goes on.
"""

from __future__ import annotations

import logging
from typing import Any

from channels.answer_ratings import BAD_RATING, RECORDED, UNCHANGED
from channels.rating_controls import slack_blocks_after_rating, telegram_markup_without_rating
from channels.rating_recorder import Outcome, record_rating, reply_for

logger = logging.getLogger(__name__)


async def _record(
    agent: Any, sender_id: str, choice: tuple[object, object], channel: str
) -> Outcome | None:
    answer, rating = choice
    try:
        return await record_rating(agent, sender_id, answer, rating, channel)
    except Exception as error:  # store or lock down: the user is told, nothing lost
        logger.error("Could not record a %s rating (%s).", channel, type(error).__name__)
        return None


async def rate_in_slack(
    api: Any,
    agent: Any,
    sender_id: str,
    payload: dict[str, Any],
    choice: tuple[object, object],
) -> None:
    """Record a rating button press from a `block_actions` payload and acknowledge it."""
    channel = str((payload.get("channel") or {}).get("id") or "")
    user = str((payload.get("user") or {}).get("id") or "")
    message = payload.get("message") or {}
    outcome = await _record(agent, sender_id, choice, "slack")
    if outcome is None or outcome.status not in (RECORDED, UNCHANGED):
        # Not stored (store down, or a press on someone else's answer in a shared
        # channel): the message stays as everyone sees it; only this user is told.
        await api.call(
            "chat.postEphemeral", {"channel": channel, "user": user, "text": reply_for(outcome)}
        )
        return
    await api.call(
        "chat.update",
        {
            "channel": channel,
            "ts": message.get("ts"),
            "text": str(message.get("text") or ""),
            "blocks": slack_blocks_after_rating(message.get("blocks"), reply_for(outcome)),
        },
    )


async def rate_in_telegram(
    api: Any, agent: Any, sender_id: str, query: dict[str, Any], choice: tuple[object, object]
) -> None:
    """Record a rating button press from a callback query and acknowledge it."""
    outcome = await _record(agent, sender_id, choice, "telegram")
    await api.call(
        "answerCallbackQuery",
        {"callback_query_id": query.get("id"), "text": reply_for(outcome)},
        True,
    )
    message = query.get("message") or {}
    if outcome is None or not message.get("message_id"):
        return  # not stored: the buttons stay, so the user can try again
    if outcome.status in (UNCHANGED, BAD_RATING):
        # A second tap: the row is already gone (Telegram refuses an edit that changes
        # nothing). A rating our keyboard never offers: not ours to tidy up.
        return
    edit: dict[str, Any] = {"chat_id": sender_id, "message_id": message["message_id"]}
    rest = telegram_markup_without_rating(message.get("reply_markup"))
    if rest:
        edit["reply_markup"] = rest
    await api.call("editMessageReplyMarkup", edit)
