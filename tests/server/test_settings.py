"""Settings from the environment and the start-up refusals."""

import pytest

from server import settings as safety
from server.replies import KEYS, load_replies


def test_defaults() -> None:
    config = safety.from_env({})
    assert not config.production
    assert config.max_message_chars == 2000
    assert config.sender_per_minute == 60 and config.ip_per_minute == 600


def test_production_and_origins() -> None:
    config = safety.from_env(
        {"IMGCMA_ENV": "Production", "ALLOWED_ORIGINS": "https://a.org, https://b.org,"}
    )
    assert config.production
    assert config.allowed_origins == ("https://a.org", "https://b.org")


@pytest.mark.parametrize("value", ["lots", "-1"])
def test_bad_numbers_stop_start_up(value: str) -> None:
    with pytest.raises(SystemExit, match="RATE_LIMIT_PER_IP"):
        safety.from_env({"RATE_LIMIT_PER_IP": value})


def test_api_needs_a_token() -> None:
    assert safety.check_command_line(["run", "--enable-api"]) is not None
    assert safety.check_command_line(["run", "--enable-api", "--auth-token", "t"]) is None
    assert safety.check_command_line(["run", "--enable-api", "--auth-token=t"]) is None
    assert safety.check_command_line(["run"]) is None
    assert safety.check_command_line(["shell"]) is None
    with pytest.raises(SystemExit):
        safety.apply(["run", "--enable-api"], safety.Settings(), env={})


def test_production_drops_debug_logging() -> None:
    env = {"LOG_LEVEL": "DEBUG"}
    argv = safety.apply(["run", "--debug", "--port", "1"], safety.Settings(production=True), env)
    assert argv == ["run", "--port", "1"]
    assert env["LOG_LEVEL"] == "INFO"
    argv = safety.apply(["run", "--debug"], safety.Settings(log_user_text=True), env={})
    assert argv == ["run", "--debug"], "LOG_USER_TEXT=1 keeps debug logging"
    env = {"LOG_LEVEL": "DEBUG", "LOG_USER_TEXT": "1"}
    config = safety.from_env({"IMGCMA_ENV": "production", "LOG_USER_TEXT": "1"})
    assert safety.apply(["run", "-vv"], config, env) == ["run"], "production ignores it"
    assert env["LOG_LEVEL"] == "INFO"


def test_debug_logging_needs_log_user_text() -> None:
    assert not safety.from_env({}).log_user_text
    assert safety.from_env({"LOG_USER_TEXT": "1"}).log_user_text
    env = {"LOG_LEVEL": "DEBUG"}
    assert safety.apply(["run", "--debug", "-vv"], safety.from_env({}), env) == ["run"]
    assert env["LOG_LEVEL"] == "INFO"


def test_replies_file_is_complete() -> None:
    replies = load_replies()
    assert set(replies) == set(KEYS)
    assert all("\n" not in text for text in replies.values())


def test_missing_reply_is_named(tmp_path) -> None:
    path = tmp_path / "replies.yml"
    path.write_text("empty: hi\n", encoding="utf-8")
    with pytest.raises(ValueError, match="too_long"):
        load_replies(path)
