"""A real bot (action server + Rasa) on spare loopback ports, for REST tests."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tools.dev import stack
from tools.dev.train_if_needed import model_path

RASA_PORT, ACTION_PORT = stack.port(5205), stack.port(5255)


@pytest.fixture(scope="session")
def bot_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("bot")
    stack.write_endpoints(home / "endpoints.yml", ACTION_PORT, home / "tracker.db")
    return home


def start_bot(home: Path) -> stack.Stack:
    model = model_path()
    if not model.exists():
        pytest.fail(f"no trained model at {model}: run `make train` first")
    bot = stack.start(
        model,
        token="e2e-test-token",
        rasa_port=RASA_PORT,
        action_port=ACTION_PORT,
        endpoints=home / "endpoints.yml",
        log_dir=home / "logs",
    )
    try:
        stack.wait_ready(bot, progress=False)
    except BaseException:
        bot.stop()
        raise
    return bot


@pytest.fixture(scope="session")
def bot(bot_home: Path) -> Iterator[stack.Stack]:
    running = start_bot(bot_home)
    yield running
    running.stop()
