"""No user text in either server's log unless LOG_USER_TEXT=1 (docs/security.md).

A private bot is started with DEBUG logging asked for on both servers. A unique
marker word travels in messages over REST and the widget's socket.io channel,
including a timeline question (so the action server receives the text too);
then both log files are searched for the marker. A second bot started with
LOG_USER_TEXT=1 shows the search would find it.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
import socketio

from tools.dev import stack
from tools.dev.train_if_needed import model_path


def _start(home: Path, extra_env: dict[str, str]) -> stack.Stack:
    model = model_path()
    if not model.exists():
        pytest.fail(f"no trained model at {model}: run `make train` first")
    bot = stack.start_isolated(model, home, log_dir=home / "logs", debug=True, extra_env=extra_env)
    try:
        stack.wait_ready(bot, timeout=300, progress=False)
    except BaseException:
        bot.stop()
        raise
    return bot


def _send_everywhere(bot: stack.Stack, marker: str) -> None:
    sender = f"logs-{secrets.token_hex(4)}"
    assert stack.ask(bot.url, sender, f"hello {marker}")
    timeline = f"if i start a certificate in march 2027 when can i work {marker}"
    replies = stack.ask(bot.url, sender, timeline, timeout=120)
    assert any("could be working" in r.get("text", "") for r in replies), replies
    assert asyncio.run(_widget_says(bot.url, f"what does a cma do {marker}"))


async def _widget_says(url: str, text: str) -> list[dict]:
    client = socketio.AsyncClient()
    got: asyncio.Queue = asyncio.Queue()
    client.on("bot_uttered", got.put_nowait)
    session = asyncio.get_running_loop().create_future()
    client.on("session_confirm", session.set_result)
    # Long-polling: the pinned aiohttp is too old for python-socketio's websocket client.
    await client.connect(url, transports=["polling"])
    try:
        await client.emit("session_request", {"session_id": None})
        session_id = await asyncio.wait_for(session, 30)
        await client.emit("user_uttered", {"message": text, "session_id": session_id})
        return [await asyncio.wait_for(got.get(), 60)]
    finally:
        await client.disconnect()


def _logs(bot: stack.Stack) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8", errors="replace") for p in bot.logs}


@pytest.fixture(scope="module")
def quiet_bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[stack.Stack]:
    bot = _start(tmp_path_factory.mktemp("logs-off"), {"LOG_LEVEL": "DEBUG"})
    yield bot
    bot.stop()


def test_no_user_text_in_either_log_by_default(quiet_bot: stack.Stack) -> None:
    marker = f"zqx{secrets.token_hex(6)}"
    _send_everywhere(quiet_bot, marker)
    quiet_bot.stop()  # flush and close the logs
    logs = _logs(quiet_bot)
    assert set(logs) == {"action_server.log", "rasa_server.log"}
    for name, text in logs.items():
        assert marker not in text, f"{name} holds the user's text"
    # The action server did log at DEBUG (and ran the timeline action) ...
    assert "Received request to run 'action_compute_timeline'" in logs["action_server.log"]
    # ... and Rasa said why it would not.
    assert "Debug logging is off unless LOG_USER_TEXT=1" in logs["rasa_server.log"]


def test_log_user_text_is_the_way_to_get_it(tmp_path: Path) -> None:
    bot = _start(tmp_path, {"LOG_USER_TEXT": "1"})
    marker = f"zqx{secrets.token_hex(6)}"
    try:
        assert stack.ask(bot.url, f"logs-{secrets.token_hex(4)}", f"hello {marker}")
    finally:
        bot.stop()
    assert marker in _logs(bot)["rasa_server.log"]
