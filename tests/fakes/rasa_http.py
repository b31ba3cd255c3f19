"""A stand-in for the Rasa server's HTTP surface that the tools use: REST webhook, /status, tracker.

For tests of scripts that talk to a bot (stack.wait_ready, evaluate.py) without
loading a model. Every call is recorded, with its query string in `body`.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from tests.fakes.server import Call, FakeServer

DECLINE = "Sorry, I can't answer that."


class FakeRasa(FakeServer):
    """Answers every message with `reply`; /status with `status` (409: Rasa's "no model")."""

    def __init__(self, reply: str = DECLINE, status: int = 200) -> None:
        super().__init__()
        self.reply = reply
        self.status = status

    def app(self) -> web.Application:
        application = web.Application()
        application.router.add_post("/webhooks/rest/webhook", self.webhook)
        application.router.add_get("/status", self.model_status)
        application.router.add_get("/conversations/{sender}/tracker", self.tracker)
        return application

    def _record(self, request: web.Request, status: int, body: dict[str, Any]) -> None:
        self.record(Call(request.path, {**request.query, **body}, dict(request.headers), status))

    async def webhook(self, request: web.Request) -> web.Response:
        message = await request.json()
        self._record(request, 200, message)
        return web.json_response([{"recipient_id": message["sender"], "text": self.reply}])

    async def model_status(self, request: web.Request) -> web.Response:
        self._record(request, self.status, {})
        if self.status != 200:
            return web.json_response({"reason": "NoAgent"}, status=self.status)
        return web.json_response({"model_file": "fake.tar.gz"})

    async def tracker(self, request: web.Request) -> web.Response:
        self._record(request, 200, {})
        return web.json_response(
            {"latest_message": {"intent": {"name": "out_of_scope"}}, "events": []}
        )
