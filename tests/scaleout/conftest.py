"""Two Rasa replicas and one action server sharing a fresh PostgreSQL database and Redis."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from tools.dev import scaleout, stack
from tools.dev.train_if_needed import model_path


@pytest.fixture(scope="session")
def services() -> Iterator[scaleout.Services]:
    shared = scaleout.Services(db_name=f"imgcma_test_{secrets.token_hex(4)}")
    absent = shared.missing()
    if absent:
        pytest.skip(
            f"scale-out test needs {' and '.join(absent)} (set DB_HOST/DB_PORT, "
            "REDIS_HOST/REDIS_PORT to point elsewhere)"
        )
    shared.create_database()
    try:
        yield shared
    finally:
        shared.drop_database()
        shared.clear_redis()


@pytest.fixture(scope="session")
def replicas(
    services: scaleout.Services, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[list[stack.Stack]]:
    model = model_path()
    if not model.exists():
        pytest.fail(f"no trained model at {model}: run `make train` first")
    logs: Path = tmp_path_factory.mktemp("scaleout")
    running = scaleout.start_cluster(
        model,
        services,
        replicas=2,
        token=secrets.token_urlsafe(16),
        log_dir=logs,
        # This test checks consistency, not speed: on a loaded CI machine one action
        # call can pass the 10 s production limit and get the apology instead.
        extra_env={"ACTION_TIMEOUT_SECONDS": "60"},
    )
    try:
        for replica in running:
            stack.wait_ready(replica, timeout=300, progress=False)
        yield running
    finally:
        for replica in running:
            replica.stop()
