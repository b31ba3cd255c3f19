"""The plan picture reaches Slack and Telegram as a PNG (fakes on loopback, no Rasa server)."""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import Iterator

import pytest
from PIL import Image

from actions.core.dates import YearMonth
from actions.core.figures import load_figures
from actions.core.plan_picture import plan_picture
from actions.core.timeline import compute_plan
from channels.plan_delivery import CALENDAR_BUTTON, FILENAME
from channels.slack import SlackApi, SlackOutput
from channels.telegram import TelegramApi, TelegramOutput
from channels.telegram_format import CallbackIds
from channels.web_api import WebApi
from tests.core.plans import FIGURES_FILE
from tests.fakes.slack_api import FakeSlack
from tests.fakes.telegram_api import FakeTelegram

SLACK_TOKEN = "xoxb-picture-test"
TELEGRAM_TOKEN = "42:picture-test"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
ICS = "https://bot.example.org/webhooks/calendar/plan.ics?sender=s&sig=0123"


def picture(calendar_url: str | None = ICS) -> dict:
    plan = compute_plan(
        load_figures(FIGURES_FILE),
        program="certificate",
        pace="full_time",
        documents_ready=None,
        program_start=YearMonth(2027, 1),
        today=YearMonth(2026, 11),
    )
    return plan_picture(plan, calendar_url)


def assert_png(content: bytes) -> Image.Image:
    assert content.startswith(PNG_MAGIC)
    Image.open(io.BytesIO(content)).verify()
    image = Image.open(io.BytesIO(content))
    assert image.format == "PNG" and image.width >= 640
    return image


@pytest.fixture(scope="module")
def slack() -> Iterator[FakeSlack]:
    fake = FakeSlack(SLACK_TOKEN).start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def telegram() -> Iterator[FakeTelegram]:
    fake = FakeTelegram(TELEGRAM_TOKEN).start()
    yield fake
    fake.stop()


def to_slack(slack: FakeSlack, channel: str, thread: str | None, payload: dict) -> None:
    async def go() -> None:
        api = SlackApi(SLACK_TOKEN, slack.api_url, WebApi("Slack"))
        try:
            await SlackOutput(api, channel, thread).send_custom_json("ignored", payload)
        finally:
            await api.web.close()

    asyncio.run(go())


def to_telegram(telegram: FakeTelegram, chat: str, payload: dict) -> None:
    async def go() -> None:
        api = TelegramApi(TELEGRAM_TOKEN, telegram.api_url, WebApi("Telegram", backoff=0.01))
        try:
            await TelegramOutput(api, CallbackIds()).send_custom_json(chat, payload)
        finally:
            await api.web.close()

    asyncio.run(go())


def test_slack_gets_the_png_through_the_external_upload_protocol(slack: FakeSlack) -> None:
    to_slack(slack, "D-picture", "1700000000.000100", picture())
    methods = [c.method for c in slack.calls if c.status == 200]
    start = methods.index("files.getUploadURLExternal")
    assert methods[start : start + 4] == [
        "files.getUploadURLExternal",
        "upload",
        "files.completeUploadExternal",
        "chat.postMessage",
    ]
    ticket = next(c for c in slack.calls if c.method == "files.getUploadURLExternal")
    assert ticket.headers["Authorization"] == f"Bearer {SLACK_TOKEN}"
    assert ticket.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert ticket.body["alt_txt"].startswith("Timeline of your plan. 1. Documents")
    [shared] = slack.files_in("D-picture")
    assert shared["filename"] == FILENAME and shared["thread_ts"] == "1700000000.000100"
    assert int(ticket.body["length"]) == len(shared["content"])
    assert_png(shared["content"])
    # "Add to calendar" is a link button under the picture, in the same thread.
    [calendar] = slack.posts("D-picture")
    assert calendar.answer["ok"], calendar.answer
    [button] = [e for b in calendar.body["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert button["text"]["text"] == CALENDAR_BUTTON and button["url"] == ICS
    assert calendar.body["thread_ts"] == "1700000000.000100"


def test_slack_without_a_calendar_link_gets_only_the_picture(slack: FakeSlack) -> None:
    to_slack(slack, "D-no-ics", None, picture(calendar_url=None))
    [shared] = slack.files_in("D-no-ics")
    assert shared["thread_ts"] is None
    assert_png(shared["content"])
    assert slack.posts("D-no-ics") == []


def test_other_custom_messages_still_go_to_chat_post_message(slack: FakeSlack) -> None:
    to_slack(slack, "D-custom", None, {"text": "custom hello"})
    [post] = slack.posts("D-custom")
    assert post.body["text"] == "custom hello"


def test_telegram_gets_send_photo_as_a_multipart_upload(telegram: FakeTelegram) -> None:
    to_telegram(telegram, "1001", picture())
    [photo] = telegram.photos("1001")
    assert photo.headers["Content-Type"].startswith("multipart/form-data")
    assert photo.body["photo_filename"] == FILENAME
    assert photo.body["photo_content_type"] == "image/png"
    assert_png(photo.body["photo"])
    assert "hatched bars are estimates" in photo.body["caption"]
    markup = json.loads(photo.body["reply_markup"])
    assert markup == {"inline_keyboard": [[{"text": CALENDAR_BUTTON, "url": ICS}]]}


def test_telegram_gets_a_local_calendar_link_in_the_caption(telegram: FakeTelegram) -> None:
    # Telegram refuses buttons to non-public URLs, so an http://localhost link is text.
    local = "http://localhost:5005/webhooks/calendar/plan.ics?sender=s&sig=1"
    to_telegram(telegram, "1002", picture(local))
    [photo] = telegram.photos("1002")
    assert "reply_markup" not in photo.body
    assert photo.body["caption"].endswith(f"{CALENDAR_BUTTON}: {local}")


def test_when_telegram_refuses_the_photo_the_calendar_still_arrives(
    telegram: FakeTelegram,
) -> None:
    telegram.fail_next("sendPhoto", "500")
    to_telegram(telegram, "1003", picture())
    assert telegram.photos("1003") == []
    [message] = telegram.sent("1003")
    assert message.body["reply_markup"]["inline_keyboard"][0][0]["url"] == ICS
