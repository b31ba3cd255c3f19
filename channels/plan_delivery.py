"""The plan picture in Slack and Telegram: a PNG (channels/plan_image.py) beside the text plan.

The timeline action sends the plan's text, then the picture payload
(actions/core/plan_picture.py) as a custom message. Here that payload becomes:
- Slack: an image uploaded with the current protocol (files.getUploadURLExternal, the
  bytes to the returned URL, files.completeUploadExternal into the conversation), then an
  "Add to calendar" link button;
- Telegram: sendPhoto with the PNG uploaded as multipart/form-data, a short caption and an
  "Add to calendar" URL button.
Failures are logged, never raised: the text plan has already arrived.
"""

from __future__ import annotations

import asyncio
import json
import logging
import urllib.parse
from typing import Any, Protocol

from channels.plan_image import render_png
from channels.web_api import ApiResult

logger = logging.getLogger(__name__)

FILENAME = "your-plan.png"
TITLE = "Your plan as a timeline"
CALENDAR_BUTTON = "📅 Add to calendar"
CALENDAR_TEXT = "📅 Add these milestones to your calendar (an .ics file)."
CAPTION = (
    "Your plan as a timeline: one bar per step; hatched bars are estimates. Today is marked in "
    "red, the earliest and latest month you could be working in green."
)
SLACK_ALT_MAX = 1000  # files.getUploadURLExternal alt_txt
TELEGRAM_CAPTION_MAX = 1024


def calendar_url(picture: dict[str, Any]) -> str | None:
    """The payload's .ics link if it is an http(s) URL, else None."""
    url = picture.get("calendar_url")
    if not isinstance(url, str) or len(url) > 2000:
        return None
    return url if urllib.parse.urlsplit(url).scheme in ("http", "https") else None


async def picture_png(picture: dict[str, Any]) -> bytes | None:
    """The PNG, drawn off the event loop (Pillow takes a moment); None if it can't be drawn."""
    try:
        return await asyncio.to_thread(render_png, picture)
    except ValueError as problem:
        logger.error("Could not draw the plan picture: %s", problem)
        return None


# --- Slack ----------------------------------------------------------------------------------


class SlackCalls(Protocol):
    """What channels.slack.SlackApi offers."""

    async def call(self, method: str, payload: dict[str, Any]) -> ApiResult: ...
    async def call_form(self, method: str, fields: dict[str, str]) -> ApiResult: ...
    async def upload(self, url: str, content: bytes) -> ApiResult: ...


def slack_calendar_blocks(url: str) -> list[dict[str, Any]]:
    """A sentence and one link button (Slack opens the URL; the app gets no message)."""
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": CALENDAR_TEXT}},
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": "plan_calendar",
                    "text": {"type": "plain_text", "text": CALENDAR_BUTTON, "emoji": True},
                    "url": url,
                }
            ],
        },
    ]


async def send_slack_picture(
    api: SlackCalls, channel: str, thread_ts: str | None, picture: dict[str, Any]
) -> bool:
    """Upload the plan picture into the conversation; True when Slack shared it."""
    png = await picture_png(picture)
    shared = False
    if png is not None:
        shared = await _slack_upload(api, channel, thread_ts, png, str(picture.get("summary")))
    url = calendar_url(picture)
    if url:
        message: dict[str, Any] = {
            "channel": channel,
            "text": f"{CALENDAR_TEXT} {url}",
            "blocks": slack_calendar_blocks(url),
        }
        if thread_ts:
            message["thread_ts"] = thread_ts
        await api.call("chat.postMessage", message)
    return shared


async def _slack_upload(
    api: SlackCalls, channel: str, thread_ts: str | None, png: bytes, alt: str
) -> bool:
    ticket = await api.call_form(
        "files.getUploadURLExternal",
        {"filename": FILENAME, "length": str(len(png)), "alt_txt": alt[:SLACK_ALT_MAX]},
    )
    data = ticket.data or {}
    upload_url, file_id = data.get("upload_url"), data.get("file_id")
    if not ticket.ok or not isinstance(upload_url, str) or not isinstance(file_id, str):
        return False
    if not (await api.upload(upload_url, png)).ok:
        return False
    fields = {
        "files": json.dumps([{"id": file_id, "title": TITLE}]),
        "channel_id": channel,
        "initial_comment": CAPTION,
    }
    if thread_ts:
        fields["thread_ts"] = thread_ts
    return (await api.call_form("files.completeUploadExternal", fields)).ok


# --- Telegram -------------------------------------------------------------------------------


class TelegramCalls(Protocol):
    """What channels.telegram.TelegramApi offers."""

    async def call(
        self, method: str, payload: dict[str, Any], idempotent: bool = False
    ) -> ApiResult: ...
    async def upload(
        self, method: str, fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]
    ) -> ApiResult: ...


def telegram_calendar_markup(url: str) -> dict[str, Any]:
    return {"inline_keyboard": [[{"text": CALENDAR_BUTTON, "url": url}]]}


async def send_telegram_picture(api: TelegramCalls, chat_id: str, picture: dict[str, Any]) -> bool:
    """sendPhoto with the PNG as a multipart upload; True when Telegram accepted it."""
    png = await picture_png(picture)
    url = calendar_url(picture)
    caption = CAPTION
    # Telegram only takes public URLs on buttons; a local (http) link goes in the caption.
    markup = telegram_calendar_markup(url) if url and url.startswith("https://") else None
    if url and not markup:
        caption = f"{CAPTION}\n{CALENDAR_BUTTON}: {url}"
    if png is None:
        if url:
            await _telegram_calendar(api, chat_id, url, markup)
        return False
    fields = {"chat_id": chat_id, "caption": caption[:TELEGRAM_CAPTION_MAX]}
    if markup:
        fields["reply_markup"] = json.dumps(markup)
    result = await api.upload("sendPhoto", fields, {"photo": (FILENAME, png, "image/png")})
    if not result.ok and url:
        # The picture did not go through: the calendar must still reach the user.
        await _telegram_calendar(api, chat_id, url, markup)
    return result.ok


async def _telegram_calendar(
    api: TelegramCalls, chat_id: str, url: str, markup: dict[str, Any] | None
) -> None:
    message: dict[str, Any] = {"chat_id": chat_id, "text": f"{CALENDAR_TEXT}\n{url}"}
    if markup:
        message = {"chat_id": chat_id, "text": CALENDAR_TEXT, "reply_markup": markup}
    await api.call("sendMessage", message)
