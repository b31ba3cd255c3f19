"""Typed settings from credentials.yml, where environment variables arrive as strings."""

from __future__ import annotations

from typing import Any

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


def flag(value: Any, default: bool) -> bool:
    """`true`/`"true"`/`"1"` -> True; a typo is an error, not a silent default."""
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise ValueError(f"expected true or false, got {value!r}")


def number(value: Any, default: float) -> float:
    if value is None or str(value).strip() == "":
        return default
    result = float(value)
    if result <= 0:
        raise ValueError(f"expected a positive number, got {value!r}")
    return result
