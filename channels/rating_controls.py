"""The thumbs up/down under an answer in Slack (Block Kit) and Telegram (inline keyboard).

Pure functions, no Rasa imports. A control carries the answer's id (its bot event's
timestamp, channels/answer_ratings.py) and the verdict; pressing it is read back
here and, once stored, the controls give way to a short note (Slack) or disappear
from the keyboard (Telegram), so the chat gets no new message.
"""

from __future__ import annotations

from typing import Any

from channels.answer_ratings import HELPFUL, UNHELPFUL

LABELS = {HELPFUL: "👍 Helpful", UNHELPFUL: "👎 Not helpful"}
SLACK_BLOCK_ID = "rate_answer"
SLACK_ACTION_PREFIX = "rate_answer_"
# Telegram callback_data: "rate_answer:<rating>:<answer id>", under its 64-byte limit.
TELEGRAM_PREFIX = "rate_answer:"
SLACK_BLOCKS_MAX = 50


def slack_rating_block(answer: str) -> dict[str, Any]:
    """An `actions` block with the two buttons; the value is the answer's id."""
    return {
        "type": "actions",
        "block_id": SLACK_BLOCK_ID,
        "elements": [
            {
                "type": "button",
                "action_id": SLACK_ACTION_PREFIX + rating,
                "text": {"type": "plain_text", "text": LABELS[rating], "emoji": True},
                "value": answer,
            }
            for rating in (HELPFUL, UNHELPFUL)
        ],
    }


def with_slack_rating(blocks: list[dict[str, Any]], answer: str | None) -> list[dict[str, Any]]:
    """A message's blocks with the rating buttons last (within Slack's 50 blocks)."""
    if not answer:
        return blocks
    return [*blocks[: SLACK_BLOCKS_MAX - 1], slack_rating_block(answer)]


def slack_rating_choice(payload: dict[str, Any]) -> tuple[object, object] | None:
    """(answer id, rating) when a `block_actions` payload is a press on a rating button."""
    actions = payload.get("actions") or []
    action = actions[0] if isinstance(actions, list) and actions else None
    if not isinstance(action, dict):
        return None
    action_id = str(action.get("action_id") or "")
    if not action_id.startswith(SLACK_ACTION_PREFIX):
        return None
    return action.get("value"), action_id.removeprefix(SLACK_ACTION_PREFIX)


def slack_blocks_after_rating(blocks: object, note: str) -> list[dict[str, Any]]:
    """The message's blocks with the rating buttons replaced by `note` (a context block)."""
    kept = [b for b in blocks if isinstance(b, dict)] if isinstance(blocks, list) else []
    done = {"type": "context", "elements": [{"type": "mrkdwn", "text": note}]}
    replaced = [done if b.get("block_id") == SLACK_BLOCK_ID else b for b in kept]
    return replaced if done in replaced else [*replaced, done]


def telegram_rating_row(answer: str) -> list[dict[str, str]]:
    """One keyboard row with the two buttons."""
    return [
        {"text": LABELS[rating], "callback_data": f"{TELEGRAM_PREFIX}{rating}:{answer}"}
        for rating in (HELPFUL, UNHELPFUL)
    ]


def with_telegram_rating(
    markup: dict[str, Any] | None, answer: str | None
) -> dict[str, Any] | None:
    """An inline keyboard (or none) with the rating row added last."""
    if not answer:
        return markup
    rows = list((markup or {}).get("inline_keyboard") or [])
    return {"inline_keyboard": [*rows, telegram_rating_row(answer)]}


def telegram_rating_choice(data: object) -> tuple[object, object] | None:
    """(answer id, rating) when callback data is a rating press, else None."""
    if not isinstance(data, str) or not data.startswith(TELEGRAM_PREFIX):
        return None
    rating, _, answer = data.removeprefix(TELEGRAM_PREFIX).partition(":")
    return answer, rating


def telegram_markup_without_rating(markup: object) -> dict[str, Any] | None:
    """The message's inline keyboard without the rating row; None when nothing is left."""
    rows = markup.get("inline_keyboard") if isinstance(markup, dict) else None
    if not isinstance(rows, list):
        return None
    kept = [
        row
        for row in rows
        if isinstance(row, list)
        and not any(
            isinstance(key, dict) and str(key.get("callback_data", "")).startswith(TELEGRAM_PREFIX)
            for key in row
        )
    ]
    return {"inline_keyboard": kept} if kept else None
