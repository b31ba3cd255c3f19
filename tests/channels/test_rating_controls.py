"""The rating controls in Slack and Telegram, and what happens when a rating cannot be stored."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from channels.answer_ratings import UNCHANGED, UNKNOWN_ANSWER, Outcome
from channels.rating_controls import (
    slack_blocks_after_rating,
    slack_rating_block,
    slack_rating_choice,
    telegram_markup_without_rating,
    telegram_rating_choice,
    telegram_rating_row,
    with_slack_rating,
    with_telegram_rating,
)
from channels.rating_delivery import rate_in_slack, rate_in_telegram
from channels.rating_recorder import GONE, NOT_RECORDED, THANKS, reply_for
from tests.fakes.slack_api import block_errors
from tests.fakes.telegram_api import keyboard_error

ANSWER = "1764300020.654321"


def test_slack_buttons_are_valid_block_kit_and_come_last() -> None:
    text = {"type": "section", "text": {"type": "mrkdwn", "text": "An answer"}}
    blocks = with_slack_rating([text], ANSWER)
    assert block_errors(blocks) == []
    assert blocks[0] == text and blocks[-1] == slack_rating_block(ANSWER)
    assert with_slack_rating([text], None) == [text]
    # Fifty blocks already: the rating still fits, as the fiftieth.
    full = with_slack_rating([text] * 50, ANSWER)
    assert len(full) == 50 and full[-1]["block_id"] == "rate_answer"


def test_a_slack_press_is_read_back() -> None:
    pressed = {"actions": [{"action_id": "rate_answer_unhelpful", "value": ANSWER}]}
    assert slack_rating_choice(pressed) == (ANSWER, "unhelpful")
    assert slack_rating_choice({"actions": [{"action_id": "rasa_button_0", "value": "/x"}]}) is None
    assert slack_rating_choice({"actions": "nonsense"}) is None
    assert slack_rating_choice({}) is None


def test_after_a_slack_rating_the_buttons_give_way_to_a_note() -> None:
    text = {"type": "section", "text": {"type": "mrkdwn", "text": "An answer"}}
    topics = {"type": "actions", "elements": [{"type": "button", "text": {}, "value": "/x"}]}
    after = slack_blocks_after_rating([text, topics, slack_rating_block(ANSWER)], THANKS)
    note = {"type": "context", "elements": [{"type": "mrkdwn", "text": THANKS}]}
    assert after == [text, topics, note]
    assert slack_blocks_after_rating(None, THANKS) == [note]  # a message without blocks
    assert slack_blocks_after_rating([text, note], THANKS) == [text, note]


def test_telegram_keys_fit_64_bytes_and_the_keyboard() -> None:
    row = telegram_rating_row(ANSWER)
    markup = with_telegram_rating(
        {"inline_keyboard": [[{"text": "Exam", "callback_data": "/e"}]]}, ANSWER
    )
    assert keyboard_error(markup) is None
    assert markup["inline_keyboard"][-1] == row
    assert with_telegram_rating(None, ANSWER) == {"inline_keyboard": [row]}
    assert with_telegram_rating(None, None) is None
    longest = telegram_rating_row("1764300020.6543219")[1]["callback_data"]
    assert len(longest.encode()) <= 64


def test_a_telegram_press_is_read_back_and_its_row_removed() -> None:
    assert telegram_rating_choice(f"rate_answer:helpful:{ANSWER}") == (ANSWER, "helpful")
    assert telegram_rating_choice("/salary") is None
    assert telegram_rating_choice(None) is None
    topics = [{"text": "Exam", "callback_data": "/e"}]
    markup = {"inline_keyboard": [topics, telegram_rating_row(ANSWER)]}
    assert telegram_markup_without_rating(markup) == {"inline_keyboard": [topics]}
    assert (
        telegram_markup_without_rating({"inline_keyboard": [telegram_rating_row(ANSWER)]}) is None
    )
    assert telegram_markup_without_rating("junk") is None


class RecordingApi:
    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    async def call(self, method: str, payload: dict[str, Any], *_: Any) -> None:
        self.calls.append((method, payload))


class BrokenLocks:
    @contextlib.asynccontextmanager
    async def lock(self, _: str) -> AsyncIterator[None]:
        raise ConnectionError("redis is down")
        yield


class DownAgent:
    tracker_store = object()
    lock_store = BrokenLocks()


def test_slack_when_the_store_is_down_the_buttons_stay_and_the_user_is_told() -> None:
    api = RecordingApi()
    payload = {
        "user": {"id": "U1"},
        "channel": {"id": "D1"},
        "message": {"ts": "1.1", "text": "An answer", "blocks": [slack_rating_block(ANSWER)]},
    }
    asyncio.run(rate_in_slack(api, DownAgent(), "U1", payload, (ANSWER, "unhelpful")))
    assert api.calls == [
        ("chat.postEphemeral", {"channel": "D1", "user": "U1", "text": NOT_RECORDED})
    ]


def test_telegram_when_no_model_is_loaded_the_press_is_answered_and_the_row_stays() -> None:
    api = RecordingApi()
    query = {"id": "cq1", "message": {"message_id": 7, "chat": {"id": 5}}}
    asyncio.run(rate_in_telegram(api, None, "5", query, (ANSWER, "helpful")))
    assert api.calls == [
        ("answerCallbackQuery", {"callback_query_id": "cq1", "text": NOT_RECORDED})
    ]


def test_the_acknowledgements() -> None:
    assert reply_for(None) == NOT_RECORDED
    assert reply_for(Outcome(UNKNOWN_ANSWER)) == GONE
    assert reply_for(Outcome(UNCHANGED)) == THANKS
