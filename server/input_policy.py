"""What to do with a user's message before the assistant sees it. No Rasa imports.

Every message gets exactly one verdict: pass it on (cleaned), or answer it
politely ourselves because it is empty, too long, or code rather than words.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from server.payload_allowlist import PayloadAllowlist

DEFAULT_MAX_CHARS = 2000
# A too-long message that describes an emergency or self-harm is still read,
# up to this many times the limit, so its safety reply is not lost.
URGENT_MAX_FACTOR = 4


class Kind(str, Enum):
    # bandit B105 takes "pass" for a password; it is a verdict name.
    PASS = "pass"  # nosec B105
    PAYLOAD = "payload"
    EMPTY = "empty"
    TOO_LONG = "too_long"
    NOT_UNDERSTOOD = "not_understood"


@dataclass(frozen=True)
class Verdict:
    kind: Kind
    text: str = ""  # what to hand to the assistant when kind is PASS or PAYLOAD


# Script and style blocks lose their content; every other tag just disappears.
_BLOCKS = re.compile(r"<\s*(script|style)\b[^>]*>.*?(<\s*/\s*\1\s*>|$)", re.I | re.S)
_COMMENTS = re.compile(r"<!--.*?(-->|$)", re.S)
_TAGS = re.compile(r"<\s*/?\s*[A-Za-z!][^<>]{0,500}>")
# Invisible characters that can hide or reorder text: bidi overrides/isolates,
# LRM/RLM, zero-width space, BOM, the replacement character of bad UTF-8.
# ZWJ/ZWNJ stay: emoji sequences and Persian script need them.
_INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u200b\ufeff\ufffd]")
_SPACES = re.compile(r"\s+")
_CATEGORY_REPLACEMENTS = {"Cc": " ", "Cs": ""}

# SQL injection shapes. Each needs SQL punctuation or a phrase nobody writes in
# a question about medical assisting, so "delete this item from my list" passes.
_SQL = re.compile(
    r"""(?ix)
      ['"`]\s*\)?\s*;\s*(drop|delete|insert|update|alter|truncate|exec(ute)?|select|shutdown)\b
    | ;\s*(delete\s+from\s+\w+\s*(;|$|\bwhere\b)|insert\s+into\b|update\s+\w+\s+set\s+\w+\s*=)
    | \bunion\s+(all\s+)?select\b
    | \b(drop|truncate)\s+(table|database|schema)\b
    | \bselect\s+\*\s+from\b
    | \binsert\s+into\s+\w+\s*(\(|values\b)
    | ['"]\s*or\s+['"]?\w+['"]?\s*=\s*['"]?\w+
    | ['"]\s*;?\s*--
    | /\*.*?\*/
    | \b(pg_sleep|sleep|benchmark)\s*\(\s*\d
    | \bwaitfor\s+delay\b
    | \bxp_cmdshell\b
    """
)
_YES = {
    "yes",
    "y",
    "yeah",
    "yep",
    "sure",
    "ok",
    "okay",
    "confirm",
    "yes please",
    "yes delete",
    "yes, delete",
    "yes delete it",
    "yes, delete it",
    "yes delete my data",
    "yes, delete my data",
    "delete",
    "delete it",
    "do it",
}
_NO = {"no", "n", "nope", "no thanks", "no, keep it", "no keep it", "keep it", "cancel", "don't"}


def _strip_markup(text: str) -> str:
    text = _BLOCKS.sub(" ", text)
    text = _COMMENTS.sub(" ", text)
    text = _TAGS.sub(" ", text)
    return html.unescape(text)


def clean(text: str) -> str:
    """The words of `text`: markup, control and invisible characters removed, spaces collapsed."""
    text = unicodedata.normalize("NFC", text)
    text = _strip_markup(text)
    text = _INVISIBLE.sub("", text)
    # Control characters (C0/C1, DEL) become spaces so words stay apart; lone
    # surrogates (JSON "\ud800") cannot even be stored as UTF-8, so they go.
    text = "".join(_CATEGORY_REPLACEMENTS.get(unicodedata.category(ch), ch) for ch in text)
    return _SPACES.sub(" ", text).strip()


def looks_like_sql(text: str) -> bool:
    return _SQL.search(text) is not None


def _urgent_or(kind: Kind, words: str, urgent: Callable[[str], bool] | None) -> Verdict:
    """Pass `words` on when they describe an emergency or self-harm, else answer with `kind`."""
    if urgent is not None and words and urgent(words):
        return Verdict(Kind.PASS, words)
    return Verdict(kind)


def examine(
    text: object,
    allowlist: PayloadAllowlist,
    max_chars: int = DEFAULT_MAX_CHARS,
    urgent: Callable[[str], bool] | None = None,
) -> Verdict:
    """Decide what happens to one incoming message.

    `urgent` (the safety rules) rescues a too-long or SQL-looking message that
    describes an emergency or self-harm: it reaches the assistant, whose safety
    reply then comes first.
    """
    if not isinstance(text, str) or not text.strip():
        return Verdict(Kind.EMPTY)
    if len(text) > max_chars:
        return _urgent_or(Kind.TOO_LONG, clean(text)[: URGENT_MAX_FACTOR * max_chars], urgent)
    if text.strip().startswith("/") and allowlist.allows(text):
        return Verdict(Kind.PAYLOAD, text.strip())
    if looks_like_sql(text):
        return _urgent_or(Kind.NOT_UNDERSTOOD, clean(text), urgent)
    words = clean(text)
    # Anything else starting with "/" is plain text, never an intent.
    words = words.lstrip("/ ").strip()
    if not words:
        # Only tags, control characters or slashes: nothing to read.
        return Verdict(Kind.NOT_UNDERSTOOD)
    if looks_like_sql(words):
        return _urgent_or(Kind.NOT_UNDERSTOOD, words, urgent)
    return Verdict(Kind.PASS, words)


def _simple(text: str) -> str:
    return _SPACES.sub(" ", text.lower().strip(" .!")).strip()


def is_yes(text: str) -> bool:
    """A typed confirmation, e.g. "yes" or "Yes, delete it!"."""
    return _simple(text) in _YES


def is_no(text: str) -> bool:
    return _simple(text) in _NO
