"""The web widget's channel: Rasa's socket.io channel, fixed, plus the widget's files.

Differences from `rasa.core.channels.socketio.SocketIOInput`:
- `enter_room` is awaited. python-socketio 5.10+ made it a coroutine and Rasa
  3.6 does not await it, so with `session_persistence: true` the browser never
  joined its session's room and never got a reply (RasaHQ/rasa#13027).
- Browsers may connect only from allowed origins (WIDGET_ALLOWED_ORIGINS, see
  `channels/widget_policy.py`); Rasa lets every web site in.
- Session ids (Rasa's sender ids) are issued by the server, signed with
  CALENDAR_LINK_SECRET: the browser cannot choose one, so it cannot resume
  someone else's conversation; anything else gets a new id (or, with a
  message, a polite error event instead of an exception in the server log).
- Messages are rate-limited per connection and per client address.
- It serves the widget (GET /widget/widget.js) and a demo page (GET /widget/).
- Answers carry `rate: {answer_id}`, and a `rate_answer` event stores the user's
  thumbs up/down in the conversation (docs/ratings.md).
"""

from __future__ import annotations

import json
import logging
import os
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import UserMessage, decode_bearer_token
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from channels.answer_ratings import answer_id
from channels.rating_recorder import NOT_RECORDED, record_rating, reply_for
from channels.widget_policy import ENV_VAR, is_issued, origin_policy, session_id_or_new

logger = logging.getLogger(__name__)

# Signs the session ids the server issues (channels/widget_policy.py). Every replica
# needs the same value; the variable keeps its old name, so deployments need no change.
SESSION_SECRET_VAR = "CALENDAR_LINK_SECRET"  # nosec B105 - a variable name, not a secret

WIDGET_DIR = Path(__file__).resolve().parent.parent / "widget"


def widget_files() -> Blueprint:
    """GET /widget/widget.js (the built widget) and /widget/ (a demo career site)."""
    files = Blueprint("widget_files", url_prefix="/widget")

    @files.route("/widget.js", methods=["GET"])
    async def script(_: Request) -> HTTPResponse:
        return await response.file(
            WIDGET_DIR / "dist" / "widget.js",
            mime_type="text/javascript; charset=utf-8",
            headers={"Cache-Control": "no-cache"},
        )

    @files.route("/", methods=["GET"])
    async def demo(_: Request) -> HTTPResponse:
        return await response.file(
            WIDGET_DIR / "demo" / "index.html", mime_type="text/html; charset=utf-8"
        )

    return files


class WidgetOutput(SocketIOOutput):
    """Rasa's socket.io output, with custom messages sent as `{"custom": ...}`.

    Rasa 3.6 passes a custom message's keys to `emit()` as arguments, so only payloads
    shaped like emit's own parameters arrive; the widget gets them as REST clients do.
    """

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        await self._send_message(recipient_id, {"custom": json_message})

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self._send_parts(recipient_id, text, None, kwargs)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        await self._send_parts(recipient_id, text, buttons, kwargs)

    async def _send_parts(
        self,
        recipient_id: str,
        text: str,
        buttons: list[dict[str, Any]] | None,
        message: dict[str, Any],
    ) -> None:
        """As Rasa does (a bubble per paragraph, buttons on the last), plus the rating id."""
        parts: list[dict[str, Any]] = [{"text": part} for part in text.strip().split("\n\n")]
        if buttons is not None:
            for part in parts:
                part["quick_replies"] = []
            parts[-1]["quick_replies"] = [
                {"content_type": "text", "title": b["title"], "payload": b["payload"]}
                for b in buttons
            ]
        rated = answer_id({**message, "text": text})
        if rated:
            parts[-1]["rate"] = {"answer_id": rated}
        for part in parts:
            await self._send_message(recipient_id, part)


class _WidgetSocketBlueprint(SocketBlueprint):
    def register(self, app: Sanic, options: dict[str, Any]) -> None:
        super().register(app, options)
        self.ctx.app = app  # the rating handler reaches the agent through it
        # Outside /webhooks/socketio, so the embed URL stays short.
        app.blueprint(widget_files())


class _MessageLimits:
    """Token buckets for widget messages, per connection and per client address.

    The per-sender limit (server/message_guard.py) is keyed on the session id,
    which a client can renew; these keys it cannot choose. The address is
    Sanic's `remote_addr` (the client behind SANIC_PROXIES_COUNT trusted
    proxies), else the peer's address. Same settings as the HTTP limits:
    RATE_LIMIT_PER_SENDER per connection, RATE_LIMIT_PER_IP per address.
    """

    def __init__(self) -> None:
        from server.rate_limit import RateLimiter
        from server.replies import load_replies
        from server.settings import from_env

        settings = from_env()
        self.per_connection = RateLimiter(settings.sender_per_minute)
        self.per_address = RateLimiter(settings.ip_per_minute)
        self.addresses: dict[str, str] = {}
        self.reply = load_replies()["rate_limited"]

    def connected(self, sid: str, environ: dict) -> None:
        request = environ.get("sanic.request")
        address = (request.remote_addr or request.ip) if request is not None else ""
        self.addresses[sid] = address or "unknown"

    def disconnected(self, sid: str) -> None:
        self.addresses.pop(sid, None)

    def allow(self, sid: str) -> bool:
        address = self.addresses.get(sid, "unknown")
        # Both buckets pay for every message, so neither limit can be dodged.
        by_connection = self.per_connection.allow(sid)
        by_address = self.per_address.allow(address)
        if not (by_connection and by_address):
            logger.warning(
                "A widget %s exceeded its messages a minute.",
                "connection" if not by_connection else "address",
            )
            return False
        return True


class WidgetSocketIO(SocketIOInput):
    """Rasa's socket.io channel with the fixes above; register it in credentials.yml."""

    @property
    def session_secret(self) -> str:
        secret = getattr(self, "_session_secret", None)
        if secret is None:
            secret = os.environ.get(SESSION_SECRET_VAR, "")
            if not secret:
                secret = secrets.token_urlsafe(24)
                logger.warning(
                    "%s is not set: widget sessions end when the server restarts.",
                    SESSION_SECRET_VAR,
                )
            self._session_secret = secret
        return secret

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        allowed = origin_policy(os.environ.get(ENV_VAR))
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=allowed)
        channel = _WidgetSocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        self.sio = sio  # get_output_channel uses it
        limits = _MessageLimits()

        @channel.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: str, environ: dict, auth: dict | None) -> bool:
            limits.connected(sid, environ)
            if not self.jwt_key:
                return True
            token = auth.get("token") if isinstance(auth, dict) else None
            return bool(token and decode_bearer_token(token, self.jwt_key, self.jwt_algorithm))

        @sio.on("disconnect", namespace=self.namespace)
        async def disconnect(sid: str, *_: Any) -> None:
            limits.disconnected(sid)

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Any) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            session_id = session_id_or_new(requested, self.session_secret)
            if self.session_persistence:
                # A "new chat" in the same tab: stop getting the old session's replies.
                for room in sio.rooms(sid, namespace=self.namespace):
                    if room != sid:
                        await sio.leave_room(sid, room, namespace=self.namespace)
                await sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Any) -> None:
            await self._handle_message(sio, limits, on_new_message, sid, data)

        @sio.on("rate_answer", namespace=self.namespace)
        async def rate_answer(sid: str, data: Any) -> dict[str, str]:
            """Thumbs up/down on an answer; the reply is the socket.io acknowledgement."""
            return await self._rate_answer(channel, limits, sid, data)

        return channel

    async def _handle_message(
        self,
        sio: AsyncServer,
        limits: _MessageLimits,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        sid: str,
        data: Any,
    ) -> None:
        problem = self._problem_with(data) or (None if limits.allow(sid) else limits.reply)
        if problem:
            await sio.emit(
                self.bot_message_evt, {"text": problem}, room=sid, namespace=self.namespace
            )
            return
        sender_id = data["session_id"] if self.session_persistence else sid
        metadata = data.get(self.metadata_key) or {}
        if isinstance(metadata, str):
            try:
                metadata = json.loads(metadata)
            except ValueError:
                metadata = {}
        message = UserMessage(
            data["message"],
            WidgetOutput(sio, self.bot_message_evt),
            sender_id,
            input_channel=self.name(),
            metadata=metadata if isinstance(metadata, dict) else {},
        )
        await on_new_message(message)

    async def _rate_answer(
        self, channel: Blueprint, limits: _MessageLimits, sid: str, data: Any
    ) -> dict[str, str]:
        if not isinstance(data, dict) or (
            self.session_persistence and not is_issued(data.get("session_id"), self.session_secret)
        ):
            return {"status": "refused", "text": "Sorry, this chat lost its session."}
        if not limits.allow(sid):
            return {"status": "refused", "text": limits.reply}
        sender_id = data["session_id"] if self.session_persistence else sid
        app = getattr(channel.ctx, "app", None)
        try:
            outcome = await record_rating(
                getattr(app.ctx, "agent", None) if app else None,
                sender_id,
                data.get("answer_id"),
                data.get("rating"),
                self.name(),
            )
        except Exception as error:  # store or lock down: say so, keep the chat going
            logger.error("Could not record a widget rating (%s).", type(error).__name__)
            return {"status": "error", "text": NOT_RECORDED}
        return {"status": outcome.status, "text": reply_for(outcome)}

    def _problem_with(self, data: Any) -> str | None:
        """A message for the user if `data` is not a usable user message, else None."""
        if not isinstance(data, dict) or not isinstance(data.get("message"), str):
            return "Sorry, I could not read that message. Please type your question again."
        # Length is the server's check (MAX_MESSAGE_CHARS, server/message_guard.py), as on
        # every channel: it lets an emergency through however long the message is.
        if self.session_persistence and not is_issued(data.get("session_id"), self.session_secret):
            return "Sorry, this chat lost its session. Please reload the page and try again."
        return None
