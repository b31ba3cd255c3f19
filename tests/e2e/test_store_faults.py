"""Tracker store and lock store outages, and a Rasa restart in the middle of a form.

Real processes: a private PostgreSQL (tracker store) and a private Redis (lock
store) are stopped and started under a running bot. While one is down the user
gets a polite "try again" (never silence, never a 5xx) and the server stays up;
when it is back the conversation continues where it was.
"""

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from server.replies import load_replies
from tests.e2e.helpers import free_port, send
from tests.e2e.services import PrivatePostgres, PrivateRedis
from tests.e2e.test_rest_conversation import say, tracker
from tools.dev import stack
from tools.dev.train_if_needed import model_path

UNAVAILABLE = load_replies()["unavailable"]
TOKEN = "store-fault-token"
PLAN_QUESTION = "when will i finish if i start"
RECOVERY_SECONDS = 60


class FaultBot:
    """The action server plus a Rasa server that can be restarted on its own."""

    def __init__(self, home: Path, pg: PrivatePostgres, redis: PrivateRedis) -> None:
        self.home = home
        self.rasa_port, self.action_port = free_port(), free_port()
        self.endpoints = home / "endpoints.yml"
        self.endpoints.write_text(
            "action_endpoint:\n"
            f'  url: "http://127.0.0.1:{self.action_port}/webhook"\n'
            "tracker_store:\n"
            "  type: server.tracker_store.FastSQLTrackerStore\n"
            '  dialect: "postgresql"\n'
            '  url: "127.0.0.1"\n'
            f"  port: {pg.port}\n"
            '  db: "postgres"\n'
            '  username: "postgres"\n'
            "lock_store:\n"
            "  type: server.redis_lock.LockStore\n"
            '  url: "127.0.0.1"\n'
            f"  port: {redis.port}\n"
            "  db: 0\n",
            encoding="utf-8",
        )
        self.actions = self._start(with_action_server=True, log="first")
        self.rasa = self.actions  # until restart_rasa() splits them

    def _start(self, with_action_server: bool, log: str) -> stack.Stack:
        bot = stack.start(
            model_path(),
            token=TOKEN,
            rasa_port=self.rasa_port,
            action_port=self.action_port,
            endpoints=self.endpoints,
            log_dir=self.home / f"logs-{log}",
            with_action_server=with_action_server,
            extra_env={"CALENDAR_LINK_SECRET": "fault-test-secret"},
        )
        try:
            stack.wait_ready(bot, progress=False)
        except BaseException:
            bot.stop()
            raise
        return bot

    def restart_rasa(self) -> None:
        """Stop only the Rasa server (the action server keeps running) and start it again."""
        rasa_process = self.rasa.processes[-1]
        rasa_only = stack.Stack(self.rasa_port, None, TOKEN, [rasa_process])
        rasa_only.stop()
        if self.rasa is self.actions:
            self.actions.processes.remove(rasa_process)
        self.rasa = self._start(with_action_server=False, log=f"restart-{time.time():.0f}")

    def stop(self) -> None:
        self.rasa.stop()
        self.actions.stop()

    @property
    def log(self) -> str:
        return "".join(
            p.read_text(encoding="utf-8", errors="replace")
            for p in sorted(self.home.glob("logs-*/rasa_server.log"))
        )


@pytest.fixture(scope="module")
def services() -> Iterator[tuple[PrivatePostgres, PrivateRedis]]:
    pg, redis = PrivatePostgres(), PrivateRedis()
    try:
        pg.start()
        redis.start()
        yield pg, redis
    finally:
        pg.close()
        redis.close()


@pytest.fixture(scope="module")
def fault_bot(
    services: tuple[PrivatePostgres, PrivateRedis], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FaultBot]:
    bot = FaultBot(tmp_path_factory.mktemp("store-faults"), *services)
    try:
        yield bot
    finally:
        bot.stop()


def new_sender() -> str:
    return f"fault-{uuid.uuid4().hex[:8]}"


def answer_after_recovery(bot: stack.Stack, sender: str, text: str) -> str:
    """The first real answer once the store is back (a first retry may still fail)."""
    deadline = time.monotonic() + RECOVERY_SECONDS
    while True:
        reply, _ = say(bot, sender, text)
        if UNAVAILABLE not in reply or time.monotonic() > deadline:
            return reply
        time.sleep(1)


def asked_to_retry_while_down(
    service: PrivatePostgres | PrivateRedis, bot: stack.Stack, sender: str
) -> str:
    """With `service` stopped, a message gets the polite retry reply and Rasa keeps running.

    Returns the text sent during the outage (it carries a unique word).
    """
    lost = f"how many questions on the cma exam {uuid.uuid4().hex[:8]}"
    service.stop()
    try:
        reply = send(bot.rasa_port, sender, lost)
        assert reply.status == 200
        assert reply.texts() == [UNAVAILABLE]
        assert bot.dead() is None
    finally:
        service.start()
    return lost


def user_texts(bot: stack.Stack, sender: str) -> list[str]:
    return [e.get("text") for e in tracker(bot, sender)["events"] if e["event"] == "user"]


def assert_not_kept(bot: stack.Stack, sender: str, lost: str, before: list[str]) -> None:
    """What docs/security.md says: the message sent during the outage is neither kept nor answered
    later (the user was asked to send it again); everything stored before it is still there."""
    time.sleep(2)  # nothing is queued: give a late answer the chance to show up
    after = user_texts(bot, sender)
    assert lost not in after
    assert after[: len(before)] == before


def test_tracker_store_outage(
    fault_bot: FaultBot, services: tuple[PrivatePostgres, PrivateRedis]
) -> None:
    pg, _ = services
    bot, sender = fault_bot.rasa, new_sender()
    text, _ = say(
        bot, sender, "I'm starting a certificate program in March 2027, when could I work?"
    )
    assert "June 2028" in text
    before = user_texts(bot, sender)
    lost = asked_to_retry_while_down(pg, bot, sender)
    text = answer_after_recovery(bot, sender, "how many questions on the cma exam")
    assert "200 questions" in text
    assert_not_kept(bot, sender, lost, before)
    # Nothing was lost or forked: the plan from before the outage is still there.
    assert tracker(bot, sender)["slots"]["plan_start"] == "2027-03"
    assert "Tracker store FastSQLTrackerStore is unreachable (OperationalError" in fault_bot.log


def test_lock_store_outage(
    fault_bot: FaultBot, services: tuple[PrivatePostgres, PrivateRedis]
) -> None:
    _, redis = services
    bot, sender = fault_bot.rasa, new_sender()
    assert "welcome" in say(bot, sender, "hello")[0].lower()
    before = user_texts(bot, sender)
    lost = asked_to_retry_while_down(redis, bot, sender)
    assert "200 questions" in answer_after_recovery(
        bot, sender, "how many questions on the cma exam"
    )
    assert_not_kept(bot, sender, lost, before)
    assert "Could not handle a message (LockError: Error while acquiring lock" in fault_bot.log


def test_rasa_restart_in_the_middle_of_a_form(fault_bot: FaultBot) -> None:
    sender = new_sender()
    text, _ = say(fault_bot.rasa, sender, PLAN_QUESTION)
    assert "When do you plan to start" in text
    fault_bot.restart_rasa()
    text, _ = say(fault_bot.rasa, sender, "march 2027")
    assert "June 2028" in text and "March 2029" in text
