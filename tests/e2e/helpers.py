"""Small helpers for the security and fault e2e tests: free ports, raw HTTP."""

from __future__ import annotations

import http.client
import json
from dataclasses import dataclass

from tools.dev.stack import free_port  # noqa: F401 - re-exported


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> object:
        return json.loads(self.body or b"null")

    def texts(self) -> list[str]:
        data = self.json()
        return [m.get("text", "") for m in data] if isinstance(data, list) else []


def post(
    port: int,
    path: str,
    body: bytes,
    headers: dict[str, str] | None = None,
    timeout: float = 60,
) -> Reply:
    """POST raw bytes (which may be invalid UTF-8 or JSON) and return what came back."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("POST", path, body, {"Content-Type": "application/json", **(headers or {})})
        response = conn.getresponse()
        return Reply(response.status, dict(response.getheaders()), response.read())
    finally:
        conn.close()


def send(port: int, sender: str, message: object, **kwargs: object) -> Reply:
    body = json.dumps({"sender": sender, "message": message}).encode()
    return post(port, "/webhooks/rest/webhook", body, **kwargs)  # type: ignore[arg-type]
