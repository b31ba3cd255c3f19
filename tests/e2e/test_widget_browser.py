"""The web widget in a real browser (Debian chromium + Playwright) against a real bot.

The bot runs on free ports with the project's credentials.yml, so the widget
talks to channels/socketio.py exactly as under `make run`.
"""

from __future__ import annotations

import json
import os
import re
import signal
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, WebSocketRoute, expect, sync_playwright

from tools.dev import browser, stack
from tools.dev.train_if_needed import model_path

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "results" / "widget"
TOKEN = "widget-e2e-token"
BOT = "pathway-chat .msg.bot"
REPLY_SECONDS = 45


class Bot:
    """Action server + Rasa on free ports; Rasa alone can be restarted."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.rasa_port, self.action_port = browser.free_port(), browser.free_port()
        stack.write_endpoints(home / "endpoints.yml", self.action_port, home / "tracker.db")
        # Fixed, so a restarted Rasa and the running action server still agree.
        self.env = {"CALENDAR_LINK_SECRET": "widget-e2e-secret"}
        self.stack = self._start(with_action_server=True)

    @property
    def url(self) -> str:
        return f"http://localhost:{self.rasa_port}"

    def _start(self, with_action_server: bool) -> stack.Stack:
        model = model_path()
        if not model.exists():
            pytest.fail(f"no trained model at {model}: run `make train` first")
        started = stack.start(
            model,
            token=TOKEN,
            rasa_port=self.rasa_port,
            action_port=self.action_port,
            endpoints=self.home / "endpoints.yml",
            log_dir=self.home / "logs",
            extra_env=self.env,
            with_action_server=with_action_server,
        )
        try:
            stack.wait_ready(started, progress=False)
        except BaseException:
            started.stop()
            raise
        return started

    def stop_rasa(self) -> None:
        rasa = self.stack.processes.pop()
        os.killpg(rasa.pid, signal.SIGTERM)
        rasa.wait(30)

    def start_rasa(self) -> None:
        self.stack.processes += self._start(with_action_server=False).processes

    def tracker(self, sender: str) -> dict:
        url = f"{self.url}/conversations/{sender}/tracker?token={TOKEN}"
        with urllib.request.urlopen(url, timeout=10) as answer:
            return json.loads(answer.read())


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bot]:
    running = Bot(tmp_path_factory.mktemp("widget-bot"))
    yield running
    running.stack.stop()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = browser.launch(playwright)
        yield launched
        launched.close()


def open_chat(page: Page, url: str) -> None:
    page.goto(f"{url}/widget/")
    page.get_by_role("button", name="Ask our assistant").click()
    expect(page.locator("pathway-chat input")).to_be_focused()


def wait_for_replies(page: Page, before: int) -> str:
    """Wait for new bot bubbles after `before`, until no more arrive; return their text."""
    bubbles = page.locator(BOT)
    expect(bubbles.nth(before)).to_be_visible(timeout=REPLY_SECONDS * 1000)
    count, quiet_since = bubbles.count(), time.monotonic()
    while time.monotonic() - quiet_since < 1.0:
        time.sleep(0.2)
        if bubbles.count() != count:
            count, quiet_since = bubbles.count(), time.monotonic()
    return "\n".join(bubbles.nth(i).inner_text() for i in range(before, count))


def ask(page: Page, text: str) -> str:
    before = page.locator(BOT).count()
    field = page.locator("pathway-chat input")
    field.fill(text)
    field.press("Enter")
    expect(page.locator("pathway-chat .msg.user").last).to_have_text(f"You said: {text}")
    return wait_for_replies(page, before)


def transcript(page: Page) -> list[str]:
    return page.locator("pathway-chat .msg").all_inner_texts()


def session_id(page: Page) -> str:
    return page.evaluate("JSON.parse(localStorage.getItem('pathway-chat')).sessionId")


def test_a_conversation_survives_reloads_and_server_restarts(bot: Bot, chromium: Browser) -> None:
    context = chromium.new_context(**browser.DESKTOP)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    outside: list[str] = []
    page.on(
        "request",
        lambda request: None if request.url.startswith(bot.url) else outside.append(request.url),
    )
    open_chat(page, bot.url)

    # The initial payload (/greet) brings the greeting and its topic buttons.
    greeting = wait_for_replies(page, 0)
    assert "IMG-to-CMA assistant" in greeting
    expect(page.locator("pathway-chat")).to_have_attribute("data-status", "online")
    expect(page.locator("pathway-chat .replies button")).not_to_have_count(0)

    answer = ask(page, "can i take the cma exam with my mbbs")
    assert "From the guide" in answer
    assert "Documents to gather (0 of 4 done)" in ask(page, "show me the documents checklist")
    ask(page, "I already have my WES evaluation")

    # A quick reply: its title shows as the user's message, its payload goes to Rasa.
    before = page.locator(BOT).count()
    done = page.locator("pathway-chat .replies button", has_text="Done:").first
    title = done.inner_text()
    done.click()
    expect(page.locator("pathway-chat .msg.user").last).to_have_text(f"You said: {title}")
    wait_for_replies(page, before)
    expect(page.locator("pathway-chat .replies")).to_have_count(1)  # only the latest set

    # Hostile input is shown as text: no element injected, no script run.
    hostile = "<img src=x onerror=alert(1)> see javascript:alert(2) or [me](javascript:alert(3))"
    ask(page, hostile)
    expect(page.locator("pathway-chat .msg.user").last).to_have_text(f"You said: {hostile}")
    assert page.locator("pathway-chat .log img").count() == 0
    hrefs = page.locator("pathway-chat .log a").evaluate_all("links => links.map(a => a.href)")
    assert all(href.startswith(("http://", "https://")) for href in hrefs)

    # Reload: same transcript, same sender id, and the bot remembers the ticks.
    sender, shown = session_id(page), transcript(page)
    page.reload()
    expect(page.locator("pathway-chat")).to_have_attribute("data-status", "online")
    expect(page.locator("pathway-chat .panel")).to_be_visible()  # it stays open
    assert transcript(page) == shown
    assert session_id(page) == sender
    assert "Documents to gather (2 of 4 done)" in ask(page, "show my progress")
    said = [e["text"] for e in bot.tracker(sender)["events"] if e["event"] == "user"]
    assert {"can i take the cma exam with my mbbs", "show my progress"} <= set(said)
    # The server's input policy (server/input_policy.py) stores markup as its words only.
    assert "see javascript:alert(2) or [me](javascript:alert(3))" in said
    assert not any("<img" in text for text in said)

    # Restart Rasa: the widget shows it lost the connection, then reconnects by itself.
    bot.stop_rasa()
    expect(page.locator("pathway-chat")).not_to_have_attribute("data-status", "online")
    expect(page.locator("pathway-chat .status")).to_contain_text("reconnecting")
    # A question typed while offline waits, visibly, and goes out on reconnect.
    before = page.locator(BOT).count()
    page.locator("pathway-chat input").fill("what's next?")
    page.locator("pathway-chat input").press("Enter")
    expect(page.locator("pathway-chat .msg.user.pending")).to_have_text("You said: what's next?")
    bot.start_rasa()
    expect(page.locator("pathway-chat")).to_have_attribute("data-status", "online", timeout=30000)
    assert "certified translation" in wait_for_replies(page, before)
    expect(page.locator("pathway-chat .msg.pending")).to_have_count(0)
    assert "From the guide" in ask(page, "can i take the cma exam with my mbbs")
    assert session_id(page) == sender

    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "desktop.png")
    phone = chromium.new_context(**browser.PHONE, storage_state=context.storage_state())
    phone_page = phone.new_page()
    phone_page.goto(f"{bot.url}/widget/")
    expect(phone_page.locator("pathway-chat")).to_have_attribute("data-status", "online")
    box = phone_page.locator("pathway-chat .panel").bounding_box()
    assert box and box["width"] == 390  # full screen on a phone
    phone_page.screenshot(path=SHOTS / "phone.png")
    phone.close()

    assert dialogs == []
    assert outside == []  # no CDN, no third party: everything from our server
    context.close()


HOSTILE_BOT_MESSAGE = {
    "text": "<img src=x onerror=alert(1)> [click](javascript:alert(2)) "
    "javascript:alert(3) and https://example.org/guide.",
    "quick_replies": [{"title": "<b onmouseover=alert(4)>x</b>", "payload": "/greet"}],
    "attachment": {"type": "image", "payload": {"src": "javascript:alert(5)"}},
    # A plan picture whose words are markup: drawn, with the markup as text.
    "custom": {
        "type": "plan_timeline",
        "title": "<img src=x onerror=alert(6)>",
        "summary": "<b>summary</b>",
        "today": "2026-11",
        "earliest_work": "2028-04",
        "latest_work": "2029-01",
        "first_month": "2026-11",
        "last_month": "2029-01",
        "phases": [
            {"short": "<b onmouseover=alert(7)>p</b>", "start": "2026-11", "end": "2027-06"},
        ],
    },
}


def test_a_hostile_bot_message_is_shown_as_text(bot: Bot, chromium: Browser) -> None:
    """Whatever arrives on the socket (here injected into it) can not add markup."""
    context = chromium.new_context(**browser.DESKTOP)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sockets: list[WebSocketRoute] = []

    def relay(socket: WebSocketRoute) -> None:
        socket.connect_to_server()  # the real conversation still flows both ways
        sockets.append(socket)

    page.route_web_socket("**/socket.io/**", relay)
    open_chat(page, bot.url)
    wait_for_replies(page, 0)
    before = page.locator(BOT).count()
    # A socket.io event frame: engine.io "message" (4) + socket.io "event" (2).
    sockets[-1].send("42" + json.dumps(["bot_uttered", HOSTILE_BOT_MESSAGE]))
    expect(page.locator(BOT).nth(before)).to_be_visible()

    bubble = page.locator(BOT).nth(before)
    assert bubble.inner_text().startswith("<img src=x onerror=alert(1)> [click](javascript:")
    assert page.locator("pathway-chat .log img, pathway-chat .log b").count() == 0
    links = bubble.locator("a")
    expect(links).to_have_count(1)
    assert links.first.get_attribute("href") == "https://example.org/guide"
    assert links.first.get_attribute("rel") == "noopener noreferrer nofollow"
    expect(page.locator("pathway-chat .replies button")).to_have_text(
        ["<b onmouseover=alert(4)>x</b>"]
    )
    page.locator("pathway-chat .replies button").hover()
    expect(bubble.locator("figure.plan .plan-title")).to_have_text("<img src=x onerror=alert(6)>")
    expect(bubble.locator("svg .phase-name")).to_have_text("1. <b onmouseover=alert(7)>p</b>")
    assert bubble.locator("svg[role=img]").get_attribute("aria-label") == "<b>summary</b>"
    bubble.locator("svg .phase-name").hover()
    assert page.locator("pathway-chat .log img, pathway-chat .log b").count() == 0
    assert dialogs == []
    context.close()


AXE = ROOT / "widget" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PLAN_QUESTION = "I'm starting a certificate program in March 2027, when could I work?"


def run_axe(page: Page) -> dict:
    """axe-core (widget/package.json, from node_modules: no CDN) on the widget only."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make test` (or `cd widget && npm ci`)")
    if not page.evaluate("() => Boolean(window.axe)"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """(tags) => axe.run({ include: [["pathway-chat"]] },
                             { runOnly: { type: "tag", values: tags } })
             .then((r) => ({
               violations: r.violations.map((v) => ({
                 id: v.id, impact: v.impact, help: v.help,
                 nodes: v.nodes.map((n) => n.target.join(" ")) })),
               passes: r.passes.map((p) => p.id),
               incomplete: r.incomplete.map((i) => ({
                 id: i.id, nodes: i.nodes.map((n) => n.target.join(" ")) })),
               version: axe.version }))""",
        WCAG_21_AA,
    )


def _luminance(rgb: str) -> float:
    """Relative luminance (WCAG 2.1) of a CSS `rgb(r, g, b)` colour."""
    channels = [int(c) / 255 for c in re.findall(r"\d+", rgb)[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, two: str) -> float:
    high, low = sorted((_luminance(one), _luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def svg_text_contrast(page: Page) -> float:
    """The lowest contrast of the pictures' SVG text (which axe-core can not measure) against
    both backgrounds it may sit on: the figure and the green 'could be working' band."""
    colours = page.locator("pathway-chat figure.plan").first.evaluate(
        """(f) => ({
             texts: [...f.querySelectorAll("svg text")].map((t) => getComputedStyle(t).fill),
             backgrounds: [getComputedStyle(f.closest(".msg")).backgroundColor,
                           getComputedStyle(f.querySelector("svg .work-band")).fill] })"""
    )
    return min(contrast(t, b) for t in colours["texts"] for b in colours["backgrounds"])


def plan_pictures(page: Page) -> list[dict]:
    """Each plan picture in the widget: its words (aria-label), phases and legend."""
    return page.locator("pathway-chat figure.plan").evaluate_all(
        """(figures) => figures.map((f) => ({
             label: f.querySelector("svg[role=img]").getAttribute("aria-label"),
             phases: [...f.querySelectorAll("g.phase")].map((g) => ({
               name: g.querySelector(".phase-name").textContent,
               start: g.dataset.start, end: g.dataset.end,
               estimate: g.dataset.estimate === "true",
               hatched: g.querySelector("rect.bar").getAttribute("fill") || "" })),
             legend: [...f.querySelectorAll("figcaption li")].map((li) => li.textContent) }))"""
    )


def check_against_text(picture: dict, text: str) -> None:
    """Every bar has the months of its line in the text plan; the words match it too."""
    lines = [line for line in text.splitlines() if re.match(r"[1-4]\. [^:]+: ", line)]
    assert len(picture["phases"]) == len(lines) == 4
    for phase, line in zip(picture["phases"], lines, strict=True):
        number = line.split(".", 1)[0]
        assert phase["name"].startswith(f"{number}. ")
        assert phase["start"] in line and phase["end"] in line, (phase, line)
        assert line in picture["label"]  # the text alternative says the same, word for word
        assert phase["hatched"].startswith("url(#") == phase["estimate"]
    working = next(line for line in text.splitlines() if "could be working as a CMA" in line)
    could = next(item for item in picture["legend"] if item.startswith("Could be working: "))
    earliest, latest = could.removeprefix("Could be working: ").split(" to ")
    for short in (earliest, latest):
        month, year = short.split()
        assert any(word.startswith(month) for word in working.split()) and year in working


def test_the_plan_picture_matches_the_text_and_passes_axe(bot: Bot, chromium: Browser) -> None:
    context = chromium.new_context(**browser.PHONE)
    page = context.new_page()
    open_chat(page, bot.url)
    wait_for_replies(page, 0)
    assert "From the guide" in ask(page, "what does a cma do")
    text = ask(page, PLAN_QUESTION)
    [picture] = plan_pictures(page)
    check_against_text(picture, text)
    assert "Mar 2027" in picture["phases"][1]["start"]
    assert any(p["estimate"] for p in picture["phases"]) and not all(
        p["estimate"] for p in picture["phases"]
    )
    # "Add to calendar" instead of a 130-character URL.
    calendar = page.locator("pathway-chat a.action-link")
    expect(calendar).to_have_text("Add to calendar")
    assert "/webhooks/calendar/plan.ics?" in (calendar.get_attribute("href") or "")
    assert "plan.ics" not in text

    # Chat open, an answer and a plan picture shown: no WCAG 2.1 A/AA violation.
    result = run_axe(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / "axe.json").write_text(json.dumps(result, indent=2))
    assert result["violations"] == [], json.dumps(result["violations"], indent=2)
    assert "color-contrast" in result["passes"]
    lowest = svg_text_contrast(page)
    result["svg_text_lowest_contrast"] = round(lowest, 2)
    (SHOTS / "axe.json").write_text(json.dumps(result, indent=2))
    assert lowest >= 4.5  # WCAG 1.4.3 AA for the picture's labels too
    page.locator("pathway-chat figure.plan").scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "plan.png")

    # "What if I start in January?" redraws it.
    changed = ask(page, "what if I start in January 2028 instead?")
    pictures = plan_pictures(page)
    assert len(pictures) == 2
    check_against_text(pictures[1], changed)
    assert pictures[1]["phases"][1]["start"] == "Jan 2028"

    # A 320-px-wide phone: the transcript (pictures too) fits without sideways scrolling.
    narrow = chromium.new_context(
        **{**browser.PHONE, "viewport": {"width": 320, "height": 640}},
        storage_state=context.storage_state(),
    )
    small = narrow.new_page()
    small.goto(f"{bot.url}/widget/")
    expect(small.locator("pathway-chat")).to_have_attribute("data-status", "online")
    expect(small.locator("pathway-chat figure.plan")).to_have_count(2)
    sizes = small.locator("pathway-chat .log").evaluate(
        "(log) => ({ scroll: log.scrollWidth, client: log.clientWidth })"
    )
    assert sizes["scroll"] <= sizes["client"], sizes
    box = small.locator("pathway-chat figure.plan svg").last.bounding_box()
    assert box and box["width"] <= 320 and box["x"] >= 0
    assert run_axe(small)["violations"] == []
    small.locator("pathway-chat figure.plan").last.scroll_into_view_if_needed()
    small.screenshot(path=SHOTS / "plan-320.png")
    narrow.close()
    context.close()


def test_keyboard_only_use(bot: Bot, chromium: Browser) -> None:
    context = chromium.new_context(**browser.DESKTOP)
    page = context.new_page()
    page.goto(f"{bot.url}/widget/")
    chat = page.locator("pathway-chat")
    expect(chat).to_have_attribute("data-status", "online")
    page.locator("pathway-chat .launcher").focus()
    page.keyboard.press("Enter")
    expect(page.locator("pathway-chat input")).to_be_focused()
    expect(page.locator("pathway-chat .log")).to_have_attribute("aria-live", "polite")
    expect(page.locator("pathway-chat .log")).to_have_attribute("role", "log")
    wait_for_replies(page, 0)  # the greeting
    before = page.locator(BOT).count()
    page.keyboard.type("what does a cma do")
    page.keyboard.press("Enter")
    assert "From the guide" in wait_for_replies(page, before)
    # Pick a suggested reply: Shift+Tab from the field reaches the last button.
    before = page.locator(BOT).count()
    page.keyboard.press("Shift+Tab")
    focused = page.evaluate(
        "() => { const a = document.querySelector('pathway-chat').shadowRoot.activeElement;"
        " return a && a.closest('.replies') ? a.textContent : null; }"
    )
    assert focused, "Shift+Tab from the message field should reach a suggested reply"
    page.keyboard.press("Enter")
    expect(page.locator("pathway-chat .msg.user").last).to_have_text(f"You said: {focused}")
    wait_for_replies(page, before)
    page.locator("pathway-chat input").focus()
    page.keyboard.press("Escape")
    expect(page.locator("pathway-chat .panel")).to_be_hidden()
    expect(page.locator("pathway-chat .launcher")).to_be_focused()
    context.close()


def _socket_handshake(url: str, origin: str) -> int:
    request = urllib.request.Request(
        f"{url}/socket.io/?EIO=4&transport=polling", headers={"Origin": origin}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status
    except urllib.error.HTTPError as refused:
        return refused.code


def test_only_allowed_origins_may_open_the_socket(bot: Bot) -> None:
    assert _socket_handshake(bot.url, bot.url) == 200  # the demo page itself
    assert _socket_handshake(bot.url, "http://localhost:3000") == 200  # local development
    assert _socket_handshake(bot.url, "https://evil.example") == 400


def test_the_served_widget_is_the_committed_build(bot: Bot) -> None:
    with urllib.request.urlopen(f"{bot.url}/widget/widget.js", timeout=10) as answer:
        assert answer.headers["Content-Type"].startswith("text/javascript")
        assert answer.read() == (ROOT / "widget" / "dist" / "widget.js").read_bytes()
