"""HTTP-level protection for the Sanic app Rasa builds: limits, body checks, CORS.

We wrap `rasa.core.run.configure_app` so that, whatever channels run:
- requests to /webhooks/* are rate limited per client address (429, JSON) and
  their bodies capped (413, JSON); every body is capped by REQUEST_MAX_SIZE;
- the REST channel's body is checked: invalid UTF-8 is repaired (the bad bytes
  are dropped later by the input policy) and a body that is not a JSON object
  with text fields gets a 400 with a JSON error instead of a 500;
- in production (IMGCMA_ENV=production) CORS answers only ALLOWED_ORIGINS,
  whatever --cors says.
"""

from __future__ import annotations

import inspect
import json
import logging
from typing import Any

import rasa.core.run
from sanic import Sanic, response
from sanic.request import Request

from server.rate_limit import RateLimiter
from server.settings import Settings

logger = logging.getLogger(__name__)

WEBHOOKS = "/webhooks/"
REST_WEBHOOK = "/webhooks/rest/webhook"
# Everything else (the token-protected API accepts model uploads) gets this cap.
API_MAX_BODY_BYTES = 50 * 1024 * 1024
MAX_SENDER_CHARS = 256
_INSTALLED = "_imgcma_http_guard"


def _error(status: int, error: str, message: str) -> response.HTTPResponse:
    return response.json({"error": error, "message": message}, status=status)


def _storable(sender: object) -> bool:
    """A sender id the tracker store can key on: short text that encodes as UTF-8."""
    if not isinstance(sender, str) or len(sender) > MAX_SENDER_CHARS:
        return False
    try:
        sender.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates from JSON escapes
        return False
    return True


def _check_rest_body(request: Request) -> response.HTTPResponse | None:
    """Make the REST body safe for Rasa's channel, or say why it is not acceptable."""
    body = request.body or b""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        request.body = body.decode("utf-8", errors="replace").encode("utf-8")
    try:
        data = json.loads(request.body or b"null")
    except ValueError:
        return _error(400, "invalid_json", 'Send JSON: {"sender": "...", "message": "..."}.')
    if not isinstance(data, dict):
        return _error(400, "invalid_body", 'Send a JSON object: {"sender": ..., "message": ...}.')
    message, sender = data.get("message"), data.get("sender")
    if message is not None and not isinstance(message, str):
        return _error(400, "invalid_message", "The message must be text.")
    if sender is not None and not _storable(sender):
        limit = f"The sender must be text of at most {MAX_SENDER_CHARS} characters."
        return _error(400, "invalid_sender", limit)
    request.parsed_json = data
    return None


def add_middleware(app: Sanic, settings: Settings, rate_limited_message: str) -> None:
    """Register the request checks on `app`."""
    addresses = RateLimiter(settings.ip_per_minute)
    app.config.REQUEST_MAX_SIZE = max(settings.max_body_bytes, API_MAX_BODY_BYTES)

    async def guard(request: Request) -> response.HTTPResponse | None:
        if not request.path.startswith(WEBHOOKS):
            return None
        if len(request.body or b"") > settings.max_body_bytes:
            return _error(
                413,
                "body_too_large",
                f"Requests to the bot may be at most {settings.max_body_bytes} bytes.",
            )
        # Behind a reverse proxy set SANIC_PROXIES_COUNT so remote_addr is the client.
        address = request.remote_addr or request.ip or "unknown"
        if not addresses.allow(address):
            logger.warning("An address exceeded %s requests a minute.", addresses.per_minute)
            return _error(429, "rate_limited", rate_limited_message)
        if request.path.rstrip("/") == REST_WEBHOOK and request.method == "POST":
            return _check_rest_body(request)
        return None

    app.register_middleware(guard, "request")


def install(settings: Settings, rate_limited_message: str) -> None:
    """Wrap rasa.core.run.configure_app (idempotent)."""
    if getattr(rasa.core.run.configure_app, _INSTALLED, False):
        return
    original = rasa.core.run.configure_app

    signature = inspect.signature(original)

    def configure_app(*args: Any, **kwargs: Any) -> Sanic:
        bound = signature.bind(*args, **kwargs)
        if settings.production:
            if bound.arguments.get("cors") not in (None, [], ""):
                logger.warning("Production mode: --cors ignored; ALLOWED_ORIGINS decides.")
            bound.arguments["cors"] = list(settings.allowed_origins) or None
        app = original(*bound.args, **bound.kwargs)
        add_middleware(app, settings, rate_limited_message)
        return app

    setattr(configure_app, _INSTALLED, True)
    rasa.core.run.configure_app = configure_app
