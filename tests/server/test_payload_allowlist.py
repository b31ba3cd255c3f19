"""Only the bot's own button payloads are accepted as intents."""

import ast
import re
from pathlib import Path

import pytest
import yaml

from server.payload_allowlist import Payload, load_allowlist, parse_payload

ROOT = Path(__file__).resolve().parents[2]
ALLOWLIST = load_allowlist()


def test_parse() -> None:
    assert parse_payload("/greet") == Payload("greet")
    assert parse_payload('/show_checklist{"checklist":"documents"}') == Payload(
        "show_checklist", (("checklist", "documents"),)
    )
    for text in ["greet", "/greet@0.9", '/a{"x": 1}', "/a{not json}", '/a["x"]', "/a b"]:
        assert parse_payload(text) is None, text


def test_every_domain_button_is_allowed() -> None:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    payloads = re.findall(r"payload: (/\S+)", (ROOT / "domain.yml").read_text(encoding="utf-8"))
    assert payloads and domain["responses"]
    for payload in payloads:
        assert ALLOWLIST.allows(payload), payload


def test_every_did_you_mean_button_is_allowed() -> None:
    topics = yaml.safe_load((ROOT / "data/content/topics.yml").read_text(encoding="utf-8"))
    for topic in topics:
        assert ALLOWLIST.allows(f"/{topic}")
    assert ALLOWLIST.allows("/out_of_scope")


def _literal_payloads() -> list[str]:
    """Every literal "payload": "/..." string in the custom actions."""
    found = []
    for path in (ROOT / "actions").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if (
                        isinstance(key, ast.Constant)
                        and key.value == "payload"
                        and isinstance(value, ast.Constant)
                    ):
                        found.append(value.value)
    return found


def test_every_literal_action_payload_is_allowed() -> None:
    payloads = _literal_payloads()
    assert "/show_progress" in payloads
    for payload in payloads:
        assert ALLOWLIST.allows(payload), payload


def test_every_checklist_button_the_actions_build_is_allowed() -> None:
    from actions.action_checklists import SOURCE, choice_buttons, done_button

    checklists = SOURCE.get()
    buttons = choice_buttons(checklists)
    buttons += [done_button(c, item) for c in checklists.values() for item in c.items]
    assert len(buttons) > len(checklists)
    for button in buttons:
        assert ALLOWLIST.allows(button["payload"]), button


@pytest.mark.parametrize(
    "payload",
    [
        '/timeline{"program_type": "hacked"}',
        '/greet{"plan_start": "2020-01"}',
        '/mark_item_done{"checklist_item": "documents.x", "program_type": "x"}',
        '/mark_item_done{"checklist_item": "../../etc"}',
        '/show_checklist{"checklist": "a b"}',
        "/inform",
        "/nlu_fallback",
    ],
)
def test_injected_payloads_are_refused(payload: str) -> None:
    assert not ALLOWLIST.allows(payload)
