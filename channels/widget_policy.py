"""Who may open the web widget's socket.io connection, and which session ids it accepts.

Pure functions (no Rasa imports), used by `channels/socketio.py`.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

ENV_VAR = "WIDGET_ALLOWED_ORIGINS"
_LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]"}
# Sender ids end up in the tracker store and in log lines: keep them plain.
_SESSION_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")

OriginCheck = Callable[[str | None, Mapping[str, Any]], bool]


def _normalise(origin: str) -> str:
    return origin.strip().rstrip("/").lower()


def _is_local_dev(origin: str) -> bool:
    parts = urlsplit(origin)
    host = parts.netloc.rsplit(":", 1)[0] if not parts.netloc.endswith("]") else parts.netloc
    return parts.scheme in {"http", "https"} and host in _LOCAL_HOSTS


def _same_origin(origin: str, environ: Mapping[str, Any]) -> bool:
    host = environ.get("HTTP_HOST")
    scheme = environ.get("wsgi.url_scheme", "http")
    return bool(host) and origin == _normalise(f"{scheme}://{host}")


def origin_policy(setting: str | None) -> OriginCheck:
    """A check for the browser's Origin header, from WIDGET_ALLOWED_ORIGINS.

    - unset or empty: the page's own origin plus http(s)://localhost, 127.0.0.1
      and [::1] on any port (for development);
    - "*": every origin;
    - "https://a.example, https://b.example": those origins and the server's own.
    Requests without an Origin header (not from a browser page) are allowed:
    the header is what stops other web sites from using a visitor's browser.
    """
    listed = {_normalise(o) for o in (setting or "").split(",") if o.strip()}

    def allowed(origin: str | None, environ: Mapping[str, Any] | None = None) -> bool:
        if not origin:
            return True
        origin = _normalise(origin)
        if "*" in listed or origin in listed or _same_origin(origin, environ or {}):
            return True
        return not listed and _is_local_dev(origin)

    return allowed


def is_session_id(candidate: object) -> bool:
    """True for a plain token of 8-64 letters, digits, '-' or '_'."""
    return isinstance(candidate, str) and _SESSION_ID.fullmatch(candidate) is not None


# Session ids the server issues: 24 random characters and 32 hex of an HMAC over them.
# The browser cannot choose one (so cannot pick another user's conversation), and
# the id is never put in a URL or a message.
_RANDOM_CHARS = 24


def _mac(secret: str, random_part: str) -> str:
    return hmac.new(secret.encode(), random_part.encode(), hashlib.sha256).hexdigest()[:32]


def issue_session_id(secret: str) -> str:
    random_part = secrets.token_urlsafe(18)  # 24 characters of [A-Za-z0-9_-]
    return random_part + _mac(secret, random_part)


def is_issued(candidate: object, secret: str) -> bool:
    """True for a session id this server (same secret) issued."""
    if not (secret and is_session_id(candidate)) or len(candidate) != _RANDOM_CHARS + 32:  # type: ignore[arg-type]
        return False
    random_part, mac = candidate[:_RANDOM_CHARS], candidate[_RANDOM_CHARS:]  # type: ignore[index]
    return hmac.compare_digest(_mac(secret, random_part), mac)


def session_id_or_new(candidate: object, secret: str) -> str:
    """The client's session id if this server issued it, otherwise a fresh one."""
    return candidate if is_issued(candidate, secret) else issue_session_id(secret)  # type: ignore[return-value]
