"""Checklists from a configured URL: timeout, cache, fallback to the bundled file."""

import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from actions.core.checklist_source import ChecklistSource
from tests.conftest import ROOT

BUNDLED = ROOT / "data" / "content" / "checklists.yml"
SMALL = (ROOT / "tests" / "fixtures" / "checklists" / "small.yml").read_text()


class Handler(http.server.BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, tuple[int, str, float]]] = {}
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        status, body, delay = self.routes.get(self.path, (404, "not found", 0))
        self.hits.append(self.path)
        time.sleep(delay)
        try:
            self.send_response(status)
            self.end_headers()
            self.wfile.write(body.encode())
        except BrokenPipeError:
            pass  # the client gave up waiting, as the timeout test intends

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    Handler.routes = {
        "/good.yml": (200, SMALL, 0),
        "/broken.yml": (200, "checklists: [not, a, mapping]", 0),
        "/slow.yml": (200, SMALL, 2),
        "/error.yml": (500, "oops", 0),
    }
    Handler.hits = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_without_a_url_the_bundled_file_is_used() -> None:
    assert set(ChecklistSource(BUNDLED).get()) >= {"documents", "job_search"}


def test_a_good_url_is_used_and_cached(server: str) -> None:
    now = [0.0]
    source = ChecklistSource(BUNDLED, f"{server}/good.yml", cache_seconds=60, clock=lambda: now[0])
    assert set(source.get()) == {"documents", "job_search"}
    source.get()
    assert Handler.hits == ["/good.yml"]
    now[0] = 61.0
    source.get()
    assert Handler.hits == ["/good.yml", "/good.yml"]


@pytest.mark.parametrize("path", ["/broken.yml", "/error.yml", "/slow.yml", "/missing.yml"])
def test_bad_urls_fall_back_to_the_bundled_file(
    server: str, path: str, caplog: pytest.LogCaptureFixture
) -> None:
    source = ChecklistSource(BUNDLED, f"{server}{path}", timeout=0.5)
    started = time.monotonic()
    assert source.get() == source.bundled
    assert time.monotonic() - started < 1.5
    assert "using the bundled file" in caplog.text


def test_a_broken_bundled_file_stops_start_up(tmp_path: Path) -> None:
    broken = tmp_path / "checklists.yml"
    broken.write_text("checklists: {}\n")
    with pytest.raises(ValueError, match="empty"):
        ChecklistSource(broken)
