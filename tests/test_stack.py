"""scripts/stack.py helpers that need no running bot."""

from __future__ import annotations

import re

from scripts import stack


def test_generated_tokens_are_long_hex_so_never_read_as_an_option() -> None:
    tokens = {stack.new_token() for _ in range(200)}
    assert len(tokens) == 200
    assert all(re.fullmatch(r"[0-9a-f]{48}", t) for t in tokens)
