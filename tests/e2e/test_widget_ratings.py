"""Rating answers in the widget (real chromium, real bot), then `make review` lists them.

A conversation in the browser; the answer to "is it paid at least?" is rated
unhelpful with the thumbs under it; the rating is stored in the conversation
without changing it; `python -m tools.operators review` (what `make review` runs)
then lists that question with its counts.
"""

from __future__ import annotations

import csv
import os
import subprocess  # nosec B404 - runs our own CLI with fixed arguments
import sys
from pathlib import Path

from playwright.sync_api import Browser, Locator, Page, expect

from tests.e2e import test_widget_browser as widget_test
from tests.e2e.test_widget_browser import (
    BOT,
    ROOT,
    SHOTS,
    Bot,
    ask,
    open_chat,
    run_axe,
    session_id,
    wait_for_replies,
)
from tools.dev import browser

# The widget test's fixtures (module scope: this module starts its own bot).
bot = widget_test.bot
chromium = widget_test.chromium

QUESTION = "is it paid at least?"
THANKS = "Thanks for your feedback!"


def ratings_in(tracker: dict) -> list[dict]:
    return [
        e["value"]
        for e in tracker["events"]
        if e["event"] == "slot" and e["name"] == "answer_rating"
    ]


def emit_rating(page: Page, data: object) -> dict:
    """A `rate_answer` straight on the widget's socket, as a hostile page script could."""
    return page.evaluate(
        "(data) => document.querySelector('pathway-chat').socket.timeout(10000)"
        ".emitWithAck('rate_answer', data)",
        data,
    )


def last_answer(page: Page) -> Locator:
    return page.locator(f"{BOT}:has(.rating)").last


def test_rating_an_answer_in_the_widget_and_review_lists_it(
    bot: Bot, chromium: Browser, tmp_path: Path
) -> None:
    context = chromium.new_context(**browser.DESKTOP)
    page = context.new_page()
    open_chat(page, bot.url)
    wait_for_replies(page, 0)
    # The greeting is not an answer: no thumbs.
    expect(page.locator("pathway-chat .rating")).to_have_count(0)

    assert "From the guide" in ask(page, "what is an externship")
    expect(page.locator("pathway-chat .rating")).to_have_count(1)  # one pair per answer
    answer = ask(page, QUESTION)
    assert "From the guide" in answer
    expect(page.locator("pathway-chat .rating")).to_have_count(2)
    sender = session_id(page)
    before = bot.tracker(sender)
    bot_messages = sum(e["event"] == "bot" for e in before["events"])

    # Thumbs down on the latest answer: a thank-you note, no new chat bubble.
    bubbles = page.locator("pathway-chat .msg").count()
    thumbs_down = last_answer(page).get_by_role("button", name="Not helpful")
    thumbs_down.click()
    expect(last_answer(page).locator(".rating-note")).to_have_text(THANKS)
    expect(thumbs_down).to_have_attribute("aria-pressed", "true")
    expect(last_answer(page).get_by_role("button", name="Helpful", exact=True)).to_have_attribute(
        "aria-pressed", "false"
    )
    assert page.locator("pathway-chat .msg").count() == bubbles
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "rating.png")

    # Stored with the conversation, pointing at the answer; nothing else changed.
    after = bot.tracker(sender)
    [rating] = ratings_in(after)
    assert rating["rating"] == "unhelpful" and rating["question"] == QUESTION
    assert rating["channel"] == "socketio" and rating["response"]
    rated = [
        e
        for e in after["events"]
        if e["event"] == "bot" and repr(e["timestamp"]) == rating["answer_id"]
    ]
    assert len(rated) == 1 and "From the guide" in rated[0]["text"]
    assert after["slots"]["last_topic"] == before["slots"]["last_topic"]
    assert sum(e["event"] == "bot" for e in after["events"]) == bot_messages
    assert [e for e in after["events"] if e["event"] == "user"] == [
        e for e in before["events"] if e["event"] == "user"
    ]
    assert after["latest_action_name"] == "action_listen"

    # Pressing it again stores nothing new; the conversation goes on as before.
    thumbs_down.click()
    expect(last_answer(page).locator(".rating-note")).to_have_text(THANKS)
    assert len(ratings_in(bot.tracker(sender))) == 1
    assert "From the guide" in ask(page, "how much does a cma earn")

    # Rating an earlier answer later still points to that answer.
    first = page.locator(f"{BOT}:has(.rating)").first
    first.get_by_role("button", name="Helpful", exact=True).click()
    expect(first.locator(".rating-note")).to_have_text(THANKS)
    verdicts = ratings_in(bot.tracker(sender))
    assert [(v["question"], v["rating"]) for v in verdicts] == [
        (QUESTION, "unhelpful"),
        ("what is an externship", "helpful"),
    ]

    # Bad and hostile ratings get a polite refusal, never an error or a stored rating.
    answer_id = rating["answer_id"]
    assert (
        emit_rating(page, {"session_id": sender, "answer_id": answer_id, "rating": "great"})[
            "status"
        ]
        == "bad rating"
    )
    gone = emit_rating(page, {"session_id": sender, "answer_id": "12345.5", "rating": "helpful"})
    assert gone == {
        "status": "unknown answer",
        "text": "Sorry, that answer can no longer be rated.",
    }
    assert (
        emit_rating(page, {"session_id": "forged", "answer_id": answer_id, "rating": "helpful"})[
            "status"
        ]
        == "refused"
    )
    assert emit_rating(page, "unhelpful")["status"] == "refused"
    assert (
        emit_rating(page, {"session_id": sender, "answer_id": ["x"], "rating": "helpful"})["status"]
        == "unknown answer"
    )
    assert len(ratings_in(bot.tracker(sender))) == 2

    # Emergencies: the reply asks for no rating.
    ratings_before = page.locator("pathway-chat .rating").count()
    assert "911" in ask(page, "my father has chest pain and cannot breathe")
    expect(page.locator("pathway-chat .rating")).to_have_count(ratings_before)

    # A reload shows the verdicts given.
    page.reload()
    expect(page.locator("pathway-chat")).to_have_attribute("data-status", "online")
    pressed = page.locator("pathway-chat .rating button[aria-pressed='true']")
    expect(pressed).to_have_count(2)
    result = run_axe(page)
    assert result["violations"] == [], result["violations"]
    context.close()

    # A second user rates the same kind of answer unhelpful.
    other = chromium.new_context(**browser.DESKTOP)
    second = other.new_page()
    open_chat(second, bot.url)
    wait_for_replies(second, 0)
    ask(second, "what is an externship")
    ask(second, QUESTION)
    last_answer(second).get_by_role("button", name="Not helpful").click()
    expect(last_answer(second).locator(".rating-note")).to_have_text(THANKS)
    other.close()

    # `make review`: the question is listed beside the fallbacks, with its counts.
    out = tmp_path / "review.csv"
    done = subprocess.run(  # nosec B603 - our own CLI, fixed arguments
        [
            sys.executable,
            "-m",
            "tools.operators",
            "review",
            "--endpoints",
            str(bot.home / "endpoints.yml"),
            "--out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 answers rated: 2 unhelpful, 1 helpful." in done.stdout
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    listed = [r for r in rows if r["reason"] == "rated unhelpful"]
    assert [(r["text"], r["count"], r["rated_unhelpful"], r["rated_helpful"]) for r in listed] == [
        (QUESTION, "2", "2", "0")
    ]
    assert listed[0]["answer"] == rating["response"] and listed[0]["intent"] == ""
