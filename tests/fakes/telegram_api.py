"""A fake Telegram Bot API on loopback, checking requests as core.telegram.org/bots/api says."""

from __future__ import annotations

import io
import json
import re
import time
from typing import Any

from aiohttp import web
from PIL import Image, UnidentifiedImageError

from tests.fakes.server import Call, FakeServer

SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


def keyboard_error(markup: Any) -> str | None:
    """What the Bot API would answer for a bad InlineKeyboardMarkup, or None."""
    if isinstance(markup, str):
        markup = json.loads(markup)
    rows = markup.get("inline_keyboard") if isinstance(markup, dict) else None
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        return 'Bad Request: field "inline_keyboard" must be an Array of Arrays'
    for row in rows:
        for button in row:
            if not isinstance(button, dict) or not button.get("text"):
                return "Bad Request: text buttons are unallowed in the inline keyboard"
            kinds = [k for k in ("callback_data", "url") if k in button]
            if len(kinds) != 1:
                return "Bad Request: can't parse inline keyboard button: exactly one action"
            if "url" in button and not str(button["url"]).startswith(("http://", "https://")):
                return "Bad Request: BUTTON_URL_INVALID"
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode("utf-8")) <= 64:
                return "Bad Request: BUTTON_DATA_INVALID"
    return None


class FakeTelegram(FakeServer):
    """Serves POST /bot<token>/<method>; `url` is what the connector's `api_url` should be."""

    rate_limited = (
        {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 1",
            "parameters": {"retry_after": 1},
        },
        {},
    )

    def __init__(self, token: str, port: int | None = None) -> None:
        super().__init__(port)
        self.token = token
        self.webhook: dict[str, Any] = {}
        self._message_id = 0
        self.keyboards: dict[tuple[str, int], Any] = {}  # (chat, message id) -> reply_markup

    @property
    def api_url(self) -> str:
        return self.url

    def app(self) -> web.Application:
        application = web.Application()
        application.router.add_post("/bot{token}/{method}", self.handle)
        return application

    def sent(self, chat_id: int | str) -> list[Call]:
        return self.find(
            lambda c: (
                c.method == "sendMessage"
                and c.answer.get("ok")
                and str(c.body.get("chat_id")) == str(chat_id)
            )
        )

    async def handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        headers = dict(request.headers)
        if request.content_type == "multipart/form-data":
            body = await self._multipart(request)
        else:
            raw = await request.text()
            body = json.loads(raw) if request.content_type == "application/json" and raw else {}
        if not isinstance(body, dict):
            body = {}
        failed = await self.injected_failure(method, body, headers)
        if failed is not None:
            return failed
        if request.match_info["token"] != self.token:
            status, answer = 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        else:
            status, answer = self.answer(method, body)
        self.record(Call(method, body, headers, status=status, answer=answer))
        return web.json_response(answer, status=status)

    def photos(self, chat_id: int | str) -> list[Call]:
        """Accepted sendPhoto calls to `chat_id`; an uploaded file's bytes are in body["photo"]."""
        return self.find(
            lambda c: (
                c.method == "sendPhoto"
                and c.answer.get("ok")
                and str(c.body.get("chat_id")) == str(chat_id)
            )
        )

    @staticmethod
    async def _multipart(request: web.Request) -> dict[str, Any]:
        """Form fields as strings; a file field as its bytes (plus `<name>_filename`)."""
        body: dict[str, Any] = {}
        form = await request.post()
        for name, value in form.items():
            if hasattr(value, "file"):
                body[name] = value.file.read()
                body[f"{name}_filename"] = value.filename
                body[f"{name}_content_type"] = value.content_type
            else:
                body[name] = str(value)
        return body

    def answer(self, method: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        def bad(description: str) -> tuple[int, dict[str, Any]]:
            return 400, {"ok": False, "error_code": 400, "description": description}

        if method == "sendPhoto":
            if not body.get("chat_id"):
                return bad("Bad Request: chat_id is empty")
            photo = body.get("photo")
            if isinstance(photo, bytes):
                if len(photo) > 10 * 1024 * 1024:
                    return bad("Bad Request: file is too big")
                try:
                    size = Image.open(io.BytesIO(photo)).size
                except UnidentifiedImageError:
                    return bad("Bad Request: IMAGE_PROCESS_FAILED")
            elif isinstance(photo, str) and photo:
                size = (0, 0)  # a URL or file_id: Telegram would fetch it
            else:
                return bad("Bad Request: there is no photo in the request")
            caption = str(body.get("caption") or "")
            if len(caption) > 1024:
                return bad("Bad Request: message caption is too long")
            if "reply_markup" in body and (error := keyboard_error(body["reply_markup"])):
                return bad(error)
            self._message_id += 1
            message = {
                "message_id": self._message_id,
                "date": int(time.time()),
                "chat": {"id": body["chat_id"], "type": "private"},
                "photo": [
                    {"file_id": f"photo{self._message_id}", "width": size[0], "height": size[1]}
                ],
                "caption": caption,
            }
            return 200, {"ok": True, "result": message}

        if method == "sendMessage":
            if not body.get("chat_id"):
                return bad("Bad Request: chat_id is empty")
            text = body.get("text") or ""
            if not text.strip():
                return bad("Bad Request: message text is empty")
            if len(text) > 4096:
                return bad("Bad Request: message is too long")
            if "reply_markup" in body and (error := keyboard_error(body["reply_markup"])):
                return bad(error)
            self._message_id += 1
            message = {
                "message_id": self._message_id,
                "date": int(time.time()),
                "chat": {"id": body["chat_id"], "type": "private"},
                "text": text,
            }
            if "reply_markup" in body:
                message["reply_markup"] = body["reply_markup"]
            self.keyboards[(str(body["chat_id"]), self._message_id)] = body.get("reply_markup")
            return 200, {"ok": True, "result": message}
        if method == "answerCallbackQuery":
            if not body.get("callback_query_id"):
                return bad("Bad Request: query is too old and response timeout expired")
            if len(str(body.get("text") or "")) > 200:
                return bad("Bad Request: MESSAGE_TOO_LONG")
            return 200, {"ok": True, "result": True}
        if method == "editMessageReplyMarkup":
            key = (str(body.get("chat_id") or ""), body.get("message_id"))
            if key not in self.keyboards:
                return bad("Bad Request: message to edit not found")
            markup = body.get("reply_markup")
            if markup is not None and (error := keyboard_error(markup)):
                return bad(error)
            if markup == self.keyboards[key]:
                return bad("Bad Request: message is not modified")
            self.keyboards[key] = markup
            return 200, {"ok": True, "result": True}
        if method == "setWebhook":
            url = str(body.get("url") or "")
            if not url.startswith("https://"):
                return bad("Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
            secret = body.get("secret_token")
            if secret is not None and not SECRET_TOKEN.match(str(secret)):
                return bad("Bad Request: secret token contains unallowed characters")
            self.webhook = dict(body)
            return 200, {"ok": True, "result": True, "description": "Webhook was set"}
        if method == "getWebhookInfo":
            info = {"url": self.webhook.get("url", ""), "pending_update_count": 0}
            return 200, {"ok": True, "result": info}
        if method == "getMe":
            bot = {"id": 1, "is_bot": True, "first_name": "Fake", "username": "fake_bot"}
            return 200, {"ok": True, "result": bot}
        return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
