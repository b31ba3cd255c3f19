"""Text normalisation shared by the checks, the label import and the review export."""

from __future__ import annotations

import re
import unicodedata

_FOLD = {"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"}
_WORD = re.compile(r"[a-z0-9$]+(?:'[a-z]+)?")
# Words too common to tell two questions apart.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "i",
        "me",
        "my",
        "we",
        "you",
        "your",
        "is",
        "are",
        "am",
        "be",
        "to",
        "of",
        "in",
        "on",
        "for",
        "and",
        "or",
        "it",
        "this",
        "that",
        "do",
        "does",
        "can",
        "could",
        "would",
        "should",
        "will",
        "what",
        "how",
        "which",
        "who",
        "when",
        "where",
        "why",
        "with",
        "as",
        "at",
        "by",
        "from",
        "about",
        "so",
        "if",
        "any",
        "there",
        "have",
        "has",
        "get",
        "im",
        "i'm",
        "whats",
        "what's",
        "please",
    ]
)


def fold(text: str) -> str:
    """Lower-case text with curly quotes, dashes and spacing folded."""
    text = unicodedata.normalize("NFKC", text)
    for curly, straight in _FOLD.items():
        text = text.replace(curly, straight)
    return re.sub(r"\s+", " ", text).strip().lower()


def normalize(text: str) -> str:
    """The comparison key of an example: folded words only, no punctuation."""
    return " ".join(_WORD.findall(fold(text)))


def words(text: str) -> frozenset[str]:
    """The set of words of a text (stopwords kept: short questions need them)."""
    return frozenset(_WORD.findall(fold(text)))


def content_words(text: str) -> frozenset[str]:
    """The set of words that carry meaning."""
    return frozenset(w for w in _WORD.findall(fold(text)) if w not in STOPWORDS)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)
