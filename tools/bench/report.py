"""The markdown table of `make bench` (results/bench.md), with the targets checked."""

from __future__ import annotations

from typing import Any


def _level(rows: list[dict], users: int) -> dict:
    return next(r for r in rows if r["users"] == users)


def _load_table(title: str, rows: list[dict]) -> list[str]:
    lines = [
        f"**{title}**",
        "",
        "| users | messages | p50 ms | p95 ms | p99 ms | messages/s | failures | unexpected |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['users']} | {r['messages']} | {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} "
            f"| {r['messages_per_s']} | {r['failures']} | {r['unexpected_replies']} |"
        )
    return [*lines, ""]


def _targets(results: dict[str, Any]) -> list[tuple[str, str, bool | None]]:
    bot = results["bot"]
    guide10 = _level(bot["load"]["guide_answer"], 10)
    growth = bot["conversation_growth"]
    rows: list[tuple[str, str, bool | None]] = []
    if "vanilla" in results:
        floor = _level(results["vanilla"]["load"]["simple_answer"], 10)
        ratio = guide10["p95_ms"] / floor["p95_ms"]
        rows.append(
            (
                "guide-answer p95 at 10 users within 1.5x the vanilla bot's",
                f"{guide10['p95_ms']} ms / {floor['p95_ms']} ms = {ratio:.2f}x",
                ratio <= 1.5,
            )
        )
    rows.append(
        (
            "at least 20 messages/s (guide answers, 10 users)",
            f"{guide10['messages_per_s']} messages/s",
            guide10["messages_per_s"] >= 20,
        )
    )
    rows.append(
        (
            "latency at turn 200 within 1.3x of turn 1",
            f"{growth['turn_200_ms']} ms / {growth['turn_1_ms']} ms = {growth['growth_ratio']}x",
            growth["growth_ratio"] <= 1.3,
        )
    )
    rows.append(
        (
            "start-up until the first answer under 20 s",
            f"{bot['startup_to_first_answer_s']} s",
            bot["startup_to_first_answer_s"] < 20,
        )
    )
    rows.append(
        (
            "Rasa server peak RSS (reported)",
            f"{bot['rasa_server_memory']['peak_rss_mb']} MB; action server "
            f"{bot['action_server_memory']['peak_rss_mb']} MB",
            None,
        )
    )
    return rows


def markdown(results: dict[str, Any]) -> str:
    machine = results["machine"]
    lines = [
        "# Benchmark (`make bench`)",
        "",
        f"Rasa {results['rasa_version']}, model `{results['model']}`, {machine['cpus']} CPUs; "
        f"load average {machine['load_average_start']} at the start, "
        f"{machine.get('load_average_end')} at the end (other work shares the machine). "
        f"{results['seconds_per_level']:.0f} s per load level; closed-loop users, "
        "a new conversation every 20 turns.",
        "",
        "## Targets",
        "",
        "| target | measured | met |",
        "|---|---|---|",
    ]
    for target, measured, met in _targets(results):
        mark = "n/a" if met is None else ("yes" if met else "**no**")
        lines.append(f"| {target} | {measured} | {mark} |")
    lines += ["", "## Our bot", ""]
    bot = results["bot"]
    lines += _load_table("Guide answer (NLU + rule + response)", bot["load"]["guide_answer"])
    lines += _load_table(
        "Timeline-action turn (form + custom action server)", bot["load"]["timeline_action"]
    )
    lines += _facts(bot)
    if "vanilla" in results:
        lines += ["## Vanilla `rasa init` bot (the framework's floor)", ""]
        lines += _load_table("Simple answer", results["vanilla"]["load"]["simple_answer"])
        lines += _facts(results["vanilla"])
        lines += ["**Ratios, our bot / vanilla** (p95 and messages/s, guide answer)", ""]
        lines += ["| users | p95 ratio | throughput ratio |", "|---:|---:|---:|"]
        for ours in bot["load"]["guide_answer"]:
            floor = _level(results["vanilla"]["load"]["simple_answer"], ours["users"])
            lines.append(
                f"| {ours['users']} | {ours['p95_ms'] / floor['p95_ms']:.2f} "
                f"| {ours['messages_per_s'] / floor['messages_per_s']:.2f} |"
            )
        lines.append("")
    scale = results.get("scaleout")
    if scale:
        lines += ["## Two replicas against one (PostgreSQL tracker store, Redis lock store)", ""]
        if "skipped" in scale:
            lines += [f"Skipped: {scale['skipped']}.", ""]
        else:
            lines += _load_table(
                f"One replica, {scale['users']} users", [scale["one_replica"]]
            ) + _load_table(f"Two replicas, {scale['users']} users", [scale["two_replicas"]])
            lines += [f"Throughput ratio two/one: **{scale['throughput_ratio']}x**", ""]
    if "train" in results:
        lines += [
            "## Training",
            "",
            f"`make train` from scratch (fresh copy, no cache): "
            f"{results['train']['make_train_from_scratch_s']} s",
            "",
        ]
    return "\n".join(lines)


def _facts(figures: dict[str, Any]) -> list[str]:
    growth = figures["conversation_growth"]
    lines = [
        "| start-up to first answer | turn 1 | turn 50 | turn 200 | 200/1 | Rasa peak RSS |"
        + (" action server peak RSS |" if "action_server_memory" in figures else ""),
        "|---:|---:|---:|---:|---:|---:|" + ("---:|" if "action_server_memory" in figures else ""),
        f"| {figures['startup_to_first_answer_s']} s | {growth['turn_1_ms']} ms "
        f"| {growth['turn_50_ms']} ms | {growth['turn_200_ms']} ms | {growth['growth_ratio']}x "
        f"| {figures['rasa_server_memory']['peak_rss_mb']} MB |"
        + (
            f" {figures['action_server_memory']['peak_rss_mb']} MB |"
            if "action_server_memory" in figures
            else ""
        ),
        "",
        f"Turn figures are the median of the 10 turns ending there (turn 1: turns 1-10), "
        f"pooled over {growth.get('conversations', 1)} conversations of 200 turns.",
        "",
    ]
    return lines
