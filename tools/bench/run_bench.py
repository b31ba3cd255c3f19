"""`make bench`: latency, throughput, start-up, memory and training figures on this machine.

Figures (all in one run, written to results/bench.json and results/bench.md):
  * REST latency p50/p95/p99 and messages/s at 1, 10 and 50 concurrent users,
    for a guide answer and for a timeline-action turn (custom action server);
  * latency at turn 1, 50 and 200 of long conversations (three, one after another);
  * start-up until the first answer, peak RSS of the Rasa and action servers;
  * the same for Rasa's own `rasa init` bot (the framework's floor), as ratios;
  * two Rasa replicas against one (PostgreSQL + Redis, configs/endpoints.scaleout.yml);
  * `make train` from scratch in a temporary copy of the project (--skip-train skips it).

    .venv/bin/python -m tools.bench.run_bench [--skip-train] [--seconds N] [--skip-scaleout]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tools.bench import load, procinfo, report, vanilla
from tools.dev import scaleout, stack
from tools.dev.train_if_needed import model_path

ROOT = Path(__file__).resolve().parents[2]

GUIDE_QUESTIONS = [
    "what does a cma do",
    "is the usmle required for becoming a medical assistant",
    "how is the cma exam structured",
    "do my transcripts need to be translated",
    "what is an externship",
]
TIMELINE_TURN = ["if i begin a certificate program in june 2027 when can i work"]
LEVELS = (1, 10, 50)
GROWTH_MARKS = (1, 50, 200)


def says(fragment: str):
    return lambda replies: any(fragment in r.get("text", "") for r in replies)


def note(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def measure_loads(
    urls: list[str], scenarios: dict[str, tuple[list[str], Any]], args: argparse.Namespace
) -> dict[str, list[dict]]:
    figures: dict[str, list[dict]] = {}
    for name, (messages, expect) in scenarios.items():
        figures[name] = []
        for users in LEVELS:
            note(f"{name}: {users} concurrent users for {args.seconds:.0f} s")
            result = asyncio.run(
                load.run_load(
                    urls,
                    messages,
                    users=users,
                    duration_s=args.seconds,
                    max_messages=args.max_messages,
                    expect=expect,
                )
            )
            figures[name].append(result.summary())
    return figures


def start_plain_rasa(model: Path, **kw: Any) -> stack.Stack:
    """Stock `rasa run` without our server patches: the framework's own floor."""
    log = kw["log_dir"] / "rasa_server.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    bot = stack.Stack(rasa_port=kw["rasa_port"], action_port=None, token=kw["token"], logs=[log])
    cmd = [
        str(stack.BIN / "rasa"),
        "run",
        "--model",
        str(model),
        "--port",
        str(kw["rasa_port"]),
        "--enable-api",
        f"--auth-token={kw['token']}",
        "--endpoints",
        str(kw["endpoints"]),
        "--credentials",
        str(kw["credentials"]),
        "--interface",
        "127.0.0.1",
    ]
    env = {**os.environ, "SQLALCHEMY_SILENCE_UBER_WARNING": "1", "TF_CPP_MIN_LOG_LEVEL": "2"}
    with open(log, "ab") as out:
        bot.processes.append(
            subprocess.Popen(
                cmd,
                cwd=kw["endpoints"].parent,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    return bot


def bench_bot(
    name: str,
    model: Path,
    scenarios: dict[str, tuple[list[str], Any]],
    growth_messages: list[str],
    args: argparse.Namespace,
    *,
    endpoints: Path,
    credentials: Path,
    with_actions: bool,
    plain_rasa: bool = False,
) -> dict[str, Any]:
    """Start one bot, time it until the first answer, load it, read its memory."""
    with tempfile.TemporaryDirectory(prefix=f"imgcma-bench-{name}-") as tmp:
        action_port = scaleout.free_port()
        if with_actions:
            endpoints = stack.write_endpoints(
                Path(tmp) / "endpoints.yml", action_port, Path(tmp) / "t.db"
            )
        started = time.monotonic()
        start = start_plain_rasa if plain_rasa else stack.start
        bot = start(
            model,
            token=stack.new_token(),
            rasa_port=scaleout.free_port(),
            action_port=action_port,
            endpoints=endpoints,
            credentials=credentials,
            log_dir=Path(tmp) / "logs",
            with_action_server=with_actions,
        )
        try:
            stack.wait_ready(bot, timeout=900)
            figures: dict[str, Any] = {
                "startup_to_first_answer_s": round(time.monotonic() - started, 1)
            }
            note(f"{name}: first answer after {figures['startup_to_first_answer_s']} s")
            figures["load"] = measure_loads([bot.url], scenarios, args)
            note(f"{name}: three conversations of {GROWTH_MARKS[-1]} turns")
            figures["conversation_growth"] = asyncio.run(
                load.conversation_growth(bot.url, growth_messages, GROWTH_MARKS[-1], GROWTH_MARKS)
            )
            rasa_proc = bot.processes[-1]
            figures["rasa_server_memory"] = procinfo.memory_mb(rasa_proc.pid)
            if with_actions:
                figures["action_server_memory"] = procinfo.memory_mb(bot.processes[0].pid)
        finally:
            bot.stop()
    return figures


def bench_scaleout(model: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Guide-answer throughput at 20 users: one replica, then two (shared Postgres + Redis)."""
    services = scaleout.Services(db_name=f"imgcma_bench_{secrets.token_hex(4)}")
    absent = services.missing()
    if absent:
        return {"skipped": f"needs {' and '.join(absent)}"}
    services.create_database()
    with tempfile.TemporaryDirectory(prefix="imgcma-bench-scale-") as tmp:
        replicas = scaleout.start_cluster(
            model, services, replicas=2, token=stack.new_token(), log_dir=Path(tmp)
        )
        try:
            for replica in replicas:
                stack.wait_ready(replica, timeout=900)
            figures: dict[str, Any] = {"users": args.scale_users}
            for label, urls in (
                ("one_replica", [replicas[0].url]),
                ("two_replicas", [r.url for r in replicas]),
            ):
                note(f"scale-out: {args.scale_users} users on {label.replace('_', ' ')}")
                result = asyncio.run(
                    load.run_load(
                        urls,
                        GUIDE_QUESTIONS,
                        users=args.scale_users,
                        duration_s=args.seconds,
                        max_messages=args.max_messages,
                        expect=says("From the guide"),
                    )
                )
                figures[label] = result.summary()
            figures["throughput_ratio"] = round(
                figures["two_replicas"]["messages_per_s"]
                / figures["one_replica"]["messages_per_s"],
                2,
            )
        finally:
            for replica in replicas:
                replica.stop()
            services.drop_database()
            services.clear_redis()
    return figures


def bench_train() -> dict[str, Any]:
    """`make train` in a fresh copy of the project: spaCy pipeline, no cache, no model."""
    with tempfile.TemporaryDirectory(prefix="imgcma-bench-train-") as tmp:
        copy = Path(tmp) / "project"
        shutil.copytree(
            ROOT,
            copy,
            symlinks=True,
            ignore=shutil.ignore_patterns(
                ".venv", ".git", ".rasa", "build", "models", "results", "*.db"
            ),
        )
        (copy / ".venv").symlink_to(ROOT / ".venv")
        (copy / "models").mkdir(exist_ok=True)
        note("make train from scratch in a temporary copy (several minutes) ...")
        started = time.monotonic()
        # -o: the shared venv counts as installed; only the pipeline and the model are built.
        subprocess.run(
            ["make", "-o", ".venv/.installed", "train"],  # nosec B607 - make from PATH, as users run it
            cwd=copy,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        return {"make_train_from_scratch_s": round(time.monotonic() - started, 1)}


def save(results: dict[str, Any], out: Path, *, final: bool) -> None:
    """Write what is measured so far (an interrupted run keeps its figures)."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench.json").write_text(json.dumps({**results, "complete": final}, indent=2))
    (out / "bench.md").write_text(report.markdown(results))


def main() -> int:
    # The load generator is one client on one address sending far faster than a
    # person: without this the per-sender and per-IP limits (server/settings.py)
    # would answer the long conversation with "slow down" and the figures would lie.
    os.environ.setdefault("RATE_LIMIT_PER_SENDER", "1000000")
    os.environ.setdefault("RATE_LIMIT_PER_IP", "1000000")
    args = _arguments()

    model = model_path()
    if not model.exists():
        note(f"no trained model at {model}: run `make train` first")
        return 1
    results: dict[str, Any] = {
        "machine": {
            "cpus": len(os.sched_getaffinity(0)),
            "load_average_start": procinfo.load_average(),
        },
        "rasa_version": vanilla.rasa_version(),
        "model": model.name,
        "seconds_per_level": args.seconds,
    }
    if args.skip_bot:  # e.g. to redo only the scale-out figures
        previous = json.loads((args.out / "bench.json").read_text())
        results.update({k: previous[k] for k in ("bot", "vanilla") if k in previous})
    else:
        results["bot"] = _bench_our_bot(model, args)
        save(results, args.out, final=False)
        if not args.skip_vanilla:
            results["vanilla"] = _bench_vanilla(args)
    save(results, args.out, final=False)
    if not args.skip_scaleout:
        results["scaleout"] = bench_scaleout(model, args)
    save(results, args.out, final=False)
    if not args.skip_train:
        results["train"] = bench_train()
    results["machine"]["load_average_end"] = procinfo.load_average()
    save(results, args.out, final=True)
    print(report.markdown(results))
    note(f"wrote {args.out / 'bench.json'} and {args.out / 'bench.md'}")
    return 0


def _bench_our_bot(model: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Our bot with its action server: guide answers and a timeline turn."""
    return bench_bot(
        "bot",
        model,
        {
            "guide_answer": (GUIDE_QUESTIONS, says("From the guide")),
            "timeline_action": (TIMELINE_TURN, says("You could be working as a CMA")),
        },
        GUIDE_QUESTIONS,
        args,
        endpoints=ROOT / "endpoints.yml",
        credentials=ROOT / "credentials.yml",
        with_actions=True,
    )


def _bench_vanilla(args: argparse.Namespace) -> dict[str, Any]:
    """The `rasa init` bot on the same machine: the floor our figures compare with."""
    folder, trained_s = vanilla.ensure(args.fresh_vanilla)
    figures = bench_bot(
        "vanilla",
        vanilla.model(folder),
        {"simple_answer": (vanilla.MESSAGES, bool)},
        vanilla.MESSAGES,
        args,
        endpoints=folder / "endpoints.yml",
        credentials=folder / "credentials.yml",
        with_actions=False,
        plain_rasa=True,
    )
    if trained_s is not None:
        figures["rasa_init_and_train_s"] = round(trained_s, 1)
    return figures


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--skip-train", action="store_true", help="skip `make train` from scratch")
    parser.add_argument("--skip-vanilla", action="store_true", help="skip the `rasa init` floor")
    parser.add_argument("--skip-scaleout", action="store_true", help="skip two replicas vs one")
    parser.add_argument("--skip-bot", action="store_true", help="keep our bot's figures from --out")
    parser.add_argument("--fresh-vanilla", action="store_true", help="retrain the `rasa init` bot")
    parser.add_argument("--seconds", type=float, default=15.0, help="per load level (default 15)")
    parser.add_argument("--max-messages", type=int, default=1500, help="cap per load level")
    parser.add_argument("--scale-users", type=int, default=20, help="users in the scale-out run")
    parser.add_argument("--out", type=Path, default=ROOT / "results")
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(main())
