"""End to end, on a copy of the project: add a topic, train, evaluate, promote into a
running bot, answer over REST, roll back. Plus the review export and label import on a
tracker store filled by real conversations with that bot.

Cost: two trainings, each a minute or two: the intent model is a logistic regression
over sentence embeddings, and the training examples' embeddings are cached in the
shared build/ folder. The same config trains both the baseline and the candidate, so
the gate compares like with like. One candidate serves every assertion after the
promotion.
"""

from __future__ import annotations

import csv
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.tools.operators.project_copy import copy_project, shared_paths
from tools.dev import stack, train_if_needed
from tools.operators.pipeline import free_port
from tools.operators.writer import HELDOUT

# Close to a training example: this test checks the plumbing, the gate checks quality.
NEW_QUESTION = "can you summarize the whole path for me"
SOURCE = 'From the guide: "Conclusion & Key Takeaways"'
TOKEN = "operator-e2e-token"


def cli(project: Path, *args: str, timeout: float = 2400) -> subprocess.CompletedProcess:
    """Run `python -m tools.operators` in the copy, as an operator would."""
    return subprocess.run(
        [str(project / ".venv" / "bin" / "python"), "-m", "tools.operators", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "RASA_AUTH_TOKEN": TOKEN, **shared_paths()},
        check=False,
    )


def text_of(replies: list[dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


@dataclass
class World:
    project: Path
    bot: stack.Stack
    baseline: Path
    home: Path
    before: str = ""
    add_topic: subprocess.CompletedProcess | None = None
    add_topic_seconds: float = 0.0
    outages: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    project = copy_project(tmp_path_factory.mktemp("project"))
    trained = subprocess.run(
        [str(project / ".venv" / "bin" / "python"), "-m", "tools.dev.train_if_needed"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert trained.returncode == 0, trained.stderr[-2000:]
    baseline = Path(trained.stdout.strip().splitlines()[-1])
    home = tmp_path_factory.mktemp("bot")
    rasa_port, action_port = free_port(), free_port()
    endpoints = stack.write_endpoints(home / "endpoints.yml", action_port, home / "tracker.db")
    bot = stack.start(
        baseline,
        token=TOKEN,
        rasa_port=rasa_port,
        action_port=action_port,
        endpoints=endpoints,
        log_dir=home / "logs",
    )
    try:
        stack.wait_ready(bot, progress=False)
        yield World(project, bot, baseline, home)
    finally:
        bot.stop()


def test_review_export_from_real_conversations(world: World) -> None:
    """Talk to the bot, then export what it handled badly: grouped, no sender ids."""
    talk = {
        "amira-7f3a": ["hi", "do i need a work visa to do the externship", "thanks"],
        "li-0c11": ["what's the weather in lagos tomorrow", "is there a visa for ma students?"],
        "sam-93bd": ["whats the weather in lagos tomorrow?", "banana helicopter"],
        "ola-55e2": ["What is the weather in Lagos tomorrow", "how much does a cma make"],
    }
    for sender, messages in talk.items():
        for message in messages:
            assert stack.ask(world.bot.url, sender, message), message
    endpoints = world.home / "endpoints.yml"
    out = world.home / "review.csv"
    run = cli(world.project, "review", "--endpoints", str(endpoints), "--out", str(out))
    assert run.returncode == 0, run.stdout + run.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    raw = out.read_text(encoding="utf-8")
    for sender in talk:
        assert sender not in raw, "sender ids must not leave the tracker store"
    weather = [r for r in rows if "weather" in r["text"].lower()]
    assert len(weather) == 1, rows  # three near-duplicates, one group
    assert weather[0]["count"] == "3"
    assert all(r["best_guess"] and r["confidence"] for r in rows)
    assert not any(r["text"] in ("hi", "thanks", "how much does a cma make") for r in rows)
    assert {r["reason"] for r in rows} <= {"fell back", "declined", "low confidence"}
    nonsense = next(r for r in rows if r["text"] == "banana helicopter")
    assert nonsense["count"] == "1"
    assert all(r["guide_section"] for r in rows)

    # The operator labels the weather group as out of scope; importing twice adds nothing twice.
    for row in rows:
        row["intent"] = "out_of_scope" if row is weather[0] else ""
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    # --no-train: this test's one retrain is add-topic's (test_live_topics_e2e trains labels).
    first = cli(world.project, "import-labels", str(out), "--no-train")
    assert first.returncode == 0, first.stdout + first.stderr
    nlu = (world.project / "data" / "nlu" / "out_of_scope.yml").read_text(encoding="utf-8")
    heldout = world.project / HELDOUT
    stored = nlu + (heldout.read_text(encoding="utf-8") if heldout.exists() else "")
    assert stored.lower().count("weather in lagos") == 3, first.stdout
    again = cli(world.project, "import-labels", str(out), "--no-train")
    assert "already in the training data" in again.stdout, again.stdout
    after = (world.project / "data" / "nlu" / "out_of_scope.yml").read_text(encoding="utf-8")
    assert after == nlu


def test_review_reads_a_postgresql_tracker_store_too(world: World) -> None:
    """The same conversations, moved into PostgreSQL (Rasa's SQL tracker schema), give the
    same export as SQLite."""
    psycopg2 = pytest.importorskip("psycopg2")
    sqlite_rows = (
        sqlite3.connect(world.home / "tracker.db")
        .execute(
            "SELECT sender_id, type_name, timestamp, intent_name, action_name, data FROM events "
            "ORDER BY id"
        )
        .fetchall()
    )
    assert sqlite_rows, "the review test talks to the bot first"
    name = f"imgcma_review_{os.getpid()}"
    admin = psycopg2.connect(host="127.0.0.1", port=5432, dbname="postgres", user="postgres")
    admin.autocommit = True
    admin.cursor().execute(f"DROP DATABASE IF EXISTS {name}")
    admin.cursor().execute(f"CREATE DATABASE {name}")
    try:
        conn = psycopg2.connect(host="127.0.0.1", port=5432, dbname=name, user="postgres")
        with conn, conn.cursor() as cur:
            cur.execute(
                "CREATE TABLE events (id SERIAL PRIMARY KEY, sender_id VARCHAR(255), "
                "type_name VARCHAR(255), timestamp FLOAT, intent_name VARCHAR(255), "
                "action_name VARCHAR(255), data TEXT)"
            )
            cur.executemany(
                "INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, "
                "data) VALUES (%s, %s, %s, %s, %s, %s)",
                sqlite_rows,
            )
        conn.close()
        endpoints = world.home / "endpoints-pg.yml"
        endpoints.write_text(
            "tracker_store:\n  type: SQL\n  dialect: postgresql\n  url: 127.0.0.1\n"
            f"  port: 5432\n  db: {name}\n  username: postgres\n"
        )
        out_pg, out_sqlite = world.home / "review-pg.csv", world.home / "review-sqlite.csv"
        assert (
            cli(
                world.project, "review", "--endpoints", str(endpoints), "--out", str(out_pg)
            ).returncode
            == 0
        )
        assert (
            cli(
                world.project,
                "review",
                "--endpoints",
                str(world.home / "endpoints.yml"),
                "--out",
                str(out_sqlite),
            ).returncode
            == 0
        )
        assert out_pg.read_text() == out_sqlite.read_text()
        assert "weather" in out_pg.read_text().lower()
    finally:
        admin.cursor().execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()


@pytest.fixture(scope="module")
def promoted(world: World) -> World:
    """`add-topic` on the example file while users keep talking to the bot."""
    world.before = text_of(stack.ask(world.bot.url, "before", NEW_QUESTION))
    stop = threading.Event()

    def keep_talking() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            try:
                if not stack.ask(world.bot.url, f"user-{n}", "hi", timeout=120):
                    world.outages.append(f"message {n}: no reply")
            except OSError as exc:
                world.outages.append(f"message {n}: {exc}")
            time.sleep(1)

    talker = threading.Thread(target=keep_talking, daemon=True)
    talker.start()
    started = time.monotonic()
    world.add_topic = cli(
        world.project, "add-topic", "examples/topics/path_overview.yml", "--rasa-url", world.bot.url
    )
    world.add_topic_seconds = time.monotonic() - started
    stop.set()
    talker.join(150)
    print(
        f"\nadd-topic to promoted model: {world.add_topic_seconds:.0f} s\n{world.add_topic.stdout}",
        file=sys.stderr,
    )
    return world


def test_new_topic_is_promoted_and_answered_over_rest(promoted: World) -> None:
    run = promoted.add_topic
    assert run is not None and run.returncode == 0, run.stdout[-4000:] + run.stderr[-3000:]
    assert "Promoted" in run.stdout and "PROMOTE" in run.stdout
    assert "NEW    path_overview" in run.stdout
    assert SOURCE not in promoted.before
    reply = text_of(stack.ask(promoted.bot.url, "after", NEW_QUESTION))
    assert SOURCE in reply
    assert promoted.outages == [], "the bot must keep answering while the model is swapped"


def test_promotion_leaves_a_card_and_make_run_serves_it(promoted: World) -> None:
    models = promoted.project / "models"
    current = train_if_needed.served_model(promoted.project)
    assert current.parent == models / "releases"
    assert current.name.startswith(train_if_needed.model_path(promoted.project).name[:-7])
    cards = sorted((models / "cards").glob("*-promotion.md"))
    assert cards, "every promotion writes a model card"
    card = cards[-1].read_text(encoding="utf-8")
    assert "path_overview" in card and "training examples" in card and "F1" in card


def test_rollback_brings_the_old_answer_back(promoted: World) -> None:
    assert promoted.add_topic is not None and promoted.add_topic.returncode == 0
    run = cli(promoted.project, "rollback", "--rasa-url", promoted.bot.url)
    assert run.returncode == 0, run.stdout + run.stderr
    reply = text_of(stack.ask(promoted.bot.url, "after-rollback", NEW_QUESTION))
    assert SOURCE not in reply
    assert reply == promoted.before
    served = train_if_needed.served_model(promoted.project)
    assert served.name.startswith(promoted.baseline.name[:-7])
    assert sorted((promoted.project / "models" / "cards").glob("*-rollback.md"))
