"""Slack, through Rasa's Slack channel with the fixes it needs.

Over the stock `rasa.core.channels.slack` this:
- answers each event once: Slack's retries (any `X-Slack-Retry-Reason`, also
  `http_error`) are recognised by `event_id` and acknowledged without a second reply;
- accepts `application/json; charset=utf-8` bodies (the stock one only matches the
  bare media type and silently drops the rest);
- talks to a configurable Web API base URL (GovSlack, a proxy, or a test fake);
- sends buttons as Block Kit and, with `use_threads`, answers in the thread;
- logs and survives Slack API errors and timeouts instead of losing the conversation;
- puts thumbs up/down buttons under each answer and stores a press in the
  conversation (channels/rating_delivery.py, docs/ratings.md).
Requests must carry a valid v0 signature no older than 5 minutes (401 otherwise).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.slack import SlackInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from actions.core.plan_picture import is_plan_picture
from channels.answer_ratings import answer_id
from channels.background import BackgroundTasks
from channels.dedupe import SeenIds
from channels.plan_delivery import send_slack_picture
from channels.rating_controls import slack_rating_choice, with_slack_rating
from channels.rating_delivery import rate_in_slack
from channels.slack_format import (
    button_value,
    media_type,
    message_blocks,
    signature_problem,
    unescape,
)
from channels.web_api import ApiResult, WebApi
from server.settings import flag, number

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://slack.com/api/"
NOT_TEXT = "Sorry, I can only read text messages. Please type your question."


class SlackApi:
    """Authenticated Slack Web API calls (`{api_url}{method}` with a Bearer token)."""

    def __init__(self, token: str, api_url: str, web: WebApi) -> None:
        self.token = token
        self.api_url = api_url.rstrip("/") + "/"
        self.web = web

    async def call(self, method: str, payload: dict[str, Any]) -> ApiResult:
        return await self.web.call(
            self.api_url + method,
            method,
            payload,
            {"Authorization": f"Bearer {self.token}"},
        )

    async def call_form(self, method: str, fields: dict[str, str]) -> ApiResult:
        """A form-encoded call (files.getUploadURLExternal, files.completeUploadExternal)."""
        return await self.web.call_form(
            self.api_url + method, method, fields, {"Authorization": f"Bearer {self.token}"}
        )

    async def upload(self, url: str, content: bytes) -> ApiResult:
        """The file's bytes to the upload URL files.getUploadURLExternal handed out."""
        headers = {"Content-Type": "application/octet-stream"}
        return await self.web.send(url, "file upload", lambda: content, headers, json_answer=False)


class SlackOutput(OutputChannel):
    """Replies into one Slack conversation (and thread, if any)."""

    @classmethod
    def name(cls) -> str:
        return "slack"

    def __init__(self, api: SlackApi, channel: str, thread_ts: str | None = None) -> None:
        self.api = api
        self.channel = channel
        self.thread_ts = thread_ts

    async def _post(self, **fields: Any) -> None:
        payload: dict[str, Any] = {"channel": self.channel, **fields}
        if self.thread_ts:
            payload.setdefault("thread_ts", self.thread_ts)
        await self.api.call("chat.postMessage", payload)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        # One Slack message per bot response: Slack renders the blank lines itself.
        rated = answer_id({**kwargs, "text": text})
        await self._post(text=text, blocks=with_slack_rating(message_blocks(text, []), rated))

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        rated = answer_id({**kwargs, "text": text})
        await self._post(text=text, blocks=with_slack_rating(message_blocks(text, buttons), rated))

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self._post(
            text=image, blocks=[{"type": "image", "image_url": image, "alt_text": "image"}]
        )

    async def send_attachment(self, recipient_id: str, attachment: str, **kwargs: Any) -> None:
        await self._post(text=str(attachment))

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        if is_plan_picture(json_message):  # the timeline action's plan, drawn as a PNG
            await send_slack_picture(self.api, self.channel, self.thread_ts, json_message)
            return
        await self._post(**json_message)


class SlackConnector(SlackInput):
    """`channels.slack.SlackConnector:` in credentials.yml; serves /webhooks/slack/webhook."""

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        if not credentials:
            cls.raise_missing_credentials_exception()
        return cls(
            slack_token=str(credentials.get("slack_token") or ""),
            slack_signing_secret=str(credentials.get("slack_signing_secret") or ""),
            slack_channel=credentials.get("slack_channel") or None,
            use_threads=flag(credentials.get("use_threads"), default=False),
            conversation_granularity=str(credentials.get("conversation_granularity") or "sender"),
            api_url=str(credentials.get("api_url") or DEFAULT_API_URL),
            timeout=number(credentials.get("timeout"), default=10.0),
        )

    def __init__(
        self,
        slack_token: str,
        slack_signing_secret: str,
        slack_channel: str | None = None,
        use_threads: bool = False,
        conversation_granularity: str = "sender",
        api_url: str = DEFAULT_API_URL,
        timeout: float = 10.0,
    ) -> None:
        if not slack_token:
            raise ValueError("The Slack channel needs slack_token (SLACK_BOT_TOKEN).")
        super().__init__(
            slack_token,
            slack_channel=slack_channel,
            use_threads=use_threads,
            slack_signing_secret=slack_signing_secret,
            conversation_granularity=conversation_granularity,
        )
        self.api = SlackApi(slack_token, api_url, WebApi("Slack", timeout=timeout))
        self.seen = SeenIds()
        self.background = BackgroundTasks("Slack")

    def get_output_channel(
        self, channel: str | None = None, thread_id: str | None = None
    ) -> OutputChannel:
        return SlackOutput(self.api, channel or self.slack_channel or "", thread_id)

    def _respond_later(
        self,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        text: str,
        sender_id: str,
        channel: str,
        thread_ts: str | None,
        metadata: dict[str, Any],
    ) -> None:
        """Handle the message after acknowledging: Slack wants an answer within 3 s."""
        message = UserMessage(
            text,
            self.get_output_channel(channel, thread_ts if self.use_threads else None),
            sender_id,
            input_channel=self.name(),
            metadata=metadata,
        )
        self.background.run(on_new_message(message), f"message from {sender_id}")

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        slack_webhook = Blueprint("slack_webhook", __name__)

        @slack_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @slack_webhook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            problem = signature_problem(
                self.slack_signing_secret,
                request.headers.get("X-Slack-Request-Timestamp"),
                request.body,
                request.headers.get("X-Slack-Signature"),
                time.time(),
            )
            if problem:
                logger.warning("Rejected a Slack request: %s", problem)
                return response.text(f"Not a valid Slack request: {problem}", status=401)
            kind = media_type(request.headers.get("content-type"))
            if kind == "application/json":
                return await self._event(request, on_new_message)
            if kind == "application/x-www-form-urlencoded":
                return await self._interaction(request, on_new_message)
            return response.text(f"Unsupported content type {kind!r}", status=415)

        @slack_webhook.listener("before_server_stop")
        async def close_session(*_: Any) -> None:
            await self.api.web.close()

        return slack_webhook

    async def _event(
        self, request: Request, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> HTTPResponse:
        try:
            body = json.loads(request.body)
        except ValueError:
            return response.text("The body is not valid JSON.", status=400)
        if not isinstance(body, dict):
            return response.text("Expected a JSON object.", status=400)
        if body.get("type") == "url_verification":
            return response.json({"challenge": body.get("challenge", "")})
        event = body.get("event") or {}
        event_id = str(body.get("event_id") or "")
        if event_id and not self.seen.first_time(event_id):
            logger.info(
                "Slack re-sent event %s (retry %s, reason %s): already answered, ignored",
                event_id,
                request.headers.get("X-Slack-Retry-Num", "?"),
                request.headers.get("X-Slack-Retry-Reason", "?"),
            )
            return response.text("", headers={"X-Slack-No-Retry": "1"})
        if not isinstance(event, dict):
            return response.text("")
        channel = str(event.get("channel") or "")
        if event.get("subtype") == "file_share" and not event.get("bot_id") and channel:
            # A file without words: say what the bot can read rather than stay silent.
            self.background.run(
                self.api.call("chat.postMessage", {"channel": channel, "text": NOT_TEXT}),
                "file reply",
            )
            return response.text("")
        if not self._is_user_message(body) or event.get("subtype"):
            return response.text("")  # the bot's own posts, edits, joins: nothing to answer
        metadata = {
            "out_channel": channel,
            "thread_id": event.get("thread_ts") or event.get("ts"),
            "users": [a.get("user_id") for a in body.get("authorizations") or []]
            or list(body.get("authed_users") or []),
        }
        if not self._is_supported_channel(body, metadata):
            logger.info("Slack message in channel %s not addressed to the bot: ignored", channel)
            return response.text("")
        sender = str(event.get("user") or "")
        text = unescape(
            self._sanitize_user_message(str(event.get("text") or ""), metadata["users"])
        )
        conversation = self._get_conversation_id(sender, channel, metadata["thread_id"])
        self._respond_later(
            on_new_message, text, conversation or sender, channel, metadata["thread_id"], metadata
        )
        return response.text("")

    async def _interaction(
        self, request: Request, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> HTTPResponse:
        try:
            payload = json.loads(request.form.get("payload") or "")
        except ValueError:
            return response.text("Expected a `payload` form field with JSON.", status=400)
        if not isinstance(payload, dict):
            return response.text("Expected a JSON object.", status=400)
        value = button_value(payload)
        user = str((payload.get("user") or {}).get("id") or "")
        channel = str((payload.get("channel") or {}).get("id") or "")
        message = payload.get("message") or {}
        thread = message.get("thread_ts") or message.get("ts")
        choice = slack_rating_choice(payload)
        if choice is not None and user and channel:  # thumbs up/down: stored, not answered
            sender = self._get_conversation_id(user, channel, thread) or user
            agent = getattr(request.app.ctx, "agent", None)
            self.background.run(
                rate_in_slack(self.api, agent, sender, payload, choice), f"rating from {user}"
            )
            return response.text("")
        if value is None or not user or not channel:
            return response.text("")  # link buttons and other widgets carry nothing to answer
        metadata = {"out_channel": channel, "thread_id": thread, "users": [user]}
        conversation = self._get_conversation_id(user, channel, thread)
        self._respond_later(on_new_message, value, conversation or user, channel, thread, metadata)
        return response.text("")
