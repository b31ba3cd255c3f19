"""scripts/evaluate_bot.run_evaluator against a loopback stand-in for the Rasa server."""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from scripts.evaluate_bot import run_evaluator

CASES = Path(__file__).parent / "fixtures" / "eval" / "one_decline_case.yml"


class _FakeRasa(BaseHTTPRequestHandler):
    """Answers the REST webhook and the tracker read; remembers the tokens it was given."""

    tokens: ClassVar[list[str]] = []

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self._send([{"recipient_id": "x", "text": "Sorry, I can't answer that."}])

    def do_GET(self) -> None:
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        self.tokens.extend(query.get("token", []))
        self._send({"latest_message": {"intent": {"name": "out_of_scope"}}, "events": []})

    def _send(self, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        """Quiet: pytest shows failures, not every request."""


@pytest.fixture()
def fake_rasa() -> Iterator[str]:
    _FakeRasa.tokens = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeRasa)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


# secrets.token_urlsafe starts with "-" once in 64 tokens: CI once failed on exactly that.
@pytest.mark.parametrize("token", ["plainToken123", "-starts-with-a-dash", "--looks-like-a-flag"])
def test_the_token_reaches_the_bot_whatever_it_starts_with(
    fake_rasa: str, token: str, tmp_path: Path
) -> None:
    out = tmp_path / "eval.json"
    run = run_evaluator(fake_rasa, CASES, token, out)
    assert run.returncode == 0, run.stderr
    assert _FakeRasa.tokens == [token]
    assert json.loads(out.read_text())
