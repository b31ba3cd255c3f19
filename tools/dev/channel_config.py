"""Which chat channels can start: credentials.yml filtered by the environment.

credentials.yml names secrets as `${VAR}` (Rasa expands them when it loads the
file). A channel whose `${VAR}`s are not all set would make Rasa refuse to start,
so the effective file keeps only channels whose variables are set, and says
which are on and off. `${VAR:-default}` marks an optional, non-secret setting:
it is written out with the variable's value or the default. Secrets stay as
`${VAR}` references: the effective file never holds a secret.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")
# Friendly names for `make run`'s summary; unknown channels show their key.
LABELS = {
    "rest": "REST",
    "channels.calendar.CalendarExport": "calendar links",
    "channels.slack.SlackConnector": "Slack",
    "channels.telegram.TelegramConnector": "Telegram",
    "channels.socketio.WidgetSocketIO": "web widget",
}

# Where each chat platform posts to (shown by `make run` once the bot is ready).
WEBHOOKS = {
    "channels.slack.SlackConnector": "/webhooks/slack/webhook",
    "channels.telegram.TelegramConnector": "/webhooks/telegram/webhook",
}


def _plain_resolvers(cls: type) -> dict[Any, list[Any]]:
    """`cls`'s implicit tags minus Rasa's `!env_var` (importing Rasa adds it globally)."""
    return {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "!env_var"]
        for first, resolvers in cls.yaml_implicit_resolvers.items()  # type: ignore[attr-defined]
    }


class _Loader(yaml.SafeLoader):
    """Reads `${VAR}` as the text it is: Rasa expands it later, in the server."""

    yaml_implicit_resolvers = _plain_resolvers(yaml.SafeLoader)


class _Dumper(yaml.SafeDumper):
    """Writes `${VAR}` unquoted: Rasa only expands plain scalars."""

    yaml_implicit_resolvers = _plain_resolvers(yaml.SafeDumper)


@dataclass(frozen=True)
class ChannelStatus:
    key: str
    missing: tuple[str, ...]  # unset required variables; empty = the channel starts

    @property
    def enabled(self) -> bool:
        return not self.missing

    @property
    def label(self) -> str:
        return LABELS.get(self.key, self.key)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def required_variables(settings: Any) -> list[str]:
    """`${VAR}`s (without a default) used anywhere in a channel's settings."""
    found = [m for s in _strings(settings) for m in VARIABLE.finditer(s)]
    return sorted({m.group(1) for m in found if m.group(2) is None})


def _with_defaults(value: Any, env: Mapping[str, str]) -> Any:
    """Replace `${VAR:-default}` by the variable's value (or the default)."""
    if isinstance(value, str):
        return VARIABLE.sub(
            lambda m: m.group(0) if m.group(2) is None else (env.get(m.group(1)) or m.group(2)),
            value,
        )
    if isinstance(value, Mapping):
        return {k: _with_defaults(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [_with_defaults(v, env) for v in value]
    return value


def resolve(
    config: Mapping[str, Any], env: Mapping[str, str]
) -> tuple[dict[str, Any], list[ChannelStatus]]:
    """The channels that can start (defaults filled in) and every channel's status."""
    effective: dict[str, Any] = {}
    statuses = []
    for key, settings in config.items():
        missing = tuple(v for v in required_variables(settings) if not env.get(v))
        statuses.append(ChannelStatus(str(key), missing))
        if not missing:
            effective[key] = _with_defaults(settings, env)
    return effective, statuses


def write_effective(
    source: Path, env: Mapping[str, str], target: Path
) -> tuple[Path, list[ChannelStatus]]:
    """Write the startable part of `source` to `target`."""
    # _Loader is a yaml.SafeLoader subclass: no arbitrary objects.
    config = yaml.load(source.read_text(encoding="utf-8"), Loader=_Loader) or {}  # nosec B506
    if not isinstance(config, Mapping):
        raise ValueError(f"{source} must be a mapping of channel name to settings")
    effective, statuses = resolve(config, env)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(
        f"# Generated from {source.name} by tools/dev/channel_config.py; edit that file.\n"
        + yaml.dump(effective, Dumper=_Dumper, sort_keys=False, allow_unicode=True),
        encoding="utf-8",
    )
    return target, statuses


def describe(statuses: list[ChannelStatus]) -> str:
    """A few lines for `make run`: which channels are on, and what the others need."""
    lines = ["Channels:"]
    for status in statuses:
        if status.enabled:
            lines.append(f"  on   {status.label}")
        else:
            lines.append(f"  off  {status.label} (set {', '.join(status.missing)} to enable)")
    return "\n".join(lines)


def webhook_lines(statuses: list[ChannelStatus], base_url: str) -> str:
    """`  Slack  POST http://.../webhooks/slack/webhook` for each running chat platform."""
    return "".join(
        f"  {s.label:<13} POST {base_url}{WEBHOOKS[s.key]}\n"
        for s in statuses
        if s.enabled and s.key in WEBHOOKS
    )
