"""Check that server/fast_model_load.py changes load time only, never a prediction.

Loads the current model twice in one process, stock and patched, and compares
the top-3 intent ranking (to 6 decimals) for a few messages. Prints both load
times (the second load also benefits from warm imports, so its time flatters).

    .venv/bin/python bench/fast_load_equivalence.py
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

from rasa.core.agent import Agent  # noqa: E402

from server import fast_model_load  # noqa: E402
from train_if_needed import model_path  # noqa: E402

TEXTS = [
    "RN vs CMA - what education does each one need?",
    "what kind of externship connections should a good MA program have?",
    "what does a cma do",
    "hospital",
    "degree",
    "make me a personal timeline",
    "do i need usmle to become a cma?",
    "who won the football world cup in 2010",
]


async def rankings(agent: Agent) -> list[list[tuple[str, float]]]:
    out = []
    for text in TEXTS:
        parsed = await agent.parse_message(text)
        out.append([(i["name"], round(i["confidence"], 6)) for i in parsed["intent_ranking"][:3]])
    return out


def timed_load() -> tuple[Agent, float]:
    started = time.monotonic()
    agent = Agent.load(str(model_path()))
    return agent, time.monotonic() - started


def main() -> int:
    stock, stock_s = timed_load()
    expected = asyncio.run(rankings(stock))
    fast_model_load.install()
    patched, patched_s = timed_load()
    got = asyncio.run(rankings(patched))
    for text, a, b in zip(TEXTS, expected, got, strict=True):
        print("same" if a == b else "DIFFERENT", text, b)
    print(f"stock load {stock_s:.1f} s, patched load {patched_s:.1f} s")
    print("IDENTICAL" if expected == got else "PREDICTIONS DIFFER")
    return 0 if expected == got else 1


if __name__ == "__main__":
    sys.exit(main())
