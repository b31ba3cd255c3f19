"""server/calendar_tokens.py: random, stored, expiring, revocable calendar links."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path

import pytest
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from actions.core.calendar_link import TOKEN_PLACEHOLDER, plan_link
from server import calendar_tokens, privacy
from server.tracker_store import FastSQLTrackerStore

LINE = f"📅 Add these milestones to your calendar: {plan_link('http://bot.example')}"


@pytest.fixture(params=["sql", "memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path):
    if request.param == "sql":
        made = FastSQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "t.db"))
    else:
        made = InMemoryTrackerStore(Domain.empty())
    calendar_tokens.use_store(made)
    yield made
    calendar_tokens.use_store(None)


def token_in(text: str) -> str:
    return text.split("token=")[1].split()[0]


def test_a_link_gets_a_fresh_random_token_and_no_conversation_id(store) -> None:
    first, second = (
        calendar_tokens.fill_links([f"Your plan\n{LINE}\nsource"], "amira-sender-id")[0]
        for _ in range(2)
    )
    assert TOKEN_PLACEHOLDER not in first and "amira-sender-id" not in first
    assert token_in(first) != token_in(second) and len(token_in(first)) >= 32
    found = calendar_tokens.find(store, token_in(first))
    assert found == calendar_tokens.Found("amira-sender-id", expired=False)
    assert calendar_tokens.find(store, "guessed-token") is None


def test_only_a_hash_of_the_token_is_stored(tmp_path: Path) -> None:
    store = FastSQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "t.db"))
    token = calendar_tokens.issue(store, "amira")
    assert token is not None
    with sqlite3.connect(tmp_path / "t.db") as db:
        rows = db.execute("SELECT token_hash, sender_id FROM calendar_links").fetchall()
    assert len(rows) == 1 and token not in rows[0][0] and rows[0][1] == "amira"


def test_links_expire(store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALENDAR_LINK_DAYS", "1")
    token = calendar_tokens.issue(store, "amira", now=1000.0)
    assert token is not None
    assert not calendar_tokens.find(store, token, now=1000.0 + 86399).expired
    assert calendar_tokens.find(store, token, now=1000.0 + 86401).expired


def test_deleting_the_conversation_withdraws_its_links(store) -> None:
    events = [ActionExecuted("action_listen"), UserUttered("hi")]
    asyncio.run(store.save(DialogueStateTracker.from_events("amira", events)))
    mine = calendar_tokens.issue(store, "amira")
    other = calendar_tokens.issue(store, "someone-else")
    privacy.delete_conversation(store, "amira")
    assert calendar_tokens.find(store, mine) is None
    assert calendar_tokens.find(store, other) is not None


def test_retention_purge_withdraws_links_of_purged_and_expired(tmp_path: Path) -> None:
    store = FastSQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "t.db"))
    old = [ActionExecuted("action_listen", timestamp=1.0), UserUttered("hi", timestamp=2.0)]
    asyncio.run(store.save(DialogueStateTracker.from_events("old-user", old)))
    token = calendar_tokens.issue(store, "old-user")
    expired = calendar_tokens.issue(store, "recent-user", now=time.time() - 10**9)
    assert privacy.purge_older_than(store, 30) == 1
    assert calendar_tokens.find(store, token) is None
    assert calendar_tokens.find(store, expired) is None


def test_without_a_place_to_store_links_the_line_is_left_out() -> None:
    calendar_tokens.use_store(object())  # e.g. a store kind links cannot live in
    text = calendar_tokens.fill_links([f"Your plan\n{LINE}\nsource"], "amira")[0]
    assert text == "Your plan\nsource"


def test_bot_events_are_rewritten_others_kept(store) -> None:
    events = [BotUttered(f"plan\n{LINE}", {"buttons": []}), ActionExecuted("x")]
    filled = calendar_tokens.fill_events(events, "amira")
    assert isinstance(filled[0], BotUttered) and TOKEN_PLACEHOLDER not in filled[0].text
    assert filled[0].data == {"buttons": []} and filled[1] is events[1]
