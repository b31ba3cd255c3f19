"""Trackers for action tests, read from JSON fixture files."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "trackers"


@pytest.fixture
def tracker_from() -> Callable[[str], Tracker]:
    def load(name: str) -> Tracker:
        data: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text())
        return Tracker(
            sender_id=data["sender_id"],
            slots=data["slots"],
            latest_message=data["latest_message"],
            events=[],
            paused=False,
            followup_action=None,
            active_loop={},
            latest_action_name="action_listen",
        )

    return load


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()
