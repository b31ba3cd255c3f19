"""Slack and Telegram through a real bot and the fake platform APIs: how fast each webhook
is acknowledged (Slack retries after 3 s) and how long until the reply reaches the API.

Sequential, one new conversation per message. Writes results/channel_latency.json.

    .venv/bin/python -m tools.bench.channel_latency --count 50
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tests.channels import conftest as setup
from tests.channels.client import (
    new_id,
    send_slack,
    send_telegram,
    slack_event,
    telegram_message,
)
from tests.fakes.server import FakeServer
from tests.fakes.slack_api import FakeSlack
from tests.fakes.telegram_api import FakeTelegram
from tools.dev import stack
from tools.dev.train_if_needed import model_path

ROOT = Path(__file__).resolve().parents[2]

QUESTIONS = ["/exam_format", "/salary", "hello there", "what does a cma do", "/timeline"]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 1)


def measure(
    count: int, send: Callable[[str, str], int], fake: FakeServer, replied: Callable
) -> dict[str, float]:
    acks, replies = [], []
    for i in range(count):
        key = str(random.randint(10**8, 10**9))  # nosec B311 - an event id, not a secret
        started = time.perf_counter()
        status = send(key, QUESTIONS[i % len(QUESTIONS)])
        if status != 200:
            raise RuntimeError(f"the webhook answered {status}, not 200")
        acks.append((time.perf_counter() - started) * 1000)
        [first, *_] = fake.wait_for(replied(key), timeout=30)
        replies.append((first.at - started) * 1000)
    return {
        "ack_p50_ms": percentile(acks, 0.5),
        "ack_p95_ms": percentile(acks, 0.95),
        "ack_max_ms": round(max(acks), 1),
        "reply_p50_ms": percentile(replies, 0.5),
        "reply_p95_ms": percentile(replies, 0.95),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=50)
    args = parser.parse_args()
    slack = FakeSlack(setup.SLACK_TOKEN).start()
    telegram = FakeTelegram(setup.TELEGRAM_TOKEN).start()
    with tempfile.TemporaryDirectory(prefix="imgcma-bench-") as tmp:
        home = Path(tmp)
        (home / "credentials.yml").write_text(setup.CREDENTIALS % {"timeout": 10})
        bot = stack.start_isolated(
            model_path(),
            home,
            credentials=home / "credentials.yml",
            log_dir=home / "logs",
            extra_env={
                "SLACK_BOT_TOKEN": setup.SLACK_TOKEN,
                "SLACK_SIGNING_SECRET": setup.SLACK_SECRET,
                "SLACK_API_URL": slack.api_url,
                "TELEGRAM_BOT_TOKEN": setup.TELEGRAM_TOKEN,
                "TELEGRAM_WEBHOOK_URL": setup.TELEGRAM_WEBHOOK,
                "TELEGRAM_WEBHOOK_SECRET": setup.TELEGRAM_SECRET,
                "TELEGRAM_API_URL": telegram.api_url,
            },
        )
        try:
            stack.wait_ready(bot, timeout=300)
            report = {
                "count": args.count,
                "slack": measure(
                    args.count,
                    lambda key, text: send_slack(
                        bot.url, json.dumps(slack_event(text, new_id("U"), "D" + key)).encode()
                    )[0],
                    slack,
                    lambda key: lambda c: c.body.get("channel") == "D" + key,
                ),
                "telegram": measure(
                    args.count,
                    lambda key, text: send_telegram(bot.url, telegram_message(int(key), text))[0],
                    telegram,
                    lambda key: (
                        lambda c: c.method == "sendMessage" and str(c.body.get("chat_id")) == key
                    ),
                ),
            }
        finally:
            bot.stop()
            slack.stop()
            telegram.stop()
    out = ROOT / "results" / "channel_latency.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
