"""Telegram keyboards and callback ids, without a server."""

from __future__ import annotations

from channels.telegram_format import (
    CallbackIds,
    command_text,
    inline_keyboard,
    pressed_title,
    secret_matches,
    split_text,
)
from tests.fakes.telegram_api import keyboard_error

LONG = '/mark_item_done{"checklist_item":"before_you_apply.certified_translation_of_diploma"}'


def test_short_payloads_travel_as_they_are_and_long_ones_as_ids() -> None:
    ids = CallbackIds()
    assert ids.data_for("/salary") == "/salary"
    data = ids.data_for(LONG)
    assert len(LONG.encode()) > 64 >= len(data.encode())
    assert ids.payload_for(data) == LONG
    assert ids.payload_for("/salary") == "/salary"


def test_ids_are_stable_and_unknown_ids_are_reported() -> None:
    first, second = CallbackIds(), CallbackIds()
    assert first.data_for(LONG) == CallbackIds.short_id(LONG)
    assert second.payload_for(CallbackIds.short_id(LONG)) is None  # a restart forgot it
    second.learn([LONG])
    assert second.payload_for(CallbackIds.short_id(LONG)) == LONG


def test_multibyte_payloads_are_measured_in_bytes() -> None:
    ids = CallbackIds()
    payload = "/ask" + "é" * 31  # 35 characters, 66 bytes
    assert ids.data_for(payload) != payload
    assert ids.data_for("~not-an-id") != "~not-an-id"  # never confused with an id


def test_keyboard_shape_is_what_the_bot_api_accepts() -> None:
    ids = CallbackIds()
    short = inline_keyboard([{"title": "Pay", "payload": "/salary"}] * 3, ids)
    assert [len(row) for row in short["inline_keyboard"]] == [2, 1]
    wide = inline_keyboard(
        [{"title": "Is my degree enough?", "payload": "/a"}, {"title": "X", "payload": LONG}],
        ids,
    )
    assert [len(row) for row in wide["inline_keyboard"]] == [1, 1]
    assert keyboard_error(short) is None
    assert keyboard_error(wide) is None
    link = inline_keyboard([{"title": "Site", "payload": "https://example.org"}], ids)
    assert link["inline_keyboard"] == [[{"text": "Site", "url": "https://example.org"}]]


def test_the_pressed_buttons_title_is_found_in_its_message() -> None:
    message = {"reply_markup": {"inline_keyboard": [[{"text": "Pay", "callback_data": "~x"}]]}}
    assert pressed_title(message, "~x") == "Pay"
    assert pressed_title(message, "~y") is None
    assert pressed_title({}, "~x") is None


def test_texts_are_split_under_the_message_limit() -> None:
    pieces = split_text("para\n" * 2000, limit=4096)
    assert len(pieces) == 3
    assert all(len(p) <= 4096 for p in pieces)
    assert split_text("  ") == []


def test_commands_lose_the_bot_name_and_secrets_compare_exactly() -> None:
    assert command_text("/start@ImgCmaBot") == "/start"
    assert command_text("/start@ImgCmaBot hello") == "/start hello"
    assert command_text("hi @someone") == "hi @someone"
    assert secret_matches("abc", "abc")
    assert not secret_matches("abc", "abd")
    assert not secret_matches("abc", None)
