"""A fake Slack Web API on loopback, checking requests as api.slack.com documents them."""

from __future__ import annotations

import json
import secrets
import time
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

from tests.fakes.server import Call, FakeServer

BLOCK_TYPES = {"section", "actions", "image", "context", "divider", "header", "rich_text"}
TEXT_TYPES = {"plain_text", "mrkdwn"}


def block_errors(blocks: Any) -> list[str]:
    """Problems Slack would report as `invalid_blocks` (Block Kit reference limits)."""
    if not isinstance(blocks, list) or not 1 <= len(blocks) <= 50:
        return ["blocks must be a list of 1-50 blocks"]
    errors: list[str] = []
    action_ids: set[str] = set()
    for i, block in enumerate(blocks):
        kind = block.get("type") if isinstance(block, dict) else None
        if kind not in BLOCK_TYPES:
            errors.append(f"blocks[{i}]: unknown type {kind!r}")
        elif kind == "section":
            text = block.get("text") or {}
            if text.get("type") not in TEXT_TYPES or not 1 <= len(text.get("text", "")) <= 3000:
                errors.append(f"blocks[{i}].text must be a text object of 1-3000 characters")
        elif kind == "actions":
            elements = block.get("elements")
            if not isinstance(elements, list) or not 1 <= len(elements) <= 25:
                errors.append(f"blocks[{i}].elements must hold 1-25 elements")
                continue
            for j, element in enumerate(elements):
                where = f"blocks[{i}].elements[{j}]"
                if element.get("type") != "button":
                    continue
                text = element.get("text") or {}
                if text.get("type") != "plain_text" or not 1 <= len(text.get("text", "")) <= 75:
                    errors.append(f"{where}.text must be plain_text of 1-75 characters")
                if len(str(element.get("value", ""))) > 2000:
                    errors.append(f"{where}.value is over 2000 characters")
                action_id = element.get("action_id")
                if action_id is not None:
                    if action_id in action_ids or len(action_id) > 255:
                        errors.append(f"{where}.action_id must be unique and <= 255 chars")
                    action_ids.add(action_id)
                if "url" in element and not str(element["url"]).startswith(("http://", "https://")):
                    errors.append(f"{where}.url must be an http(s) URL")
        elif kind == "image" and not (block.get("image_url") and block.get("alt_text")):
            errors.append(f"blocks[{i}] (image) needs image_url and alt_text")
    return errors


class FakeSlack(FakeServer):
    """Serves POST /api/<method>; `api_url` is what the connector's `api_url` should be."""

    rate_limited = ({"ok": False, "error": "ratelimited"}, {"Retry-After": "1"})

    def __init__(self, token: str, port: int | None = None) -> None:
        super().__init__(port)
        self.token = token
        self._ts = 0
        self.messages: dict[tuple[str, str], dict[str, Any]] = {}  # (channel, ts) -> posted
        # The file upload protocol: files.getUploadURLExternal hands out an upload URL,
        # the bytes go there, files.completeUploadExternal shares the file in a channel.
        self.pending: dict[str, dict[str, Any]] = {}  # upload key -> the file it is for
        self.uploaded: dict[str, bytes] = {}  # file id -> bytes received
        self.shared: list[dict[str, Any]] = []  # completed uploads: file, channel, thread, ...

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    def app(self) -> web.Application:
        application = web.Application()
        application.router.add_post("/api/{method}", self.handle)
        application.router.add_post("/upload/v1/{key}", self.handle_upload)
        return application

    def files_in(self, channel: str) -> list[dict[str, Any]]:
        """Files shared into `channel` with files.completeUploadExternal, with their bytes."""
        with self._lock:
            return [dict(f) for f in self.shared if f["channel_id"] == channel]

    async def handle_upload(self, request: web.Request) -> web.Response:
        """The upload URL: takes the raw bytes (or a multipart `file` field)."""
        ticket = self.pending.get(request.match_info["key"])
        if request.content_type.startswith("multipart/"):
            form = await request.post()
            field = form.get("file")
            content = field.file.read() if hasattr(field, "file") else b""
        else:
            content = await request.read()
        body = {"bytes": len(content), "file_id": ticket and ticket["file_id"]}
        if ticket is None:
            self.record(Call("upload", body, dict(request.headers), status=404))
            return web.Response(status=404, text="Not Found")
        if len(content) != ticket["length"]:
            self.record(Call("upload", body, dict(request.headers), status=400))
            return web.Response(status=400, text="length does not match")
        self.uploaded[ticket["file_id"]] = content
        self.record(Call("upload", body, dict(request.headers), status=200))
        return web.Response(text=f"OK - {len(content)}")

    def posts(self, channel: str) -> list[Call]:
        return self.find(
            lambda c: (
                c.method == "chat.postMessage"
                and c.status == 200
                and c.answer.get("ok")
                and c.body.get("channel") == channel
            )
        )

    async def _body(self, request: web.Request) -> dict[str, Any]:
        raw = await request.text()
        if request.content_type == "application/json":
            data = json.loads(raw or "{}")
            return data if isinstance(data, dict) else {}
        return dict(parse_qsl(raw))

    async def handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        headers = dict(request.headers)
        body = await self._body(request)
        failed = await self.injected_failure(method, body, headers)
        if failed is not None:
            return failed
        answer = self.answer(method, body, headers.get("Authorization"))
        self.record(Call(method, body, headers, status=200, answer=answer))
        return web.json_response(answer)

    def answer(self, method: str, body: dict[str, Any], auth: str | None) -> dict[str, Any]:
        if not auth:
            return {"ok": False, "error": "not_authed"}
        if auth != f"Bearer {self.token}":
            return {"ok": False, "error": "invalid_auth"}
        if method == "files.getUploadURLExternal":
            return self._upload_url(body)
        if method == "files.completeUploadExternal":
            return self._complete_upload(body)
        if method == "chat.update":
            return self._update(body)
        if method == "chat.postEphemeral":
            if not body.get("channel") or not body.get("user"):
                return {"ok": False, "error": "channel_not_found"}
            if not (body.get("text") or body.get("blocks")):
                return {"ok": False, "error": "no_text"}
            return {"ok": True, "message_ts": f"{int(time.time())}.000000"}
        if method != "chat.postMessage":
            return {"ok": False, "error": "unknown_method"}
        if not body.get("channel"):
            return {"ok": False, "error": "channel_not_found"}
        if not (body.get("text") or body.get("blocks") or body.get("attachments")):
            return {"ok": False, "error": "no_text"}
        blocks = body.get("blocks")
        if isinstance(blocks, str):
            blocks = json.loads(blocks)
        if blocks is not None and (errors := block_errors(blocks)):
            return {"ok": False, "error": "invalid_blocks", "errors": errors}
        self._ts += 1
        ts = f"{int(time.time())}.{self._ts:06d}"
        with self._lock:
            self.messages[(body["channel"], ts)] = {"text": body.get("text"), "blocks": blocks}
        return {"ok": True, "channel": body["channel"], "ts": ts, "message": {"ts": ts}}

    def _update(self, body: dict[str, Any]) -> dict[str, Any]:
        """chat.update: only a message this bot posted, in the same channel."""
        key = (str(body.get("channel") or ""), str(body.get("ts") or ""))
        if not key[0]:
            return {"ok": False, "error": "channel_not_found"}
        if key not in self.messages:
            return {"ok": False, "error": "message_not_found"}
        blocks = body.get("blocks")
        if isinstance(blocks, str):
            blocks = json.loads(blocks)
        if blocks is not None and (errors := block_errors(blocks)):
            return {"ok": False, "error": "invalid_blocks", "errors": errors}
        if not (body.get("text") or blocks):
            return {"ok": False, "error": "no_text"}
        with self._lock:
            self.messages[key] = {"text": body.get("text"), "blocks": blocks}
        return {"ok": True, "channel": key[0], "ts": key[1], "text": body.get("text")}

    def _upload_url(self, body: dict[str, Any]) -> dict[str, Any]:
        if not body.get("filename"):
            return {"ok": False, "error": "invalid_arguments"}
        try:
            length = int(body.get("length", ""))
        except ValueError:
            return {"ok": False, "error": "invalid_arguments"}
        if length < 1:
            return {"ok": False, "error": "invalid_arguments"}
        if len(str(body.get("alt_txt", ""))) > 1000:
            return {"ok": False, "error": "invalid_arguments"}
        key, file_id = secrets.token_hex(8), "F" + secrets.token_hex(5).upper()
        self.pending[key] = {**body, "file_id": file_id, "length": length}
        return {"ok": True, "upload_url": f"{self.url}/upload/v1/{key}", "file_id": file_id}

    def _complete_upload(self, body: dict[str, Any]) -> dict[str, Any]:
        try:
            files = json.loads(body.get("files") or "[]")
        except ValueError:
            return {"ok": False, "error": "invalid_arguments"}
        if not isinstance(files, list) or not files:
            return {"ok": False, "error": "invalid_arguments"}
        shared = []
        for entry in files:
            file_id = entry.get("id") if isinstance(entry, dict) else None
            if file_id not in self.uploaded:
                return {"ok": False, "error": "file_not_found"}
            ticket = next(t for t in self.pending.values() if t["file_id"] == file_id)
            shared.append(
                {
                    "id": file_id,
                    "title": entry.get("title") or ticket["filename"],
                    "filename": ticket["filename"],
                    "alt_txt": ticket.get("alt_txt", ""),
                    "content": self.uploaded[file_id],
                    "channel_id": body.get("channel_id"),
                    "thread_ts": body.get("thread_ts"),
                    "initial_comment": body.get("initial_comment"),
                }
            )
        with self._lock:
            self.shared.extend(shared)
        return {"ok": True, "files": [{"id": f["id"], "title": f["title"]} for f in shared]}
