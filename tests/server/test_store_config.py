"""The endpoints files name our store classes, and Rasa's own factories build them.

Rasa falls back to an in-memory tracker store (with only a warning) when a
`type: module.Class` cannot be imported, so this checks the class really loads.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rasa.core.lock_store import LockStore as RasaLockStore
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.utils.common import class_from_module_path
from rasa.utils.endpoints import read_endpoint_config

from server.privacy import stores_under
from server.redis_lock import LockStore
from server.tracker_store import FastSQLTrackerStore
from tests.conftest import ROOT
from tools.dev import scaleout

SCALEOUT = ROOT / "configs" / "endpoints.scaleout.yml"
# Rasa expands every ${VAR} of the file, whichever store is built.
SCALEOUT_VARS = {
    "ACTION_SERVER_URL": "http://127.0.0.1:1/webhook",
    "DB_HOST": "127.0.0.1",
    "DB_PORT": "5432",
    "DB_NAME": "unused",
    "DB_USER": "unused",
    "DB_PASSWORD": "unused",
    "DB_LOGIN_DB": "unused",
    "REDIS_HOST": os.environ.get("REDIS_HOST", "127.0.0.1"),
    "REDIS_PORT": os.environ.get("REDIS_PORT", "6379"),
    "REDIS_DB": "0",
    "REDIS_PASSWORD": "",
    "REDIS_KEY_PREFIX": "imgcmaconfigtest",
}


@pytest.fixture
def scaleout_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in SCALEOUT_VARS.items():
        monkeypatch.setenv(name, value)


def test_endpoints_yml_builds_the_fast_sql_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # endpoints.yml names tracker.db relative to the working folder
    config = read_endpoint_config(str(ROOT / "endpoints.yml"), "tracker_store")
    store = TrackerStore.create(config, Domain.empty())
    assert any(isinstance(s, FastSQLTrackerStore) for s in stores_under(store))
    assert (tmp_path / "tracker.db").exists()


def test_the_scaleout_profile_names_both_classes(scaleout_env: None) -> None:
    tracker = read_endpoint_config(str(SCALEOUT), "tracker_store")
    lock = read_endpoint_config(str(SCALEOUT), "lock_store")
    assert class_from_module_path(tracker.type) is FastSQLTrackerStore
    assert class_from_module_path(lock.type) is LockStore


def test_rasa_builds_the_lock_store_from_its_endpoint_config(scaleout_env: None) -> None:
    if not scaleout.reachable(SCALEOUT_VARS["REDIS_HOST"], int(SCALEOUT_VARS["REDIS_PORT"])):
        pytest.skip("needs Redis (set REDIS_HOST/REDIS_PORT)")
    store = RasaLockStore.create(read_endpoint_config(str(SCALEOUT), "lock_store"))
    assert isinstance(store, LockStore)
    assert store.key_prefix == "imgcmaconfigtest:lock:"
    ticket = store.issue_ticket("config-test")
    store.cleanup("config-test", ticket)
    assert store.get_lock("config-test") is None


def test_the_latest_session_is_found_through_an_index(tmp_path: Path) -> None:
    """Every read and save asks for the latest session_started: not a scan of all rows."""
    import sqlalchemy as sa

    store = FastSQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "t.db"))
    with store.engine.connect() as connection:
        plan = connection.execute(
            sa.text(
                "EXPLAIN QUERY PLAN SELECT max(timestamp) FROM events "
                "WHERE sender_id = 'x' AND type_name = 'session_started'"
            )
        ).fetchall()
    assert "imgcma_events_sender_type_time" in " ".join(str(row) for row in plan)
