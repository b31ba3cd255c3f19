"""The Slack app manifest creates an app this connector can serve."""

from pathlib import Path

import yaml

MANIFEST = Path(__file__).resolve().parents[2] / "deploy" / "slack-app-manifest.yml"
# The bot scope each subscribed event needs (api.slack.com/events).
EVENT_SCOPES = {"app_mention": "app_mentions:read", "message.im": "im:history"}


def test_manifest_subscribes_the_events_the_connector_answers_with_their_scopes() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    events = manifest["settings"]["event_subscriptions"]["bot_events"]
    assert set(events) == set(EVENT_SCOPES)
    # chat:write posts the answers; files:write uploads the plan picture.
    assert {EVENT_SCOPES[e] for e in events} | {"chat:write", "files:write"} == scopes
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True


def test_events_and_button_clicks_go_to_the_slack_webhook() -> None:
    settings = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))["settings"]
    for url in (
        settings["event_subscriptions"]["request_url"],
        settings["interactivity"]["request_url"],
    ):
        assert url.startswith("https://")
        assert url.endswith("/webhooks/slack/webhook")
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["socket_mode_enabled"] is False
