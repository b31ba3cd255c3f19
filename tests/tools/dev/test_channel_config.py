"""Which channels start, from credentials.yml and the environment."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.conftest import ROOT
from tools.dev.channel_config import describe, resolve, webhook_lines, write_effective

SLACK = "channels.slack.SlackConnector"
TELEGRAM = "channels.telegram.TelegramConnector"
WIDGET = "channels.socketio.WidgetSocketIO"


def test_channels_without_their_variables_are_left_out_and_named() -> None:
    config = yaml.safe_load((ROOT / "credentials.yml").read_text())
    effective, statuses = resolve(config, {"SLACK_BOT_TOKEN": "x", "SLACK_SIGNING_SECRET": "y"})
    assert list(effective) == ["rest", "channels.calendar.CalendarExport", WIDGET, SLACK]
    summary = describe(statuses)
    assert "on   web widget" in summary
    assert "on   Slack" in summary
    assert "off  Telegram (set TELEGRAM_BOT_TOKEN" in summary


def test_secrets_stay_references_and_optional_settings_get_defaults() -> None:
    config = {SLACK: {"token": "${TOKEN}", "url": "${URL:-https://slack.com/api/}"}}
    effective, _ = resolve(config, {"TOKEN": "secret-value"})
    assert effective[SLACK] == {"token": "${TOKEN}", "url": "https://slack.com/api/"}
    effective, _ = resolve(config, {"TOKEN": "t", "URL": "http://127.0.0.1:1/api/"})
    assert effective[SLACK]["url"] == "http://127.0.0.1:1/api/"


def test_an_empty_variable_counts_as_unset() -> None:
    _, [status] = resolve({TELEGRAM: {"access_token": "${T}"}}, {"T": ""})
    assert not status.enabled
    assert status.missing == ("T",)


def test_the_effective_file_is_what_rasa_reads(tmp_path: Path, monkeypatch) -> None:
    import rasa.shared.utils.io  # the loader that expands ${VAR} (and changes PyYAML globally)

    env = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}
    path, _ = write_effective(ROOT / "credentials.yml", env, tmp_path / "c.yml")
    assert "xoxb-1" not in path.read_text()
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    loaded = rasa.shared.utils.io.read_config_file(str(path))
    assert loaded[SLACK]["slack_token"] == "xoxb-1"
    assert loaded[SLACK]["use_threads"] == "false"
    assert TELEGRAM not in loaded
    assert "rest" in loaded


def test_make_run_lists_the_webhooks_of_running_platforms() -> None:
    config = yaml.safe_load((ROOT / "credentials.yml").read_text())
    _, statuses = resolve(
        config,
        {"TELEGRAM_BOT_TOKEN": "t", "TELEGRAM_WEBHOOK_URL": "u", "TELEGRAM_WEBHOOK_SECRET": "s"},
    )
    lines = webhook_lines(statuses, "http://localhost:5005")
    assert lines == "  Telegram      POST http://localhost:5005/webhooks/telegram/webhook\n"
