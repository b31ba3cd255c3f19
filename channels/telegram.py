"""Telegram, through Rasa's Telegram channel with what Rasa 3.6 gets wrong fixed.

The stock channel registers its webhook with `asyncio.run()` while the server is
being built: offline the server exits before loading the model, online every
later update fails with "Event loop is closed". It also trusts any POST. This one:
- registers the webhook in the background once the server runs, retrying with
  backoff and logging clearly; start-up never waits for or fails on Telegram
  (`make telegram-webhook` registers it by hand);
- answers 403 unless `X-Telegram-Bot-Api-Secret-Token` matches `secret_token`;
- sends buttons as inline keyboards, mapping payloads over 64 bytes to short ids,
  and answers every button press (answerCallbackQuery);
- talks to a configurable Bot API server (self-hosted telegram-bot-api, or a fake);
- logs and survives Bot API errors and timeouts;
- puts thumbs up/down buttons under each answer and stores a press in the
  conversation (channels/rating_delivery.py, docs/ratings.md).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.telegram import TelegramInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from actions.core.plan_picture import is_plan_picture
from channels.answer_ratings import answer_id
from channels.background import BackgroundTasks
from channels.dedupe import SeenIds
from channels.plan_delivery import send_telegram_picture
from channels.rating_controls import telegram_rating_choice, with_telegram_rating
from channels.rating_delivery import rate_in_telegram
from channels.telegram_format import (
    SECRET_TOKEN,
    CallbackIds,
    command_text,
    inline_keyboard,
    pressed_title,
    secret_matches,
    split_text,
)
from channels.web_api import ApiResult, WebApi
from server.settings import flag, number

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api.telegram.org"
ALLOWED_UPDATES = ["message", "callback_query"]
NOT_TEXT = "Sorry, I can only read text messages. Please type your question."
EXPIRED_BUTTON = "Sorry, that button has expired. Please type your question instead."
# Telegram's "Start" button sends /start; the bot greets instead of guessing an intent.
COMMANDS = {"/start": "/greet", "/help": "/greet"}


class TelegramApi:
    """Bot API calls: POST {api_url}/bot{token}/{method} with a JSON body."""

    def __init__(self, token: str, api_url: str, web: WebApi) -> None:
        self.base = f"{api_url.rstrip('/')}/bot{token}/"
        self.web = web

    async def call(
        self, method: str, payload: dict[str, Any], idempotent: bool = False
    ) -> ApiResult:
        return await self.web.call(self.base + method, method, payload, idempotent=idempotent)

    async def upload(
        self, method: str, fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]
    ) -> ApiResult:
        """A call with files, as multipart/form-data (sendPhoto with a new picture)."""
        return await self.web.call_multipart(self.base + method, method, fields, files)


class TelegramOutput(OutputChannel):
    """Replies into one Telegram chat; never raises on Bot API errors."""

    @classmethod
    def name(cls) -> str:
        return "telegram"

    def __init__(self, api: TelegramApi, ids: CallbackIds) -> None:
        self.api = api
        self.ids = ids

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        pieces = split_text(text)
        markup = with_telegram_rating(None, answer_id({**kwargs, "text": text}))
        for index, piece in enumerate(pieces):
            payload: dict[str, Any] = {"chat_id": recipient_id, "text": piece}
            if markup and index == len(pieces) - 1:  # thumbs up/down under the answer's end
                payload["reply_markup"] = markup
            await self.api.call("sendMessage", payload)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        pieces = split_text(text) or ["Please choose:"]
        for piece in pieces[:-1]:
            await self.api.call("sendMessage", {"chat_id": recipient_id, "text": piece})
        await self.api.call(
            "sendMessage",
            {
                "chat_id": recipient_id,
                "text": pieces[-1],
                "reply_markup": with_telegram_rating(
                    inline_keyboard(buttons, self.ids), answer_id({**kwargs, "text": text})
                ),
            },
        )

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self.api.call("sendPhoto", {"chat_id": recipient_id, "photo": image})

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        """`{"method": "sendPoll", ...}` calls that Bot API method; default sendMessage."""
        if is_plan_picture(json_message):  # the timeline action's plan, drawn as a PNG
            await send_telegram_picture(self.api, recipient_id, json_message)
            return
        fields = dict(json_message)
        method = str(fields.pop("method", "sendMessage"))
        fields.setdefault("chat_id", recipient_id)
        await self.api.call(method, fields)


class TelegramConnector(TelegramInput):
    """`channels.telegram.TelegramConnector:` in credentials.yml; /webhooks/telegram/webhook."""

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        if not credentials:
            cls.raise_missing_credentials_exception()
        return cls(
            access_token=str(credentials.get("access_token") or ""),
            webhook_url=str(credentials.get("webhook_url") or ""),
            secret_token=str(credentials.get("secret_token") or ""),
            api_url=str(credentials.get("api_url") or DEFAULT_API_URL),
            timeout=number(credentials.get("timeout"), default=10.0),
            register_webhook=flag(credentials.get("register_webhook"), default=True),
            webhook_retry_max=number(credentials.get("webhook_retry_max_seconds"), default=300.0),
        )

    def __init__(
        self,
        access_token: str,
        webhook_url: str,
        secret_token: str,
        api_url: str = DEFAULT_API_URL,
        timeout: float = 10.0,
        register_webhook: bool = True,
        webhook_retry_max: float = 300.0,
    ) -> None:
        if not access_token:
            raise ValueError("The Telegram channel needs access_token (TELEGRAM_BOT_TOKEN).")
        if not SECRET_TOKEN.match(secret_token):
            raise ValueError(
                "The Telegram channel needs secret_token (TELEGRAM_WEBHOOK_SECRET): 1-256 "
                "characters from A-Z, a-z, 0-9, _ and -, e.g. `openssl rand -hex 32`."
            )
        super().__init__(access_token, verify=None, webhook_url=webhook_url, debug_mode=False)
        self.secret_token = secret_token
        self.register_on_start = register_webhook
        self.webhook_retry_max = webhook_retry_max
        self.api = TelegramApi(access_token, api_url, WebApi("Telegram", timeout=timeout))
        self.ids = CallbackIds()
        self.seen = SeenIds()
        self._domain_learned = False
        self.background = BackgroundTasks("Telegram")

    def get_output_channel(self) -> TelegramOutput:
        # No network here (the stock channel calls setWebhook at this point).
        return TelegramOutput(self.api, self.ids)

    async def register_webhook(self) -> ApiResult:
        """setWebhook with our URL and secret: Telegram then signs each update with it."""
        return await self.api.call(
            "setWebhook",
            {
                "url": self.webhook_url,
                "secret_token": self.secret_token,
                "allowed_updates": ALLOWED_UPDATES,
            },
            idempotent=True,
        )

    async def _keep_registering(self) -> None:
        """Register the webhook, retrying with growing pauses until Telegram accepts it."""
        pause = 1.0
        while True:
            result = await self.register_webhook()
            if result.ok:
                logger.info("Telegram webhook registered: %s", self.webhook_url)
                return
            logger.error(
                "Could not register the Telegram webhook (%s). The bot keeps running and "
                "retries in %.0f s; or run `make telegram-webhook` once Telegram is reachable.",
                result.error,
                pause,
            )
            await asyncio.sleep(pause)
            pause = min(pause * 2, self.webhook_retry_max)

    def _learn_domain_buttons(self, request: Request) -> None:
        """Teach the id map every button payload in the domain (ids survive restarts)."""
        if self._domain_learned:
            return
        self._domain_learned = True
        agent = getattr(request.app.ctx, "agent", None)
        responses = getattr(getattr(agent, "domain", None), "responses", None) or {}
        self.ids.learn(
            str(button.get("payload"))
            for variations in responses.values()
            for variation in variations
            for button in variation.get("buttons") or []
            if button.get("payload")
        )

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        telegram_webhook = Blueprint("telegram_webhook", __name__)
        out = self.get_output_channel()

        @telegram_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @telegram_webhook.route("/set_webhook", methods=["POST"])
        async def set_webhook(request: Request) -> HTTPResponse:
            if not secret_matches(
                self.secret_token, request.headers.get("X-Telegram-Bot-Api-Secret-Token")
            ):
                return response.text("Forbidden", status=403)
            result = await self.register_webhook()
            return response.json({"ok": result.ok, "error": result.error}, status=200)

        @telegram_webhook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if not secret_matches(
                self.secret_token, request.headers.get("X-Telegram-Bot-Api-Secret-Token")
            ):
                logger.warning("Rejected a Telegram update without the right secret token")
                return response.text("Forbidden", status=403)
            try:
                update = json.loads(request.body)
            except ValueError:
                return response.text("The body is not valid JSON.", status=400)
            if not isinstance(update, dict):
                return response.text("Expected a JSON object.", status=400)
            update_id = update.get("update_id")
            if update_id is not None and not self.seen.first_time(str(update_id)):
                logger.info("Telegram re-sent update %s: already handled, ignored", update_id)
                return response.text("ok")
            self._learn_domain_buttons(request)
            if self._rating(update, getattr(request.app.ctx, "agent", None)):
                return response.text("ok")
            self._dispatch(update, out, on_new_message)
            return response.text("ok")

        @telegram_webhook.listener("after_server_start")
        async def start_registration(*_: Any) -> None:
            if self.register_on_start and self.webhook_url:
                self.background.run(self._keep_registering(), "webhook registration")
            elif self.register_on_start:
                logger.warning("Telegram webhook_url is empty: not registering a webhook.")

        @telegram_webhook.listener("before_server_stop")
        async def stop(*_: Any) -> None:
            self.background.cancel_all()
            await self.api.web.close()

        return telegram_webhook

    def _rating(self, update: dict[str, Any], agent: Any) -> bool:
        """A thumbs up/down press: stored and acknowledged in the background (True)."""
        query = update.get("callback_query")
        choice = telegram_rating_choice(query.get("data")) if isinstance(query, dict) else None
        if choice is None or not isinstance(query, dict):
            return False
        message = query.get("message") or {}
        chat_id = str((message.get("chat") or {}).get("id") or (query.get("from") or {}).get("id"))
        self.background.run(rate_in_telegram(self.api, agent, chat_id, query, choice), "rating")
        return True

    def _dispatch(
        self,
        update: dict[str, Any],
        out: TelegramOutput,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> None:
        """Turn one update into a user message, handled after Telegram got its 200."""
        query = update.get("callback_query")
        if isinstance(query, dict):
            self.background.run(self._button(query, out, on_new_message), "button press")
            return
        message = update.get("message")
        if not isinstance(message, dict):
            return  # edits, channel posts, member updates: not ours to answer
        chat_id = str((message.get("chat") or {}).get("id") or "")
        if not chat_id:
            return
        text = message.get("text")
        if not isinstance(text, str) or not text.strip():
            self.background.run(out.send_text_message(chat_id, NOT_TEXT), "non-text reply")
            return
        text = command_text(text.strip())
        text = COMMANDS.get(text, text)
        user_message = UserMessage(
            text, out, chat_id, input_channel=self.name(), metadata=_metadata(message)
        )
        self.background.run(on_new_message(user_message), f"message in chat {chat_id}")

    async def _button(
        self,
        query: dict[str, Any],
        out: TelegramOutput,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> None:
        # Until this is answered the user's Telegram shows a spinner on the button; answered
        # on the side, so a slow Bot API does not also delay the reply itself.
        self.background.run(
            self.api.call("answerCallbackQuery", {"callback_query_id": query.get("id")}, True),
            "answering a button press",
        )
        message = query.get("message") or {}
        chat_id = str((message.get("chat") or {}).get("id") or (query.get("from") or {}).get("id"))
        data = str(query.get("data") or "")
        text = self.ids.payload_for(data) or pressed_title(message, data)
        if not text:
            await out.send_text_message(chat_id, EXPIRED_BUTTON)
            return
        await on_new_message(
            UserMessage(text, out, chat_id, input_channel=self.name(), metadata=_metadata(message))
        )


def _metadata(message: dict[str, Any]) -> dict[str, Any]:
    chat = message.get("chat") or {}
    return {
        "telegram_chat_type": chat.get("type"),
        "telegram_message_id": message.get("message_id"),
    }
