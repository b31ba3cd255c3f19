"""A user plans, refines, ticks off checklist items, and the server restarts."""

import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.e2e.conftest import start_bot
from tests.e2e.test_rest_conversation import say, tracker
from tools.dev import stack


def test_plan_refine_checklist_and_restart(bot: stack.Stack, bot_home: Path) -> None:
    sender = f"e2e-journey-{uuid.uuid4().hex[:6]}"

    text, _ = say(bot, sender, "when will i finish if i start")
    assert "When do you plan to start" in text  # nothing personal said: the form asks

    text, _ = say(bot, sender, "march 2027")
    # March 2027 + 9..12 months + 3..6 exam + 3..6 job search (certificate assumed).
    assert "June 2028" in text and "March 2029" in text

    text, _ = say(bot, sender, "what if I do the associate degree instead")
    # Same start, associate degree 18-24 months: March 2027 + 24..36 months.
    assert "March 2029" in text and "March 2030" in text
    assert tracker(bot, sender)["slots"]["plan_start"] == "2027-03"

    text, buttons = say(bot, sender, "show me the documents checklist")
    assert "Documents to gather (0 of 4 done)" in text
    say(bot, sender, "I already have my WES evaluation")
    say(bot, sender, buttons[0]["payload"])  # "Done: Official transcripts"

    bot.stop()
    restarted = start_bot(bot_home)
    try:
        text, _ = say(restarted, sender, "show my progress")
        assert "Documents to gather (2 of 4 done)" in text
        text, _ = say(restarted, sender, "what's next?")
        assert "certified translation" in text
        # A new session (as after an hour away) keeps the progress too.
        say(restarted, sender, "/session_start")
        text, _ = say(restarted, sender, "show my progress")
        assert "Documents to gather (2 of 4 done)" in text
        starts = [
            e for e in tracker(restarted, sender)["events"] if e["event"] == "session_started"
        ]
        assert len(starts) >= 2
    finally:
        restarted.stop()
    bot.processes[:] = start_bot(bot_home).processes


def test_the_plan_downloads_as_a_calendar(bot: stack.Stack) -> None:
    sender = f"e2e-ics-{uuid.uuid4().hex[:6]}"
    text, _ = say(
        bot, sender, "I'm starting a certificate program in March 2027, when could I work?"
    )
    link = next(word for word in text.split() if "/webhooks/calendar/plan.ics" in word)
    with urllib.request.urlopen(link, timeout=10) as answer:
        assert answer.headers["Content-Type"].startswith("text/calendar")
        body = answer.read().decode()
    assert body.startswith("BEGIN:VCALENDAR") and body.count("BEGIN:VEVENT") == 4
    assert "DTSTART;VALUE=DATE:20270301" in body  # the program starts March 2027
    forged = link.replace("token=", "token=0")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(forged, timeout=10)
    assert refused.value.code == 404
