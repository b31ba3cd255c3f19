"""Soak test: a steady load on a freshly started bot, on loopback, for a bounded time.

    make soak                      # 10 minutes at 3 messages a second
    .venv/bin/python -m tools.dev.soak --minutes 1 --rate 3

Sends a realistic mix (guide questions, plans, checklists, bad input) from a
rotating set of users, counts errors (anything but a 200 with at least one
reply, or a "something went wrong" apology) and samples the memory (RSS) of
both servers. Writes results/soak.json; exits 1 if there was any error.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from tools.dev import stack
from tools.dev.train_if_needed import model_path

MESSAGES = [
    "hello",
    "what does a cma do",
    "how many questions are on the cma exam",
    "I'm starting a certificate program in March 2027, when could I work?",
    "what if I do the associate degree instead",
    "show me the documents checklist",
    "I already have my WES evaluation",
    "show my progress",
    "how much does a medical assistant earn",
    "do I need the usmle",
    "can you help with my visa",
    "<b>tips</b> for the interview",
    "'; DROP TABLE events;--",
    "",
    "thanks, bye",
]
# Offered load beyond what the bot serves is skipped (and counted), not queued.
MAX_IN_FLIGHT = 8
APOLOGIES = ("something went wrong on my side", "can't reach my conversation memory")


def rss_mib(pid: int) -> float:
    """Resident memory of a process and its children, in MiB (Linux /proc)."""
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


class Counter:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.sent = 0
        self.errors: list[str] = []
        self.latencies: list[float] = []
        self.submitted = 0
        self.skipped = 0

    def in_flight(self) -> int:
        with self.lock:
            return self.submitted - self.sent

    def record(self, latency: float, error: str | None) -> None:
        with self.lock:
            self.sent += 1
            self.latencies.append(latency)
            if error:
                self.errors.append(error)


def one(url: str, sender: str, text: str, counter: Counter) -> None:
    started = time.monotonic()
    error = None
    try:
        replies = stack.ask(url, sender, text, timeout=30)
        texts = " ".join(r.get("text", "") for r in replies)
        if not replies:
            error = f"no reply to {text!r}"
        elif any(a in texts for a in APOLOGIES):
            error = f"apology for {text!r}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        error = f"{type(exc).__name__}: {exc} for {text!r}"
    counter.record(time.monotonic() - started, error)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=3.0, help="messages per second")
    parser.add_argument("--users", type=int, default=25)
    parser.add_argument("--out", type=Path, default=stack.ROOT / "results" / "soak.json")
    args = parser.parse_args()
    model = model_path()
    if not model.exists():
        print("No trained model: run `make train` first.", file=sys.stderr)
        return 1

    with tempfile.TemporaryDirectory(prefix="imgcma-soak-") as tmp:
        home = Path(tmp)
        bot = stack.start_isolated(model, home, log_dir=home / "logs")
        try:
            print(f"Starting the bot for a {args.minutes:g}-minute soak ...", flush=True)
            stack.wait_ready(bot)
            pids = {"rasa": bot.processes[-1].pid, "actions": bot.processes[0].pid}
            memory = [{"t": 0.0, **{k: rss_mib(p) for k, p in pids.items()}}]
            counter = Counter()
            users = [f"soak-{n}" for n in range(args.users)]
            plan = zip(itertools.cycle(users), itertools.cycle(MESSAGES), strict=False)
            interval = 1.0 / args.rate
            started = time.monotonic()
            deadline = started + args.minutes * 60
            next_sample = started + 30
            with ThreadPoolExecutor(max_workers=8) as pool:
                for n, (user, text) in enumerate(plan):
                    due = started + n * interval
                    if due >= deadline:
                        break
                    time.sleep(max(0.0, due - time.monotonic()))
                    if counter.in_flight() >= MAX_IN_FLIGHT:
                        counter.skipped += 1  # the bot is behind: don't build a backlog
                    else:
                        counter.submitted += 1
                        pool.submit(one, bot.url, user, text, counter)
                    if time.monotonic() >= next_sample:
                        elapsed = time.monotonic() - started
                        memory.append({"t": elapsed, **{k: rss_mib(p) for k, p in pids.items()}})
                        print(
                            f"  {elapsed / 60:4.1f} min: {counter.sent} sent, "
                            f"{len(counter.errors)} errors, {counter.skipped} skipped, "
                            f"rasa {memory[-1]['rasa']:.0f} MiB",
                            flush=True,
                        )
                        next_sample += 30
            memory.append(
                {"t": time.monotonic() - started, **{k: rss_mib(p) for k, p in pids.items()}}
            )
            alive = bot.dead() is None
        finally:
            bot.stop()

    result = _summary(args, counter, memory, alive)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "rss_samples"}, indent=2))
    return 0 if result["errors"] == 0 and alive else 1


def _summary(
    args: argparse.Namespace, counter: Counter, memory: list[dict[str, float]], alive: bool
) -> dict[str, Any]:
    latencies = sorted(counter.latencies) or [0.0]
    return {
        "minutes": args.minutes,
        "rate_per_second": args.rate,
        "messages": counter.sent,
        "offered": counter.submitted + counter.skipped,
        "skipped_while_bot_busy": counter.skipped,
        "errors": len(counter.errors),
        "first_errors": counter.errors[:10],
        "server_alive_at_end": alive,
        "latency_p50_s": round(latencies[len(latencies) // 2], 3),
        "latency_p95_s": round(latencies[int(len(latencies) * 0.95) - 1], 3),
        "rss_mib_start": {k: round(v, 1) for k, v in memory[0].items() if k != "t"},
        "rss_mib_end": {k: round(v, 1) for k, v in memory[-1].items() if k != "t"},
        "rss_samples": memory,
    }


if __name__ == "__main__":
    sys.exit(main())
