"""ONE real bot (Rasa + action server) for all channel tests, wired to fake Slack/Telegram.

The Telegram fake is only started once the bot is up: the bot must start while
the Bot API is unreachable, and register its webhook when it comes back.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.fakes.slack_api import FakeSlack
from tests.fakes.telegram_api import FakeTelegram
from tools.dev import stack
from tools.dev.train_if_needed import model_path

SLACK_TOKEN = "xoxb-1111-2222-fakeslacktoken"
SLACK_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TELEGRAM_TOKEN = "123456789:AAFakeTelegramTokenForTests_0123456"
TELEGRAM_SECRET = "test-webhook-secret_0123456789"
TELEGRAM_WEBHOOK = "https://bot.example.org/webhooks/telegram/webhook"
API_TIMEOUT = 2  # seconds; the fakes' "hang" mode outlasts it

CREDENTIALS = """\
rest:
channels.slack.SlackConnector:
  slack_token: ${SLACK_BOT_TOKEN}
  slack_signing_secret: ${SLACK_SIGNING_SECRET}
  api_url: ${SLACK_API_URL:-https://slack.com/api/}
  use_threads: ${SLACK_USE_THREADS:-false}
  timeout: %(timeout)s
channels.telegram.TelegramConnector:
  access_token: ${TELEGRAM_BOT_TOKEN}
  webhook_url: ${TELEGRAM_WEBHOOK_URL}
  secret_token: ${TELEGRAM_WEBHOOK_SECRET}
  api_url: ${TELEGRAM_API_URL:-https://api.telegram.org}
  timeout: %(timeout)s
  webhook_retry_max_seconds: 2
"""


@dataclass
class ChannelBot:
    bot: stack.Stack
    slack: FakeSlack
    telegram: FakeTelegram
    telegram_was_down_at_start: bool
    registration_failure_logged: bool

    @property
    def url(self) -> str:
        return self.bot.url

    def log(self) -> str:
        return self.bot.logs[1].read_text(encoding="utf-8", errors="replace")


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _wait_for_log(bot: stack.Stack, text: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in bot.logs[1].read_text(encoding="utf-8", errors="replace"):
            return True
        time.sleep(0.5)
    return False


# Package scope: the bot stops when tests/channels is done, before tests/e2e starts its own.
@pytest.fixture(scope="package")
def channel_bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChannelBot]:
    model = model_path()
    if not model.exists():
        pytest.fail(f"no trained model at {model}: run `make train` first")
    home: Path = tmp_path_factory.mktemp("channels")
    slack = FakeSlack(SLACK_TOKEN).start()
    telegram = FakeTelegram(TELEGRAM_TOKEN)  # not started yet: "unreachable"
    (home / "credentials.yml").write_text(CREDENTIALS % {"timeout": API_TIMEOUT})
    bot = stack.start_isolated(
        model,
        home,
        token="channels-test-token",
        credentials=home / "credentials.yml",
        log_dir=home / "logs",
        extra_env={
            "SLACK_BOT_TOKEN": SLACK_TOKEN,
            "SLACK_SIGNING_SECRET": SLACK_SECRET,
            "SLACK_API_URL": slack.api_url,
            "SLACK_USE_THREADS": "true",
            "TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN,
            "TELEGRAM_WEBHOOK_URL": TELEGRAM_WEBHOOK,
            "TELEGRAM_WEBHOOK_SECRET": TELEGRAM_SECRET,
            "TELEGRAM_API_URL": telegram.api_url,
        },
    )
    try:
        stack.wait_ready(bot, timeout=300, progress=False)  # 2 shared cores: be patient
        was_down = not _listening(telegram.port)
        logged = _wait_for_log(bot, "Could not register the Telegram webhook", timeout=30)
        telegram.start()
        yield ChannelBot(bot, slack, telegram, was_down, logged)
    finally:
        bot.stop()
        slack.stop()
        telegram.stop()
