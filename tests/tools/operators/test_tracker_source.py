"""`make review` reads the tracker store endpoints.yml names (our SQL store class)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from server.tracker_store import FastSQLTrackerStore
from tools.dev import stack
from tools.operators.tracker_source import user_events


def test_review_reads_the_store_stack_and_endpoints_yml_configure(tmp_path: Path) -> None:
    endpoints = stack.write_endpoints(tmp_path / "endpoints.yml", 5055, tmp_path / "tracker.db")
    store = FastSQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "tracker.db"))
    events = [ActionExecuted("action_listen"), UserUttered("how long is the exam")]
    asyncio.run(store.save(DialogueStateTracker.from_events("amira", events)))
    assert [e["text"] for e in user_events(endpoints, tmp_path)] == ["how long is the exam"]
