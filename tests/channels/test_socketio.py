"""The widget channel's checks on what a browser sends (the full flow: test_widget_browser)."""

import pytest

from channels.socketio import SESSION_SECRET_VAR, WidgetSocketIO
from channels.widget_policy import issue_session_id
from server.settings import from_env

SECRET = "socketio-test-secret"
SESSION = issue_session_id(SECRET)


@pytest.fixture
def channel(monkeypatch: pytest.MonkeyPatch) -> WidgetSocketIO:
    monkeypatch.setenv(SESSION_SECRET_VAR, SECRET)
    return WidgetSocketIO.from_credentials({"session_persistence": True})


def test_a_normal_message_passes(channel: WidgetSocketIO) -> None:
    assert channel._problem_with({"message": "hi", "session_id": SESSION}) is None


def test_length_is_left_to_the_server_setting(channel: WidgetSocketIO) -> None:
    # One limit for every channel: server/message_guard.py applies MAX_MESSAGE_CHARS and
    # lets a long emergency through; the widget must not refuse such a message first.
    long = "x" * (from_env({}).max_message_chars + 1)
    assert channel._problem_with({"message": long, "session_id": SESSION}) is None


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ("just a string", "could not read"),
        (None, "could not read"),
        ({"message": 42, "session_id": SESSION}, "could not read"),
        ({"message": "hi"}, "lost its session"),
        ({"message": "hi", "session_id": "../../etc"}, "lost its session"),
        # A plain id the browser chose (e.g. someone else's sender id) is not accepted.
        ({"message": "hi", "session_id": "0123456789abcdef"}, "lost its session"),
    ],
)
def test_bad_input_gets_a_polite_answer(channel: WidgetSocketIO, data: object, says: str) -> None:
    assert says in (channel._problem_with(data) or "")


def test_it_is_registered_with_session_persistence() -> None:
    import yaml

    from tests.conftest import ROOT

    credentials = yaml.safe_load((ROOT / "credentials.yml").read_text(encoding="utf-8"))
    assert credentials["channels.socketio.WidgetSocketIO"]["session_persistence"] is True
