"""The server's own polite replies, from data/security/replies.yml. No Rasa imports."""

from __future__ import annotations

from pathlib import Path

import yaml

PATH = Path(__file__).resolve().parent.parent / "data" / "security" / "replies.yml"
KEYS = (
    "empty",
    "too_long",
    "not_understood",
    "rate_limited",
    "unavailable",
    "not_loaded",
    "data_deleted",
    "data_kept",
    "english_only",
)


def load_replies(path: Path = PATH) -> dict[str, str]:
    """Every reply by key; raises ValueError naming a missing or empty one."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    missing = [k for k in KEYS if not isinstance(data.get(k), str) or not data[k].strip()]
    if missing:
        raise ValueError(f"{path}: missing or empty replies: {', '.join(missing)}")
    return {k: " ".join(data[k].split()) for k in KEYS}
