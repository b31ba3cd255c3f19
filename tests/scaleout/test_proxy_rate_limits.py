"""Rate limits behind deploy/nginx/nginx.conf: each client its own bucket, the proxy none.

One bot behind the deployment's nginx (loopback upstreams), started as the deploy
files start Rasa: SANIC_PROXIES_COUNT=1. Two clients reach nginx from different
loopback addresses (127.0.0.2 and 127.0.0.3). Low limits make the buckets small:
RATE_LIMIT_PER_IP=6 (per address: REST requests, and widget messages) and
RATE_LIMIT_PER_SENDER=3 (per conversation, and per widget connection).
"""

from __future__ import annotations

import asyncio
import http.client
import json
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator

import aiohttp
import pytest
import socketio

from server.replies import load_replies
from tests.scaleout.test_nginx import local_conf
from tools.dev import scaleout, stack
from tools.dev.train_if_needed import model_path

PER_IP, PER_SENDER = 6, 3
CLIENT_A, CLIENT_B = "127.0.0.2", "127.0.0.3"
LIMITED = load_replies()["rate_limited"]


@pytest.fixture(scope="module")
def proxied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if nginx is None:
        pytest.fail("nginx is not installed (.ci/run installs it: apt-get install nginx-light)")
    model = model_path()
    if not model.exists():
        pytest.fail(f"no trained model at {model}: run `make train` first")
    home = tmp_path_factory.mktemp("proxy-limits")
    bot = stack.start_isolated(
        model,
        home,
        log_dir=home / "logs",
        extra_env={
            "SANIC_PROXIES_COUNT": "1",
            "RATE_LIMIT_PER_IP": str(PER_IP),
            "RATE_LIMIT_PER_SENDER": str(PER_SENDER),
        },
    )
    process = None
    try:
        stack.wait_ready(bot, timeout=300, progress=False)
        port = scaleout.free_port()
        conf = home / "nginx.conf"
        conf.write_text(local_conf([bot], port, home))
        # nginx logs to stderr: a file, since a pipe nobody reads would stall it when full.
        process = subprocess.Popen(
            [nginx, "-c", str(conf), "-g", "daemon off;"],
            stderr=(home / "nginx.log").open("wb"),
        )
        for _ in range(50):
            if scaleout.reachable("127.0.0.1", port, timeout=0.2):
                break
            time.sleep(0.1)
        yield bot.url, port
    finally:
        if process is not None:
            process.terminate()
            process.wait(10)
        bot.stop()


def rest(port: int, source: str, text: str, headers: dict[str, str] | None = None) -> int:
    """POST one message through nginx from `source`; the HTTP status."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60, source_address=(source, 0))
    try:
        body = json.dumps({"sender": f"proxy-{uuid.uuid4().hex[:8]}", "message": text})
        conn.request(
            "POST",
            "/webhooks/rest/webhook",
            body,
            {"Content-Type": "application/json", **(headers or {})},
        )
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def test_rest_clients_behind_the_proxy_have_separate_buckets(proxied: tuple[str, int]) -> None:
    _, port = proxied
    # A floods: the first PER_IP get through, the rest are refused, even when A makes up
    # an X-Forwarded-For (nginx appends A's real address, and only that one is trusted).
    flood = [rest(port, CLIENT_A, "/greet") for _ in range(PER_IP + 3)]
    assert flood[:PER_IP] == [200] * PER_IP and set(flood[PER_IP:]) == {429}, flood
    assert rest(port, CLIENT_A, "/greet", {"X-Forwarded-For": "10.9.9.9"}) == 429
    # B, behind the same proxy, is untouched and answered at once.
    started = time.monotonic()
    assert rest(port, CLIENT_B, "/greet") == 200
    assert time.monotonic() - started < 30


class Widget:
    """One widget connection to nginx from a given client address."""

    def __init__(self, port: int, source: str) -> None:
        self.url, self.source = f"http://127.0.0.1:{port}", source
        self.replies: list[str] = []

    async def open(self) -> Widget:
        connector = aiohttp.TCPConnector(local_addr=(self.source, 0))
        self.session = aiohttp.ClientSession(connector=connector)
        self.client = socketio.AsyncClient(http_session=self.session)
        self.client.on("bot_uttered", lambda data: self.replies.append(data.get("text", "")))
        confirmed = asyncio.get_running_loop().create_future()
        self.client.on("session_confirm", confirmed.set_result)
        # Long-polling: the pinned aiohttp is too old for python-socketio's websocket client.
        await self.client.connect(self.url, transports=["polling"])
        await self.client.emit("session_request", {"session_id": None})
        self.session_id = await asyncio.wait_for(confirmed, 30)
        return self

    async def send(self, count: int) -> None:
        for _ in range(count):
            await self.client.emit(
                "user_uttered", {"message": "/greet", "session_id": self.session_id}
            )

    async def wait_for(self, condition, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while not condition(self.replies) and time.monotonic() < deadline:
            await asyncio.sleep(0.1)

    async def close(self) -> None:
        await self.client.disconnect()
        await self.session.close()


def test_widget_messages_are_limited_per_connection_and_per_address(
    proxied: tuple[str, int],
) -> None:
    _, port = proxied

    async def scenario() -> list[list[str]]:
        first = await Widget(port, CLIENT_A).open()
        second = await Widget(port, CLIENT_A).open()
        other = await Widget(port, CLIENT_B).open()
        try:
            # One connection sends one more than its bucket holds; its "please wait"
            # comes at once, so all of them have been counted before the next step.
            await first.send(PER_SENDER + 1)
            await first.wait_for(lambda got: LIMITED in got)
            # A second connection from the same address: only what is left of the
            # address's bucket (PER_IP - PER_SENDER - 1) gets through.
            await second.send(PER_IP - PER_SENDER)
            await other.send(1)
            for widget, count in ((first, PER_SENDER + 1), (second, 3), (other, 1)):
                await widget.wait_for(lambda got, n=count: len(got) >= n)
            await asyncio.sleep(1)  # nothing more should come
            return [first.replies, second.replies, other.replies]
        finally:
            await asyncio.gather(first.close(), second.close(), other.close())

    first, second, other = asyncio.run(scenario())
    # One connection: PER_SENDER answered, then "please wait".
    assert first.count(LIMITED) == 1 and len(first) == PER_SENDER + 1, first
    # The same address on a new connection: the address's bucket is nearly empty.
    assert second.count(LIMITED) == 1 and len(second) == PER_IP - PER_SENDER, second
    # Another client behind the same proxy: its own buckets, answered.
    assert other and LIMITED not in other, other
