"""How one conversation's turns slow down as it grows (and, optionally, where the time goes).

Starts the bot (`python -m server run`, SQLite tracker store, action server)
on free loopback ports, sends TURNS guide questions from one sender and prints
the median latency of every 20 turns. With --py-spy FILE it records the Rasa
server from turn 101 on (py-spy raw format, one collapsed stack per line).
SESSION_MAX_EVENTS=0 in the environment turns the session cap off, to compare.

    .venv/bin/python -m tools.bench.long_conversation [--turns 300] [--py-spy out.raw]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

from tools.bench import load
from tools.bench.run_bench import GUIDE_QUESTIONS
from tools.dev import stack
from tools.dev.train_if_needed import model_path

ROOT = Path(__file__).resolve().parents[2]

PROFILE_FROM_TURN = 100


async def talk(url: str, sender: str, turns: range, latencies: list[float]) -> None:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as session:
        for turn in turns:
            ms, replies = await load.send(
                session, url, sender, GUIDE_QUESTIONS[turn % len(GUIDE_QUESTIONS)]
            )
            if replies is None:
                raise RuntimeError(f"turn {turn + 1} got no reply")
            latencies.append(ms)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--turns", type=int, default=300)
    parser.add_argument("--py-spy", type=Path, help="record the Rasa server to this file")
    args = parser.parse_args()
    # One fast sender would otherwise be told to slow down (server/settings.py).
    os.environ.setdefault("RATE_LIMIT_PER_SENDER", "1000000")
    with tempfile.TemporaryDirectory(prefix="imgcma-long-") as tmp:
        bot = stack.start_isolated(model_path(), Path(tmp), log_dir=Path(tmp) / "logs")
        latencies: list[float] = []
        try:
            stack.wait_ready(bot, timeout=600)
            split = min(PROFILE_FROM_TURN, args.turns) if args.py_spy else args.turns
            asyncio.run(talk(bot.url, "long-conversation", range(split), latencies))
            if args.py_spy:
                pid = str(bot.processes[-1].pid)
                # The pinned py-spy from our venv, arguments built here: no shell, no user text.
                spy = subprocess.Popen(  # nosec B603
                    [
                        str(stack.BIN / "py-spy"),
                        "record",
                        "--format",
                        "raw",
                        "--rate",
                        "200",
                        "-o",
                        str(args.py_spy),
                        "--pid",
                        pid,
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                time.sleep(2)  # py-spy attaches
                asyncio.run(talk(bot.url, "long-conversation", range(split, args.turns), latencies))
                spy.send_signal(2)
                spy.wait()
        finally:
            bot.stop()
    print(f"SESSION_MAX_EVENTS={os.environ.get('SESSION_MAX_EVENTS', '100 (default)')}")
    print("turns      median ms")
    for start in range(0, len(latencies), 20):
        window = latencies[start : start + 20]
        print(f"{start + 1:>3}-{start + len(window):<3}    {statistics.median(window):7.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
