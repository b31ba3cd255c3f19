"""The shared Web API client against the fakes: errors, timeouts and which calls are retried."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from channels.web_api import WebApi, should_retry
from tests.fakes.server import free_port
from tests.fakes.telegram_api import FakeTelegram

TOKEN = "42:unit-test-token"


@pytest.fixture(scope="module")
def telegram() -> Iterator[FakeTelegram]:
    fake = FakeTelegram(TOKEN).start()
    fake.hang_seconds = 2
    yield fake
    fake.stop()


def run(telegram: FakeTelegram, method: str, payload: dict, idempotent: bool, **kw):
    async def go():
        api = WebApi("Telegram", backoff=0.01, **kw)
        try:
            return await api.call(
                f"{telegram.url}/bot{TOKEN}/{method}", method, payload, idempotent=idempotent
            )
        finally:
            await api.close()

    return asyncio.run(go())


def calls(telegram: FakeTelegram, chat: int) -> list:
    return telegram.find(lambda c: c.body.get("chat_id") == chat)


def test_retry_policy() -> None:
    assert should_retry(None, sent=False, idempotent=False)  # never arrived
    assert should_retry(429, sent=True, idempotent=False)  # rate limited: not processed
    assert not should_retry(500, sent=True, idempotent=False)  # may have been posted
    assert should_retry(500, sent=True, idempotent=True)
    assert should_retry(None, sent=True, idempotent=True)  # timeout
    assert not should_retry(400, sent=True, idempotent=True)


def test_a_good_call(telegram: FakeTelegram) -> None:
    result = run(telegram, "sendMessage", {"chat_id": 1, "text": "hi"}, False)
    assert result.ok
    assert result.data["result"]["text"] == "hi"


def test_a_server_error_is_not_repeated_for_a_message(telegram: FakeTelegram) -> None:
    telegram.fail_next("sendMessage", "500")
    result = run(telegram, "sendMessage", {"chat_id": 2, "text": "hi"}, False)
    assert not result.ok
    assert result.status == 500
    assert len(calls(telegram, 2)) == 1


def test_a_server_error_is_repeated_for_an_idempotent_call(telegram: FakeTelegram) -> None:
    telegram.fail_next("getWebhookInfo", "500", "500")
    result = run(telegram, "getWebhookInfo", {"chat_id": 3}, True)
    assert result.ok
    assert [c.status for c in calls(telegram, 3)] == [500, 500, 200]


def test_rate_limits_are_waited_out(telegram: FakeTelegram) -> None:
    telegram.fail_next("sendMessage", "429")
    result = run(telegram, "sendMessage", {"chat_id": 4, "text": "hi"}, False)
    assert result.ok
    assert [c.status for c in calls(telegram, 4)] == [429, 200]


def test_a_timeout_is_reported(telegram: FakeTelegram) -> None:
    telegram.fail_next("sendMessage", "hang")
    result = run(telegram, "sendMessage", {"chat_id": 5, "text": "hi"}, False, timeout=0.5)
    assert not result.ok
    assert "no answer within 0.5 s" in result.error


def test_api_errors_carry_the_platforms_description(telegram: FakeTelegram) -> None:
    result = run(telegram, "sendMessage", {"chat_id": 6, "text": ""}, False)
    assert not result.ok
    assert result.error == "HTTP 400 Bad Request: message text is empty"


def test_an_unreachable_server_is_retried_then_reported(caplog: pytest.LogCaptureFixture) -> None:
    async def go():
        api = WebApi("Telegram", backoff=0.01)
        url = f"http://127.0.0.1:{free_port()}/bot{TOKEN}/sendMessage"
        return await api.call(url, "sendMessage", {"chat_id": 7, "text": "hi"})

    result = asyncio.run(go())
    assert not result.ok
    assert "cannot connect" in result.error
    assert "attempt 3/3" in caplog.text
    assert TOKEN not in caplog.text  # the token is in the URL: never logged
