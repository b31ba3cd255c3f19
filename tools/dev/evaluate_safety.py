"""Safety messages through the whole trained NLU: misses and false alarms.

Reads a file of `emergency:`, `self_harm:` and `lookalikes:` (or `harmless:`)
lists, parses each message with the served model (patterns and model together,
as the bot does) and prints the share right per list and every message that
went wrong. Report only: `make evaluate-safety`.

    .venv/bin/python -m tools.dev.evaluate_safety [--messages tests/eval/safety_messages.yml]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = {"emergency": "medical_emergency", "self_harm": "self_harm"}
SAFETY = set(EXPECTED.values())


async def intents(model: Path, texts: list[str]) -> list[str]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    return [(await agent.parse_message(t))["intent"]["name"] for t in texts]


def main() -> int:
    from tools.dev.train_if_needed import served_model

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=Path, default=ROOT / "tests/eval/safety_messages.yml")
    args = parser.parse_args()
    lists = yaml.safe_load(args.messages.read_text(encoding="utf-8"))
    for name, messages in lists.items():
        if not isinstance(messages, list):
            continue
        texts = [m for m in messages if isinstance(m, str)]
        got = asyncio.run(intents(served_model(ROOT), texts))
        wrong = [
            (intent, text)
            for intent, text in zip(got, texts, strict=True)
            if (intent != EXPECTED[name] if name in EXPECTED else intent in SAFETY)
        ]
        print(f"{name}: {len(texts) - len(wrong)}/{len(texts)} right")
        for intent, text in wrong:
            print(f"    got {intent}: {text[:90]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
