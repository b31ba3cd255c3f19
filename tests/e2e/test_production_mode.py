"""Production mode (IMGCMA_ENV=production): CORS allowlist, quiet logs, rate limits.

Its own Rasa server (no action server needed) on free ports, with low limits
so they can be reached, and LOG_LEVEL=DEBUG that production mode must refuse.
"""

import subprocess
import sys
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from server.replies import load_replies
from tests.e2e.helpers import free_port, send
from tools.dev import stack
from tools.dev.train_if_needed import model_path

REPLIES = load_replies()
ALLOWED = "https://widget.example.org"
PER_SENDER, PER_IP = 3, 30
MARKER = "Zebracorn4471 is my passport number"


@pytest.fixture(scope="module")
def production_bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[stack.Stack]:
    home = tmp_path_factory.mktemp("production")
    endpoints = stack.write_endpoints(home / "endpoints.yml", free_port(), home / "tracker.db")
    bot = stack.start(
        model_path(),
        token="production-test-token",
        rasa_port=free_port(),
        endpoints=endpoints,
        log_dir=home / "logs",
        with_action_server=False,
        extra_env={
            "IMGCMA_ENV": "production",
            "ALLOWED_ORIGINS": ALLOWED,
            "RATE_LIMIT_PER_SENDER": str(PER_SENDER),
            "RATE_LIMIT_PER_IP": str(PER_IP),
            "LOG_LEVEL": "DEBUG",
        },
    )
    try:
        stack.wait_ready(bot, progress=False)
        yield bot
    finally:
        bot.stop()


def log_of(bot: stack.Stack) -> str:
    return Path(bot.logs[1]).read_text(encoding="utf-8", errors="replace")


def sender() -> str:
    return f"prod-{uuid.uuid4().hex[:8]}"


def test_cors_answers_only_the_allowed_origin(production_bot: stack.Stack) -> None:
    port = production_bot.rasa_port
    allowed = send(port, sender(), "hello", headers={"Origin": ALLOWED})
    assert allowed.headers.get("Access-Control-Allow-Origin") == ALLOWED
    other = send(port, sender(), "hello", headers={"Origin": "https://evil.example.com"})
    assert other.status == 200
    assert "Access-Control-Allow-Origin" not in other.headers


def test_message_text_stays_out_of_the_logs(production_bot: stack.Stack) -> None:
    reply = send(production_bot.rasa_port, sender(), MARKER)
    assert reply.status == 200
    log = log_of(production_bot)
    assert "Production mode: debug logging is off" in log
    assert "Zebracorn4471" not in log


def test_sender_rate_limit_answers_politely(production_bot: stack.Stack) -> None:
    user = sender()
    for _ in range(PER_SENDER):
        assert REPLIES["rate_limited"] not in send(production_bot.rasa_port, user, "hi").texts()
    reply = send(production_bot.rasa_port, user, "hi")
    assert reply.status == 200
    assert reply.texts() == [REPLIES["rate_limited"]]


def test_address_rate_limit_gets_a_json_429(production_bot: stack.Stack) -> None:
    statuses = [send(production_bot.rasa_port, sender(), "hi").status for _ in range(PER_IP + 1)]
    assert 429 in statuses
    blocked = send(production_bot.rasa_port, sender(), "hi")
    assert blocked.status == 429
    assert blocked.json() == {"error": "rate_limited", "message": REPLIES["rate_limited"]}
    # Only /webhooks/ is limited; the token-protected API and health checks are not.
    with urllib.request.urlopen(f"{production_bot.url}/", timeout=10) as health:
        assert health.status == 200


def test_the_api_never_starts_without_a_token() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "server", "run", "--enable-api", "--port", str(free_port())],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=stack.ROOT,
    )
    assert result.returncode == 2
    assert "Refusing to start" in result.stderr
