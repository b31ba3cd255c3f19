"""Which guide topics to offer when the bot is unsure what the user meant."""

from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml


def load_topic_titles(path: Path) -> dict[str, str]:
    """Read the intent -> button title map, rejecting anything but strings."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not data:
        raise ValueError(f"{path}: expected a mapping of intent names to titles")
    for intent, title in data.items():
        if not isinstance(intent, str) or not isinstance(title, str) or not title.strip():
            raise ValueError(f"{path}: entry {intent!r} needs a non-empty text title")
    return dict(data)


def candidate_topics(
    ranking: Sequence[Mapping[str, Any]],
    titles: Mapping[str, str],
    *,
    decline_intents: Collection[str] = ("out_of_scope", "immigration_legal"),
    limit: int = 2,
    min_confidence: float = 0.1,
) -> list[str]:
    """The best-ranked guide topics worth offering, most likely first.

    Small talk and the fallback itself are never offered: only intents that
    have a title are guide topics. When the likeliest reading is a question
    the guide does not answer, nothing is offered, so the bot declines.
    """
    picked: list[str] = []
    for entry in ranking:
        name = entry.get("name")
        confidence = float(entry.get("confidence") or 0.0)
        if name in decline_intents and not picked:
            return []
        if name in titles and confidence >= min_confidence and name not in picked:
            picked.append(name)
        if len(picked) == limit:
            break
    return picked
