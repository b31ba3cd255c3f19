"""One HTTP call to a chat platform's Web API, with timeouts, safe retries and clear logs.

Shared by the Slack and Telegram connectors; no Rasa imports. Nothing here raises
on network or API errors: callers get an `ApiResult` and the failure is logged,
so a platform outage never takes the Rasa server (or a conversation) down.
"""

from __future__ import annotations

import asyncio
import json
import logging
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import aiohttp

logger = logging.getLogger(__name__)

# Never wait longer than this for a rate limit to lift; past it, give up and log.
MAX_RETRY_AFTER_SECONDS = 10.0


@dataclass(frozen=True)
class ApiResult:
    """What came back: `ok` only when the platform accepted the call."""

    ok: bool
    status: int | None = None  # HTTP status; None when no response arrived
    data: dict[str, Any] | None = None
    error: str = ""


def should_retry(status: int | None, *, sent: bool, idempotent: bool) -> bool:
    """Whether repeating a failed call is safe.

    A call that never reached the platform (connection refused) and a rate-limited
    one (429: documented as not processed) are always safe to repeat. After a
    server error or a timeout the platform may already have acted, so only calls
    that are harmless to repeat (setWebhook, answerCallbackQuery) are retried:
    repeating chat.postMessage/sendMessage could show the user the same reply twice.
    """
    if not sent or status == 429:
        return True
    if status is None or status >= 500:
        return idempotent
    return False


def retry_after(status: int | None, headers: dict[str, str], data: dict[str, Any] | None) -> float:
    """Seconds the platform asked us to wait (Slack: Retry-After; Telegram: retry_after)."""
    if status != 429:
        return 0.0
    raw: Any = headers.get("Retry-After")
    if raw is None and data:
        raw = (data.get("parameters") or {}).get("retry_after")
    try:
        return max(0.0, float(raw))
    except (TypeError, ValueError):
        return 1.0


class WebApi:
    """JSON-over-HTTPS calls for one platform, on a session bound to the running loop."""

    def __init__(
        self, platform: str, timeout: float = 10.0, attempts: int = 3, backoff: float = 0.5
    ) -> None:
        self.platform = platform
        self.timeout = timeout
        self.attempts = max(1, attempts)
        self.backoff = backoff
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _client(self) -> aiohttp.ClientSession:
        # Channels are built before Sanic starts its loop: a session made then would be
        # bound to a dead loop (Rasa 3.6's own Telegram channel fails exactly like that).
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._loop is not loop:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout))
            self._loop = loop
        return self._session

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def call(
        self,
        url: str,
        method: str,
        payload: dict[str, Any],
        headers: dict[str, str] | None = None,
        *,
        idempotent: bool = False,
    ) -> ApiResult:
        """POST `payload` as JSON to `url`; `method` names the call in logs (never the URL,
        which holds the token for Telegram)."""
        body = json.dumps(payload).encode("utf-8")
        content = {"Content-Type": "application/json; charset=utf-8"}
        return await self.send(
            url, method, lambda: body, {**content, **(headers or {})}, idempotent=idempotent
        )

    async def call_form(
        self,
        url: str,
        method: str,
        fields: dict[str, str],
        headers: dict[str, str] | None = None,
        *,
        idempotent: bool = False,
    ) -> ApiResult:
        """POST `fields` form-encoded (Slack's files.* methods take no JSON)."""
        body = urllib.parse.urlencode(fields).encode("ascii")
        content = {"Content-Type": "application/x-www-form-urlencoded"}
        return await self.send(
            url, method, lambda: body, {**content, **(headers or {})}, idempotent=idempotent
        )

    async def call_multipart(
        self,
        url: str,
        method: str,
        fields: dict[str, str],
        files: dict[str, tuple[str, bytes, str]],
        headers: dict[str, str] | None = None,
        *,
        idempotent: bool = False,
    ) -> ApiResult:
        """POST a multipart/form-data upload: `files` maps a field to (filename, bytes, type)."""

        def form() -> aiohttp.FormData:  # a FormData can be sent once: one per attempt
            data = aiohttp.FormData()
            for name, value in fields.items():
                data.add_field(name, value)
            for name, (filename, content, content_type) in files.items():
                data.add_field(name, content, filename=filename, content_type=content_type)
            return data

        return await self.send(url, method, form, headers or {}, idempotent=idempotent)

    async def send(
        self,
        url: str,
        method: str,
        body: Callable[[], Any],
        headers: dict[str, str],
        *,
        idempotent: bool = False,
        json_answer: bool = True,
    ) -> ApiResult:
        """POST `body()` (called once per attempt) and retry as `should_retry` allows.

        With json_answer=False any 200 counts as success (Slack's upload URL answers text).
        """
        result = ApiResult(ok=False, error="not attempted")
        for attempt in range(1, self.attempts + 1):
            result, sent, wait = await self._once(url, body(), headers, json_answer)
            if result.ok:
                if attempt > 1:
                    logger.info("%s %s succeeded on attempt %d", self.platform, method, attempt)
                return result
            retry = attempt < self.attempts and should_retry(
                result.status, sent=sent, idempotent=idempotent
            )
            if retry and wait > MAX_RETRY_AFTER_SECONDS:
                retry = False
            logger.warning(
                "%s %s failed (attempt %d/%d): %s%s",
                self.platform,
                method,
                attempt,
                self.attempts,
                result.error,
                "; retrying" if retry else "; giving up",
            )
            if not retry:
                break
            await asyncio.sleep(max(wait, self.backoff * 2 ** (attempt - 1)))
        logger.error("%s %s was not delivered: %s", self.platform, method, result.error)
        return result

    async def _once(
        self, url: str, body: Any, headers: dict[str, str], json_answer: bool = True
    ) -> tuple[ApiResult, bool, float]:
        """One attempt: (result, whether the request may have reached the server, wait)."""
        try:
            async with self._client().post(url, data=body, headers=headers) as response:
                text = await response.text()
                data = _json_object(text)
                status = response.status
                wait = retry_after(status, dict(response.headers), data)
        except aiohttp.ClientConnectorError as exc:
            return ApiResult(ok=False, error=f"cannot connect ({exc.os_error})"), False, 0.0
        except asyncio.TimeoutError:
            return ApiResult(ok=False, error=f"no answer within {self.timeout:g} s"), True, 0.0
        except aiohttp.ClientError as exc:
            return ApiResult(ok=False, error=f"{type(exc).__name__}: {exc}"), True, 0.0
        if status == 200 and not json_answer:
            return ApiResult(ok=True, status=status, data=data), True, 0.0
        if status == 200 and data is not None and data.get("ok") is True:
            return ApiResult(ok=True, status=status, data=data), True, 0.0
        detail = ""
        if data is not None:
            detail = str(data.get("error") or data.get("description") or "")
        error = f"HTTP {status}" + (f" {detail}" if detail else "")
        return ApiResult(ok=False, status=status, data=data, error=error), True, wait


def _json_object(text: str) -> dict[str, Any] | None:
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None
