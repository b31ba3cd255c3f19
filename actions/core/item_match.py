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
   still a tie, the answer is "ambiguous" and the caller asks which one. Items of one
   checklist joined by "and" ("I compared the costs and the formats", "transcripts and
   WES evaluation") are "several": each is done.

How a message's words and clauses are read: actions/core/message_clauses.py.
Operators tune this through `aliases` in data/content/checklists.yml.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from actions.core.checklists import Checklist, Item
from actions.core.message_clauses import (
    ALIAS_STOPWORDS,
    clause_kind,
    clauses,
    is_close,
    stem,
    tokens,
)

DONE, AMBIGUOUS, NONE, NOT_DONE = "done", "ambiguous", "none", "not_done"
SEVERAL = "several"  # "I compared the costs and the formats": each named item is done
# Words that join several things said done: "X and Y", "both", "X as well as Y".
_JOINERS = frozenset({"and", "both", "plus", "&"})
FUZZY_WEIGHT = 0.8
# How close two scores must be to count as a tie.
TIE = 1e-9


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


def _named_one_by_one(
    checklists: Mapping[str, Checklist], words: list[str], top: Scored
) -> tuple[tuple[Checklist, Item], ...]:
    """The item each joined piece names on its own ("transcripts and WES evaluation").

    A piece named only by words the whole message's best item covers names nothing new:
    "my rotations in cardiology and peds on the cv" is the rotations, not the CV section."""
    pieces: list[list[str]] = [[]]
    for word in words:
        if word in _JOINERS:
            pieces.append([])
        else:
            pieces[-1].append(word)
    named: list[tuple[Checklist, Item]] = []
    for piece in pieces:
        scored = score_items(checklists, piece)
        clear = len(scored) == 1 or (len(scored) > 1 and scored[0].score - scored[1].score > TIE)
        if not scored or not clear:
            continue
        best = scored[0]
        is_top = (best.checklist.key, best.item.id) == (top.checklist.key, top.item.id)
        if not is_top and not set(best.covered) - set(top.covered):
            continue
        if (pair := (best.checklist, best.item)) not in named:
            named.append(pair)
    return tuple(named)


def _one_checklist(pairs: tuple[tuple[Checklist, Item], ...]) -> bool:
    # Items of two lists joined by "and" stay a question: "done that for the hospitals
    # and the resume" is one list's item, the active one's.
    return len({checklist.key for checklist, _ in pairs}) == 1


def _each_named_apart(tied: list[Scored]) -> bool:
    """Every tied item is named by words of its own, not only by words they share."""
    for entry in tied:
        others = {w for other in tied if other is not entry for w in other.covered}
        if not set(entry.covered) - others:
            return False
    return True


def _alias_words(alias: str) -> list[str]:
    return [w for w in tokens(alias) if w not in ALIAS_STOPWORDS] or tokens(alias)


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
    if stem(word) in known or word in ALIAS_STOPWORDS:
        return 0.0  # a real word of another alias is not a typo of this one
    return FUZZY_WEIGHT if is_close(word, alias_word) else 0.0


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
    if _JOINERS.intersection(done_words):
        if len(tied) > 1 and _each_named_apart(tied) and _one_checklist(pairs):
            return Match(SEVERAL, pairs, tuple(scored))
        named = _named_one_by_one(checklists, done_words, scored[0])
        if len(named) > 1 and _one_checklist(named):
            return Match(SEVERAL, named, tuple(scored))
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
