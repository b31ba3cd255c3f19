"""How a message about checklist progress reads (pure, no Rasa): its words and its clauses.

Words are lower-cased, stemmed (plural or singular, -ed/-ing/-ation forms) and
compared with light typos allowed ("transcrips", "tranlsation"). A message is
split into clauses (sentences, commas, "but", "and I ..."), and each clause is
told apart: something done, a question, a worry, a negation or a plan
(actions/core/item_match.py ticks items only from the "done" ones).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import pairwise


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Words an alias may contain that say nothing about which item it is.
ALIAS_STOPWORDS = _set(
    "a an the my our your their his her its of and or to for in on at by with from "
    "i i've ive me is are was were be been it"
)

_QUESTION_START = _set(
    "what whats which how when where why who whom whose should shall can could would will "
    "do does is are am was were may might must any anything wondering"
)
# "did the translation" is a terse "I did", "did you ..." is a question; same for "have".
_PRONOUNS = _set("i you we they he she it u")
_FILLERS = _set(
    "so ok okay and but well hey hi hello also then um uhm oh yes yeah ya yep great cool "
    "thanks thank alright now hmm btw anyway just"
)
_WORRY = _set(
    "scared afraid worried worry worrying worries nervous anxious anxiety fear fears "
    "fearful terrified stressed stressing panic panicking panicked confused confusing "
    "overwhelmed overwhelming struggling struggle intimidated intimidating dread dreading "
    "unsure concerned concern concerns freaking frightened hate"
)
_NEGATIONS = _set(
    "not never havent hasnt hadnt didnt dont doesnt isnt arent wasnt werent cant cannot "
    "wont couldnt shouldnt aint nope"
)
# A complaint about an item is not having done it ("the cost is too high").
_COMPLAINTS = (
    "too high",
    "too expensive",
    "too much",
    "too long",
    "too hard",
    "too far",
    "expensive",
    "afford",
    "lost",
    "rejected",
    "denied",
    "refused",
    "missing",
    "delayed",
    "stuck",
    "problem",
    "problems",
    "issue",
    "issues",
    "wrong",
    "failed",
)
# Asking in other words, or passing on what others say.
_ASKING_PHRASES = (
    "a question",
    "quick question",
    "my question",
    "question about",
    "questions about",
    "wondering",
    "curious",
    "heard that",
    "read that",
    "people say",
    "they say",
    "is it true",
)
# Contractions split on the apostrophe: "haven't" -> "haven t".
_NEGATED_STEMS = _set("haven hasn hadn didn don doesn isn aren wasn weren can won couldn")
_FUTURE_PHRASES = (
    "need to",
    "needs to",
    "have to",
    "has to",
    "got to",
    "want to",
    "wanna",
    "going to",
    "gonna",
    "plan to",
    "planning",
    "will",
    "ill",
    "should",
    "hope",
    "hoping",
    "wish",
    "about to",
    "dying to",
    "eager to",
    "excited to",
    "cant wait",
    "looking forward",
    "try to",
    "trying to",
    "yet to",
    "waiting for",
    "waiting on",
    "working on",
    "in progress",
    "being",
    "soon",
    "tomorrow",
    "next week",
    "next month",
    "later",
    "how to",
    "help me",
    "id like",
    "would like",
    "tell me",
    "explain",
    "i wonder",
    "no idea",
    "not sure",
)
# Asking the bot to tick something is as good as saying it is done.
_COMMAND_PHRASES = (
    "tick",
    "tick off",
    "check off",
    "cross off",
    "mark",
    "put a check",
    "checkmark",
)
_COMMAND_ASK = _set("can could would will please pls plz")

_SUFFIXES = (
    "ations",
    "ators",
    "ation",
    "ating",
    "ator",
    "ated",
    "ates",
    "ings",
    "ions",
    "ing",
    "ion",
    "ate",
    "ed",
    "es",
    "s",
    "e",
)


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """A light stemmer: plural/singular and -ed/-ing/-ation forms meet."""
    if len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith("ss"):
                continue
            return word[: -len(suffix)]
    return word


def _plain(text: str) -> str:
    """Lower case, accents dropped ("résumé" -> "resume"), curly apostrophes straightened."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def tokens(text: str) -> list[str]:
    """Words; "haven't" -> "havent", "I'm" -> "im"."""
    return re.findall(r"[a-z0-9]+", _plain(text).replace("'", ""))


def _raw_tokens(text: str) -> list[str]:
    """Tokens with apostrophes as breaks ("haven't" -> "haven", "t")."""
    return re.findall(r"[a-z0-9]+", _plain(text))


def typo_distance(a: str, b: str) -> int:
    """Optimal string alignment distance (a swap of two letters is one edit)."""
    if abs(len(a) - len(b)) > 2:
        return 3
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]


def is_close(word: str, alias_word: str) -> bool:
    """A light typo of alias_word (both long enough that a typo is not another word)."""
    shorter = min(len(word), len(alias_word))
    if shorter < 7 or word[0] != alias_word[0]:
        return False
    allowed = 2 if shorter >= 10 else 1
    return typo_distance(word, alias_word) <= allowed


# ---------------------------------------------------------------- clauses


_CLAUSE_BREAK = re.compile(r"[.!?;,\n]+|\bbut\b|\bthough\b|\balthough\b|\band (?=i\b|i'|we\b)")


def clauses(text: str) -> list[str]:
    """The message cut where one statement may end and another begin.

    A '?' stays on the clause it ends, so that clause still reads as a question.
    """
    lowered = _plain(text)
    parts: list[str] = []
    start = 0
    for match in _CLAUSE_BREAK.finditer(lowered):
        end = match.end() if "?" in match.group() else match.start()
        parts.append(lowered[start:end])
        start = match.end()
    parts.append(lowered[start:])
    return [part for part in parts if tokens(part)]


def _has_phrase(words: list[str], phrase: str) -> bool:
    return f" {phrase} " in " " + " ".join(words) + " "


def clause_kind(clause: str) -> str:
    """ "done" when a clause may state something done; else why it does not."""
    raw = _raw_tokens(clause)
    words = tokens(clause)
    while words and words[0] in _FILLERS:
        words = words[1:]
    if not words:
        return "empty"
    command = any(_has_phrase(words, p) for p in _COMMAND_PHRASES)
    negated = (
        any(w in _NEGATIONS for w in words)
        or any(a in _NEGATED_STEMS and b == "t" for a, b in pairwise(raw))
        or _has_phrase(words, "not yet")
        or words[0] in {"untick", "unmark", "uncheck"}
    )
    if negated:
        return "negated"
    if any(w in _WORRY for w in words) or any(_has_phrase(words, p) for p in _COMPLAINTS):
        return "worry"
    first, second = words[0], words[1] if len(words) > 1 else ""
    asks = clause.rstrip().endswith("?") or first in _QUESTION_START
    if first in {"did", "have", "has", "had"} and second in _PRONOUNS:
        asks = True
    asks = asks or any(_has_phrase(words, p) for p in _ASKING_PHRASES)
    if command and (not asks or first in _COMMAND_ASK):
        return "done"
    if asks:
        return "question"
    if any(_has_phrase(words, p) for p in _FUTURE_PHRASES):
        return "not_yet"
    if first == "if":
        return "not_yet"
    return "done"


# ---------------------------------------------------------------- scoring
