"""What the Slack output channel posts, against the fake Web API (no Rasa server)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from channels.slack import SlackApi, SlackOutput
from channels.web_api import WebApi
from tests.fakes.slack_api import FakeSlack

TOKEN = "xoxb-output-test"


@pytest.fixture(scope="module")
def slack() -> Iterator[FakeSlack]:
    fake = FakeSlack(TOKEN).start()
    yield fake
    fake.stop()


def post(slack: FakeSlack, channel: str, thread: str | None, buttons: list[dict]) -> None:
    async def go() -> None:
        api = SlackApi(TOKEN, slack.api_url, WebApi("Slack"))
        try:
            await SlackOutput(api, channel, thread).send_text_with_buttons(
                "ignored-recipient", "Pick one:", buttons
            )
        finally:
            await api.web.close()

    asyncio.run(go())


def test_without_threads_the_answer_goes_to_the_channel(slack: FakeSlack) -> None:
    post(slack, "D-plain", None, [{"title": "Pay", "payload": "/salary"}])
    [call] = slack.posts("D-plain")
    assert "thread_ts" not in call.body
    assert call.headers["Content-Type"] == "application/json; charset=utf-8"
    assert call.body["blocks"][1]["elements"][0]["value"] == "/salary"


def test_with_a_thread_the_answer_goes_under_it(slack: FakeSlack) -> None:
    post(slack, "D-thread", "1700000000.000100", [])
    [call] = slack.posts("D-thread")
    assert call.body["thread_ts"] == "1700000000.000100"
    assert [b["type"] for b in call.body["blocks"]] == ["section"]


def test_a_wrong_token_is_refused_and_survived(slack: FakeSlack) -> None:
    async def go() -> None:
        api = SlackApi("xoxb-wrong", slack.api_url, WebApi("Slack"))
        try:
            await SlackOutput(api, "D-wrong", None).send_text_message("x", "hello")
        finally:
            await api.web.close()

    asyncio.run(go())  # does not raise
    [call] = slack.find(lambda c: c.body.get("channel") == "D-wrong")
    assert call.answer == {"ok": False, "error": "invalid_auth"}
