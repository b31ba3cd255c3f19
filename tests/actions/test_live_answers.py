"""actions/core/live_answers.py: a live topic's answer read from the store."""

import json
from pathlib import Path

from actions.core.live_answers import live_answer


def write(folder: Path, name: str, data: dict) -> None:
    (folder / f"{name}.json").write_text(json.dumps(data), encoding="utf-8")


def test_the_stored_answer_and_buttons_come_back(tmp_path: Path) -> None:
    write(
        tmp_path,
        "bls_cpr_card",
        {
            "kind": "topic",
            "answer": {
                "text": "Get a BLS card.\n\n📖 Source: https://ex.org (last verified 2026-11-20)",
                "buttons": [{"title": "The externship", "payload": "/externship"}, {"title": ""}],
            },
        },
    )
    answer = live_answer("bls_cpr_card", tmp_path)
    assert answer is not None and answer.text.endswith("(last verified 2026-11-20)")
    assert answer.buttons == [{"title": "The externship", "payload": "/externship"}]


def test_withdrawn_unknown_or_odd_names_give_none(tmp_path: Path) -> None:
    assert live_answer("bls_cpr_card", tmp_path) is None
    write(tmp_path, "labels-1", {"kind": "examples"})
    assert live_answer("labels-1", tmp_path) is None  # not a topic name
    assert live_answer("../secrets", tmp_path) is None
    (tmp_path / "broken_topic.json").write_text("{", encoding="utf-8")
    assert live_answer("broken_topic", tmp_path) is None
