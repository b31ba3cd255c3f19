"""`make telegram-webhook` against the fake Bot API."""

from __future__ import annotations

import pytest

from tests.fakes.server import free_port
from tests.fakes.telegram_api import FakeTelegram
from tools.deploy import telegram_webhook

TOKEN = "42:script-test-token"


def env(api_url: str, **extra: str) -> dict[str, str]:
    return {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_WEBHOOK_URL": "https://bot.example.org/webhooks/telegram/webhook",
        "TELEGRAM_WEBHOOK_SECRET": "s3cret",
        "TELEGRAM_API_URL": api_url,
        **extra,
    }


def test_registers_the_webhook_with_its_secret(capsys: pytest.CaptureFixture[str]) -> None:
    fake = FakeTelegram(TOKEN).start()
    try:
        assert telegram_webhook.main(env(fake.url)) == 0
        assert fake.webhook["secret_token"] == "s3cret"
        assert fake.webhook["url"].endswith("/webhooks/telegram/webhook")
        bad = env(fake.url, TELEGRAM_WEBHOOK_URL="http://insecure.example.org/hook")
        assert telegram_webhook.main(bad) == 1
    finally:
        fake.stop()
    out = capsys.readouterr()
    assert "Webhook set" in out.out
    assert "HTTPS URL must be provided" in out.err


def test_says_what_is_missing_or_unreachable(capsys: pytest.CaptureFixture[str]) -> None:
    assert telegram_webhook.main({}) == 2
    assert "TELEGRAM_BOT_TOKEN" in capsys.readouterr().err
    assert telegram_webhook.main(env(f"http://127.0.0.1:{free_port()}")) == 1
    assert "Cannot reach" in capsys.readouterr().err
