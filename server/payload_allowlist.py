"""Which "/intent{...}" payloads a user may send: only the ones the bot's own buttons send.

Rasa reads any message starting with "/" as an intent with entities, so without
this anyone could type `/timeline{"program_type": "x"}` and set slots. The
allowlist is derived from the domain's buttons, the topic buttons of "did you
mean...?" and data/security/allowed_payloads.yml. No Rasa imports.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
_PAYLOAD = re.compile(r"/(?P<intent>[A-Za-z0-9_]{1,64})(?P<entities>\{.*\})?", re.DOTALL)


@dataclass(frozen=True)
class Payload:
    """A parsed "/intent{json}" message."""

    intent: str
    entities: tuple[tuple[str, str], ...] = ()


def parse_payload(text: str) -> Payload | None:
    """The payload in `text`, or None unless it is exactly "/intent" or "/intent{...}".

    Rasa's other forms (confidence "@0.9", entity lists) are deliberately not
    parsed: the bot's buttons never send them, so they are not allowed.
    """
    match = _PAYLOAD.fullmatch(text.strip())
    if match is None:
        return None
    raw = match.group("entities")
    if not raw:
        return Payload(match.group("intent"))
    try:
        entities = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(entities, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in entities.items()
    ):
        return None
    return Payload(match.group("intent"), tuple(sorted(entities.items())))


@dataclass
class PayloadAllowlist:
    """Exact payloads, plus intents whose entity values must match patterns."""

    exact: set[Payload] = field(default_factory=set)
    patterns: dict[str, dict[str, re.Pattern[str]]] = field(default_factory=dict)

    def allows(self, text: str) -> bool:
        payload = parse_payload(text)
        if payload is None:
            return False
        if payload in self.exact:
            return True
        rules = self.patterns.get(payload.intent)
        if not rules or not payload.entities:
            return False
        return all(
            name in rules and rules[name].fullmatch(value) for name, value in payload.entities
        )

    def add(self, text: str) -> None:
        payload = parse_payload(text)
        if payload is None:
            raise ValueError(f"not a payload: {text!r}")
        self.exact.add(payload)


def _button_payloads(node: Any) -> Iterator[str]:
    """Every `payload:` string anywhere under `node` (responses nest buttons in lists)."""
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key == "payload" and isinstance(value, str) and value.startswith("/"):
                yield value
            else:
                yield from _button_payloads(value)
    elif isinstance(node, list):
        for item in node:
            yield from _button_payloads(item)


def _read_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load_allowlist(root: Path = ROOT) -> PayloadAllowlist:
    """Build the allowlist from the project's files (raises ValueError on a bad config)."""
    allowlist = PayloadAllowlist()
    domain = _read_yaml(root / "domain.yml") or {}
    for payload in _button_payloads(domain.get("responses") or {}):
        allowlist.add(payload)
    topics = _read_yaml(root / "data" / "content" / "topics.yml") or {}
    for topic in topics:
        allowlist.add(f"/{topic}")
    config = _read_yaml(root / "data" / "security" / "allowed_payloads.yml") or {}
    for payload in config.get("exact") or []:
        allowlist.add(payload)
    for intent, entities in (config.get("with_entities") or {}).items():
        if not isinstance(entities, dict) or not entities:
            raise ValueError(f"allowed_payloads.yml: {intent} needs entity patterns")
        allowlist.patterns[intent] = {name: re.compile(rx) for name, rx in entities.items()}
    return allowlist
