"""The answer of a live topic (docs/live-topics.md), read from the live-topics store.

The store's files are written by tools/operators/live.py; the answer is stored
already rendered (text ending in its source line, buttons as title/payload), the
same as the trained `utter_<topic>` will read. No Rasa imports.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DIR = Path(__file__).resolve().parent.parent.parent / "live_topics"
NAME = re.compile(r"^[a-z][a-z0-9_]{2,47}$")


def store_dir() -> Path:
    return Path(os.environ.get("IMGCMA_LIVE_DIR") or DEFAULT_DIR)


@dataclass(frozen=True)
class LiveAnswer:
    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)


def live_answer(name: str, folder: Path | None = None) -> LiveAnswer | None:
    """The stored answer of live topic `name`, or None (withdrawn, unknown, unreadable)."""
    if not NAME.match(name or ""):
        return None
    path = (folder or store_dir()) / f"{name}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        answer = data["answer"]
        text = str(answer["text"]).strip()
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if data.get("kind") != "topic" or not text:
        return None
    buttons = [
        {"title": str(b["title"]), "payload": str(b["payload"])}
        for b in answer.get("buttons") or []
        if isinstance(b, dict) and b.get("title") and b.get("payload")
    ]
    return LiveAnswer(text, buttons)
