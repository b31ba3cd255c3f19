"""Two bots on one machine, each on its own ports, never use each other's servers.

Both start from a copy of endpoints.yml as `make run` uses it (only the tracker
database moved to a temporary folder), whose action server URL names a decoy:
what the repository's file names is not where the action server this run
started listens. Each bot's plan must come from its own action server: its
calendar link points at its own port, is signed with its own secret, and the
decoy is never called.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from tools.dev import stack
from tools.dev.train_if_needed import model_path

QUESTION = "if i start a certificate in march 2027 when can i work"
LINK = re.compile(r"http://localhost:(\d+)/webhooks/calendar/plan\.ics\?\S+")


class _Decoy(BaseHTTPRequestHandler):
    calls: ClassVar[list[str]] = []

    def do_POST(self) -> None:
        _Decoy.calls.append(self.path)
        body = json.dumps({"events": [], "responses": [{"text": "DECOY ACTION SERVER"}]})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture(scope="module")
def decoy() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Decoy)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()


def _endpoints_like_make_run(home: Path, decoy: int) -> Path:
    text = (stack.ROOT / "endpoints.yml").read_text(encoding="utf-8")
    assert "http://localhost:5055/webhook" in text and 'db: "tracker.db"' in text
    text = text.replace("localhost:5055", f"127.0.0.1:{decoy}")
    text = text.replace('db: "tracker.db"', f'db: "{home / "tracker.db"}"')
    path = home / "endpoints.source.yml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def two_bots(tmp_path_factory: pytest.TempPathFactory, decoy: int) -> Iterator[list[stack.Stack]]:
    model = model_path()
    if not model.exists():
        pytest.fail(f"no trained model at {model}: run `make train` first")
    bots: list[stack.Stack] = []
    try:
        for name in ("one", "two"):
            home = tmp_path_factory.mktemp(name)
            bots.append(
                stack.start(
                    model,
                    token=stack.new_token(),
                    rasa_port=stack.free_port(),
                    action_port=stack.free_port(),
                    endpoints=_endpoints_like_make_run(home, decoy),
                    log_dir=home / "logs",
                )
            )
        for bot in bots:
            stack.wait_ready(bot, timeout=300, progress=False)
        yield bots
    finally:
        for bot in bots:
            bot.stop()


def _get(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:  # nosec B310 - loopback test server
            return r.status, r.headers.get("Content-Type", ""), r.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, "", error.read().decode()


def test_each_bot_uses_its_own_action_server(two_bots: list[stack.Stack]) -> None:
    links = []
    for bot in two_bots:
        assert bot.endpoints is not None
        assert f"127.0.0.1:{bot.action_port}/webhook" in bot.endpoints.read_text()
        replies = stack.ask(bot.url, f"two-{bot.rasa_port}", QUESTION, timeout=120)
        text = "\n".join(r.get("text", "") for r in replies)
        assert "DECOY" not in text
        [link] = list(LINK.finditer(text))
        assert int(link.group(1)) == bot.rasa_port, "the link points at this bot"
        links.append(link.group(0))
        status, kind, ics = _get(link.group(0).replace("localhost", "127.0.0.1"))
        assert (status, kind.split(";")[0]) == (200, "text/calendar")
        assert "BEGIN:VCALENDAR" in ics
    assert _Decoy.calls == [], "nobody called the action server endpoints.yml names"
    # Signed with each bot's own secret: one bot's link is refused by the other.
    one, two = two_bots
    foreign = links[0].replace(f"localhost:{one.rasa_port}", f"127.0.0.1:{two.rasa_port}")
    assert _get(foreign)[0] in (403, 404, 410)


def test_make_run_refuses_a_port_in_use() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "tools.dev.run"],
            env={**os.environ, "ACTION_PORT": str(taken), "RASA_PORT": str(stack.free_port())},
            cwd=stack.ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 1
    assert f"Port {taken} (ACTION_PORT) is already in use" in result.stderr
    assert "Starting" not in result.stdout


def test_make_shell_refuses_a_port_in_use() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "tools.dev.shell"],
            env={**os.environ, "ACTION_PORT": str(taken)},
            cwd=stack.ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 1
    assert f"Port {taken} (ACTION_PORT) is already in use" in result.stderr
    assert "tools.dev.shell" in (stack.ROOT / "Makefile").read_text()
