""" "Delete my data": the bot asks first, then the conversation leaves the tracker store."""

import sqlite3
import uuid
from pathlib import Path

from server.replies import load_replies
from tests.e2e.test_rest_conversation import say, tracker
from tools.dev import stack

REPLIES = load_replies()
PLAN = "I'm starting a certificate program in March 2027, when could I work?"
CONFIRM_QUESTION = "Do you want me to delete this whole conversation"


def stored_events(home: Path, sender: str) -> int:
    with sqlite3.connect(home / "tracker.db") as db:
        return db.execute("SELECT count(*) FROM events WHERE sender_id = ?", (sender,)).fetchone()[
            0
        ]


def sender() -> str:
    return f"e2e-privacy-{uuid.uuid4().hex[:8]}"


def test_delete_after_the_confirm_button(bot: stack.Stack, bot_home: Path) -> None:
    user = sender()
    assert "June 2028" in say(bot, user, PLAN)[0]
    text, buttons = say(bot, user, "please wipe the personal data you keep about me")
    assert CONFIRM_QUESTION in text
    assert [b["payload"] for b in buttons] == ["/confirm_delete_data", "/keep_my_data"]
    assert stored_events(bot_home, user) > 0
    text, _ = say(bot, user, buttons[0]["payload"])
    assert text == REPLIES["data_deleted"]
    assert stored_events(bot_home, user) == 0
    # The user can go on, as a new conversation that knows nothing of the plan.
    assert "welcome" in say(bot, user, "hello")[0].lower()
    assert tracker(bot, user)["slots"]["plan_start"] is None


def test_a_typed_yes_confirms(bot: stack.Stack, bot_home: Path) -> None:
    user = sender()
    say(bot, user, PLAN)
    assert CONFIRM_QUESTION in say(bot, user, "delete my data")[0]
    assert say(bot, user, "Yes")[0] == REPLIES["data_deleted"]
    assert stored_events(bot_home, user) == 0


def test_no_keeps_everything(bot: stack.Stack, bot_home: Path) -> None:
    user = sender()
    say(bot, user, PLAN)
    assert CONFIRM_QUESTION in say(bot, user, "erase my personal information")[0]
    assert say(bot, user, "no")[0] == REPLIES["data_kept"]
    assert stored_events(bot_home, user) > 0
    assert tracker(bot, user)["slots"]["plan_start"] == "2027-03"


def test_yes_without_the_question_deletes_nothing(bot: stack.Stack, bot_home: Path) -> None:
    user = sender()
    say(bot, user, PLAN)
    text, _ = say(bot, user, "yes")
    assert text != REPLIES["data_deleted"]
    assert stored_events(bot_home, user) > 0
