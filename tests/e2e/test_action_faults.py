"""When the action server is down or hangs, the user still gets a polite reply."""

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tools.dev import stack
from tools.dev.train_if_needed import model_path

RASA_PORT, DEAD_ACTION_PORT = stack.port(5405), stack.port(5455)
TIMEOUT_SECONDS = 2
TIMELINE_QUESTION = "if i start a certificate in may 2027 when could i work"


@pytest.fixture(scope="module")
def rasa_without_actions(tmp_path_factory: pytest.TempPathFactory) -> Iterator[stack.Stack]:
    home = tmp_path_factory.mktemp("faults")
    endpoints = stack.write_endpoints(home / "endpoints.yml", DEAD_ACTION_PORT, home / "tracker.db")
    bot = stack.start(
        model_path(),
        token="fault-test-token",
        rasa_port=RASA_PORT,
        endpoints=endpoints,
        log_dir=home / "logs",
        extra_env={"ACTION_TIMEOUT_SECONDS": str(TIMEOUT_SECONDS)},
        with_action_server=False,
    )
    try:
        stack.wait_ready(bot, progress=False)
        yield bot
    finally:
        bot.stop()


def reply_text(bot: stack.Stack, text: str) -> str:
    return "\n".join(r.get("text", "") for r in stack.ask(bot.url, f"fault-{time.time()}", text))


def test_action_server_down_gets_an_apology(rasa_without_actions: stack.Stack) -> None:
    text = reply_text(rasa_without_actions, TIMELINE_QUESTION)
    assert "something went wrong on my side" in text


def test_guide_answers_need_no_action_server(rasa_without_actions: stack.Stack) -> None:
    assert "200 questions" in reply_text(rasa_without_actions, "how many questions on the cma exam")


@pytest.fixture
def hanging_action_server() -> Iterator[None]:
    """Accepts connections on the action port and never answers."""
    listener = socket.create_server(("127.0.0.1", DEAD_ACTION_PORT))
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    listener.close()


def test_hanging_action_server_times_out_politely(
    rasa_without_actions: stack.Stack, hanging_action_server: None
) -> None:
    started = time.monotonic()
    text = reply_text(rasa_without_actions, TIMELINE_QUESTION)
    assert "something went wrong on my side" in text
    assert time.monotonic() - started < TIMEOUT_SECONDS + 8


def test_logs_name_the_failed_action(rasa_without_actions: stack.Stack) -> None:
    log = Path(rasa_without_actions.logs[1]).read_text(encoding="utf-8", errors="replace")
    # The timeline form's validation is the first custom action the question reaches.
    assert "Custom action 'validate_timeline_form' failed" in log
