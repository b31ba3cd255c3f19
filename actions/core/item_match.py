"""Which checklist item a "I already have / got / did X" message means (pure, no Rasa).

Two questions, answered in order:

1. Is the message about something already done? A question ("what is the
   format?"), a worry ("I'm scared of the multiple choice format"), a negation
   ("I haven't got the translation yet") or a plan ("I need to get them
   translated") is not, and ticks nothing. A message is split into clauses
   (sentences, commas, "but", "and I ..."); only the clauses that state
   something done (or ask to tick something: "please mark X as done") count.

2. Which item? Every item of every checklist is scored against the words of
   those clauses: an alias counts when all its words appear (plural or
   singular, -ed/-ing/-ation forms, light typos such as "transcrips" or
   "tranlsation"), and an item scores the number of message words its matching
   aliases cover (a typo counts a little less). So the longest, most specific
   phrase wins: "my transcripts translated into english" is the translation
   (the alias "transcripts translated" covers two words) and not the
   transcripts (one word). On a tie, the active checklist's item wins; if it is
   still a tie, the answer is "ambiguous" and the caller asks which one.

Operators tune this through `aliases` in data/content/checklists.yml.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

from actions.core.checklists import Checklist, Item

DONE, AMBIGUOUS, NONE, NOT_DONE = "done", "ambiguous", "none", "not_done"
FUZZY_WEIGHT = 0.8
# How close two scores must be to count as a tie.
TIE = 1e-9


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Words an alias may contain that say nothing about which item it is.
_ALIAS_STOPWORDS = _set(
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


def _close(word: str, alias_word: str) -> bool:
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


@dataclass(frozen=True)
class Scored:
    checklist: Checklist
    item: Item
    score: float
    covered: tuple[str, ...]


@dataclass(frozen=True)
class Match:
    """What a message says: one item done, several equally likely, nothing, or not done."""

    kind: str
    candidates: tuple[tuple[Checklist, Item], ...] = ()
    scored: tuple[Scored, ...] = field(default=(), repr=False)

    @property
    def best(self) -> tuple[Checklist, Item] | None:
        return self.candidates[0] if self.kind == DONE and self.candidates else None


def _alias_words(alias: str) -> list[str]:
    return [w for w in tokens(alias) if w not in _ALIAS_STOPWORDS] or tokens(alias)


def _known_stems(checklists: Mapping[str, Checklist]) -> set[str]:
    return {
        stem(w)
        for checklist in checklists.values()
        for item in checklist.items
        for alias in item.aliases
        for w in _alias_words(alias)
    }


def _word_match(word: str, alias_word: str, known: set[str]) -> float:
    """1 for the same word (any form), FUZZY_WEIGHT for a light typo, else 0."""
    if stem(word) == stem(alias_word):
        return 1.0
    if stem(word) in known or word in _ALIAS_STOPWORDS:
        return 0.0  # a real word of another alias is not a typo of this one
    return FUZZY_WEIGHT if _close(word, alias_word) else 0.0


def _segments(words: Iterable[str]) -> list[list[str]]:
    """Words cut at "and": a phrase must sit in one piece, so "the transcripts and the
    translation" names two items, not the alias "transcripts translated"."""
    pieces: list[list[str]] = [[]]
    for word in words:
        if word == "and":
            pieces.append([])
        else:
            pieces[-1].append(word)
    return [piece for piece in pieces if piece]


def _alias_hit(
    alias_words: list[str], segments: list[list[str]], known: set[str]
) -> dict[str, float]:
    """The message words an alias covers (with how well), or {} when it does not match."""
    for segment in segments:
        hit: dict[str, float] = {}
        for alias_word in alias_words:
            best_word, best = "", 0.0
            for word in segment:
                value = _word_match(word, alias_word, known)
                if value > best:
                    best_word, best = word, value
            if best == 0.0:
                break
            hit[best_word] = max(hit.get(best_word, 0.0), best)
        else:
            return hit
    return {}


def score_items(checklists: Mapping[str, Checklist], words: Iterable[str]) -> list[Scored]:
    """Every item that a message's words mention, best first (file order on ties).

    An item scores the message words its matching aliases cover, so the item with
    the longest, most specific phrase wins.
    """
    segments = _segments(words)
    known = _known_stems(checklists)
    results: list[Scored] = []
    for checklist in checklists.values():
        for item in checklist.items:
            covered: dict[str, float] = {}
            for alias in item.aliases:
                for word, value in _alias_hit(_alias_words(alias), segments, known).items():
                    covered[word] = max(covered.get(word, 0.0), value)
            if covered:
                results.append(Scored(checklist, item, sum(covered.values()), tuple(covered)))
    results.sort(key=lambda s: s.score, reverse=True)
    return results


def match_item(checklists: Mapping[str, Checklist], text: str, prefer: str | None = None) -> Match:
    """The item a "done" message means, or why there is none (see the module docstring)."""
    parts = clauses(text)
    kinds = [clause_kind(part) for part in parts]
    done_words = [
        w for part, kind in zip(parts, kinds, strict=True) if kind == "done" for w in tokens(part)
    ]
    if not done_words:
        if any(kind not in {"done", "empty"} for kind in kinds):
            mentioned = score_items(checklists, [w for part in parts for w in tokens(part)])
            return Match(NOT_DONE, tuple((s.checklist, s.item) for s in mentioned[:3]))
        return Match(NONE)
    scored = score_items(checklists, done_words)
    if not scored:
        return Match(NONE)
    top = scored[0].score
    tied = [s for s in scored if top - s.score <= TIE]
    if len(tied) > 1 and prefer is not None:
        preferred = [s for s in tied if s.checklist.key == prefer]
        if preferred:
            tied = preferred
    pairs = tuple((s.checklist, s.item) for s in tied)
    if len(tied) == 1:
        rest = tuple((s.checklist, s.item) for s in scored if s is not tied[0])
        return Match(DONE, pairs + rest, tuple(scored))
    return Match(AMBIGUOUS, pairs, tuple(scored))


def find_items(
    checklists: Mapping[str, Checklist], text: str, prefer: str | None = None
) -> list[tuple[Checklist, Item]]:
    """Items a message mentions, best first (ignoring whether it says they are done)."""
    scored = score_items(checklists, tokens(text))
    scored.sort(key=lambda s: (s.score, s.checklist.key == prefer), reverse=True)
    return [(s.checklist, s.item) for s in scored]
