"""Slack signatures and Block Kit, without a server."""

from __future__ import annotations

import time

from channels.slack_format import (
    BUTTON_TEXT_MAX,
    button_value,
    media_type,
    message_blocks,
    signature,
    signature_problem,
    unescape,
)
from tests.fakes.slack_api import block_errors

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


def test_signature_matches_slacks_documented_example() -> None:
    # api.slack.com/authentication/verifying-requests-from-slack, "step-by-step walk-through"
    body = (
        b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&"
        b"channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&"
        b"command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2F"
        b"commands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&"
        b"trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
    )
    assert (
        signature(SECRET, "1531420618", body)
        == "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
    )


def test_a_fresh_correct_signature_passes_and_tampering_fails() -> None:
    now = time.time()
    ts = str(int(now))
    good = signature(SECRET, ts, b"{}")
    assert signature_problem(SECRET, ts, b"{}", good, now) is None
    assert "does not match" in signature_problem(SECRET, ts, b"{ }", good, now)
    assert "does not match" in signature_problem("other", ts, b"{}", good, now)
    assert "missing" in signature_problem(SECRET, None, b"{}", good, now)
    assert "malformed" in signature_problem(SECRET, "soon", b"{}", good, now)


def test_the_replay_window_is_five_minutes_both_ways() -> None:
    now = 1_700_000_000.0
    for age, ok in ((299, True), (301, False), (-301, False)):
        ts = str(int(now - age))
        problem = signature_problem(SECRET, ts, b"x", signature(SECRET, ts, b"x"), now)
        assert (problem is None) is ok


def test_media_type_ignores_parameters() -> None:
    assert media_type("application/json; charset=utf-8") == "application/json"
    assert media_type("Application/JSON") == "application/json"
    assert media_type(None) == ""


def test_blocks_hold_the_text_and_every_button_in_slacks_limits() -> None:
    buttons = [{"title": f"Topic {i}", "payload": f"/topic_{i}"} for i in range(30)]
    buttons.append({"title": "x" * 100, "payload": "/long"})
    blocks = message_blocks("A <b> & c", buttons)
    assert block_errors(blocks) == []
    assert blocks[0]["text"] == {"type": "mrkdwn", "text": "A &lt;b&gt; &amp; c"}
    elements = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert [e["value"] for e in elements][:2] == ["/topic_0", "/topic_1"]
    assert len(elements) == 31
    assert len(elements[-1]["text"]["text"]) == BUTTON_TEXT_MAX


def test_long_text_is_split_into_sections() -> None:
    blocks = message_blocks("line\n" * 1000, [])
    assert len(blocks) == 2
    assert block_errors(blocks) == []


def test_the_clicked_value_is_read_from_block_actions() -> None:
    assert button_value({"actions": [{"type": "button", "value": "/salary"}]}) == "/salary"
    picked = {"type": "static_select", "selected_option": {"value": "/timeline"}}
    assert button_value({"actions": [picked]}) == "/timeline"
    assert button_value({"actions": []}) is None


def test_user_text_is_unescaped() -> None:
    assert unescape("a &lt; b &amp;&amp; c &gt; d") == "a < b && c > d"
