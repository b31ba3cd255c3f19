"""Tell medical emergencies and talk of suicide or self-harm from everything else.

Pure Python (no Rasa imports): the patterns live in `data/safety/patterns.yml`
(operator-editable, comments there), the Rasa adapter is `components/safety_gate.py`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

EMERGENCY = "emergency"
SELF_HARM = "self_harm"
CATEGORIES = (SELF_HARM, EMERGENCY)
DEFAULT_PATTERNS = Path(__file__).resolve().parent.parent / "data" / "safety" / "patterns.yml"
MIN_FUZZY_LENGTH = 7

_APOSTROPHES = re.compile(r"['’‘`´]")
_NOT_WORD = re.compile(r"[^\w]+|_")
# A letter (not a digit: "1000 pills") repeated 3+ times.
_REPEATS = re.compile(r"([^\W\d_])\1{2,}")
# A quoted span; an apostrophe between letters ("can't") stays inside it.
_QUOTED = re.compile(r"(?<!\w)['‘\"“]((?:[^'’‘\"“”]|(?<=\w)['’](?=\w)){1,100}?)['’\"”](?!\w)")


@dataclass(frozen=True)
class Category:
    """The patterns of one category and the look-alikes that cancel them."""

    name: str
    patterns: tuple[re.Pattern[str], ...]
    harmless: tuple[re.Pattern[str], ...]
    # Wordings a look-alike shares often ("I won't need them anymore", "after I'm gone"):
    # they count only where the trained model also hears the category (the gate checks).
    weak: tuple[re.Pattern[str], ...] = ()


@dataclass(frozen=True)
class SafetyRules:
    """Everything `classify` needs, read from the patterns file."""

    categories: tuple[Category, ...]
    spelling: Mapping[str, str]
    fuzzy_words: tuple[str, ...]
    never_correct: frozenset[str]
    negation_words: frozenset[str]
    negation_bridge: frozenset[str]
    negation_window: int
    learning: tuple[re.Pattern[str], ...]
    urgent: tuple[re.Pattern[str], ...]
    # A practice question or textbook case: it vetoes emergencies only, since a crisis
    # told in passing ("thanks for the flashcards, I won't need them") must still be heard.
    study_context: tuple[re.Pattern[str], ...] = ()
    # "lol", "jk", a laughing emoji: a joke, read on the raw lowercase text (signs kept).
    # Vetoes only what the model alone would raise; the patterns still decide.
    jokes: tuple[re.Pattern[str], ...] = ()
    # "not a joke", "i mean it": then nothing in the message is taken for a joke.
    serious: tuple[re.Pattern[str], ...] = ()
    # "I have some at home", "that's me btw": the asker's own risk. A message that says so
    # is never excused as a study question.
    own_risk: tuple[re.Pattern[str], ...] = ()
    # A scene set apart from real life (a story, a video, a role-play, a skills demo, a
    # case handled long ago): it excuses an emergency match even where `urgent` words
    # ("I'm writing", "call 911") stand, unless an `acute` one does ("right now").
    staged: tuple[re.Pattern[str], ...] = ()
    acute: tuple[re.Pattern[str], ...] = ()
    # "but I'm okay", "not giving up": a sad sentence read alone by the model is no crisis.
    coping: tuple[re.Pattern[str], ...] = ()
    # "how do patients say 'I can't catch my breath'?": a question about words, whose
    # quoted words are not read for an emergency (raw lowercase text). Self-harm still
    # reads them: "how do I say 'I want to die' in English? because I do".
    vocabulary: tuple[re.Pattern[str], ...] = ()


@dataclass(frozen=True)
class SafetyMatch:
    """Why a message was classified: its category, the pattern and the words it matched."""

    category: str
    pattern: str
    words: str
    weak: bool = False


def _compile(patterns: Any, where: str) -> tuple[re.Pattern[str], ...]:
    """Compile a list of regular expressions, naming the entry that is broken."""
    if patterns is None:
        return ()
    if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
        raise ValueError(f"{where}: expected a list of patterns (strings)")
    compiled = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(pattern))
        except re.error as error:
            raise ValueError(f"{where}: bad pattern {pattern!r}: {error}") from error
    return tuple(compiled)


def _words(values: Any, where: str) -> frozenset[str]:
    """A set of lowercase words from a list in the file."""
    if values is None:
        return frozenset()
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValueError(f"{where}: expected a list of words")
    return frozenset(v.lower() for v in values)


def parse_rules(data: Any, source: str = "patterns") -> SafetyRules:
    """Build the rules from the parsed YAML, rejecting anything malformed."""
    if not isinstance(data, dict):
        raise ValueError(f"{source}: expected a mapping")
    raw_categories = data.get("categories")
    if not isinstance(raw_categories, dict) or set(raw_categories) != set(CATEGORIES):
        raise ValueError(f"{source}: `categories` must hold exactly {', '.join(CATEGORIES)}")
    categories = []
    for name in CATEGORIES:
        entry = raw_categories[name]
        if not isinstance(entry, dict):
            raise ValueError(f"{source}: categories.{name} must be a mapping")
        patterns = _compile(entry.get("patterns"), f"{source}: categories.{name}.patterns")
        if not patterns:
            raise ValueError(f"{source}: categories.{name} has no patterns")
        harmless = _compile(entry.get("harmless"), f"{source}: categories.{name}.harmless")
        weak = _compile(entry.get("needs_model"), f"{source}: categories.{name}.needs_model")
        categories.append(Category(name, patterns, harmless, weak))
    spelling = data.get("spelling") or {}
    if not isinstance(spelling, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in spelling.items()
    ):
        raise ValueError(f"{source}: `spelling` must map words to words")
    negation = data.get("negation") or {}
    if not isinstance(negation, dict):
        raise ValueError(f"{source}: `negation` must be a mapping")
    window = negation.get("window", 4)
    if not isinstance(window, int) or isinstance(window, bool) or window < 0:
        raise ValueError(f"{source}: negation.window must be a whole number >= 0")
    return SafetyRules(
        categories=tuple(categories),
        spelling={k.lower(): v.lower() for k, v in spelling.items()},
        fuzzy_words=tuple(sorted(_words(data.get("fuzzy_words"), f"{source}: fuzzy_words"))),
        never_correct=_words(data.get("never_correct"), f"{source}: never_correct"),
        negation_words=_words(negation.get("words"), f"{source}: negation.words"),
        negation_bridge=_words(negation.get("bridge"), f"{source}: negation.bridge"),
        negation_window=window,
        learning=_compile(data.get("learning"), f"{source}: learning"),
        urgent=_compile(data.get("urgent"), f"{source}: urgent"),
        study_context=_compile(data.get("study_context"), f"{source}: study_context"),
        jokes=_compile(data.get("jokes"), f"{source}: jokes"),
        serious=_compile(data.get("serious"), f"{source}: serious"),
        own_risk=_compile(data.get("own_risk"), f"{source}: own_risk"),
        staged=_compile(data.get("staged"), f"{source}: staged"),
        acute=_compile(data.get("acute"), f"{source}: acute"),
        coping=_compile(data.get("coping"), f"{source}: coping"),
        vocabulary=_compile(data.get("vocabulary"), f"{source}: vocabulary"),
    )


def load_rules(path: Path = DEFAULT_PATTERNS) -> SafetyRules:
    """Read and check the patterns file."""
    return parse_rules(yaml.safe_load(path.read_text(encoding="utf-8")), str(path))


def _one_edit_apart(a: str, b: str) -> bool:
    """True when one letter inserted, deleted, replaced or two swapped turns a into b."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and a[diffs[0]] == b[diffs[1]]
            and a[diffs[1]] == b[diffs[0]]
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def _correct(word: str, rules: SafetyRules) -> str:
    """The word as the patterns should see it: spelling fixes, then near misses."""
    if word in rules.spelling:
        return rules.spelling[word]
    if (
        len(word) < MIN_FUZZY_LENGTH
        or word in rules.fuzzy_words
        or word in rules.never_correct
        or not word.isalpha()
    ):
        return word
    for target in rules.fuzzy_words:
        if target[0] == word[0] and _one_edit_apart(word, target):
            return target
    return word


def normalize(text: str, rules: SafetyRules, unquote: bool = False) -> str:
    """Lowercase words without accents, apostrophes or signs, typos corrected; with
    `unquote`, a question about words loses its quoted words."""
    lowered = text.lower()
    if unquote and any(p.search(lowered) for p in rules.vocabulary):
        lowered = _QUOTED.sub(" ", lowered)
    folded = unicodedata.normalize("NFKD", lowered)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = _APOSTROPHES.sub("", folded)
    folded = _NOT_WORD.sub(" ", folded)
    folded = _REPEATS.sub(r"\1\1", folded)
    return " ".join(_correct(word, rules) for word in folded.split())


def _negated(text: str, start: int, rules: SafetyRules) -> bool:
    """True when a denial ("no", "not", "never" ...) comes just before position start.

    Only bridge words ("have", "feeling", "going to" ...) may stand between the
    denial and the match: "I don't have chest pain" is denied, "no, he is not
    breathing" is not.
    """
    before = text[:start].split()
    for i in range(max(0, len(before) - rules.negation_window), len(before)):
        if before[i] in rules.negation_words and all(
            word in rules.negation_bridge for word in before[i + 1 :]
        ):
            return True
    return False


def _overlaps(span: tuple[int, int], spans: Iterable[tuple[int, int]]) -> bool:
    """True when span shares at least one character with any of spans."""
    return any(span[0] < end and start < span[1] for start, end in spans)


def _about_learning(text: str, rules: SafetyRules) -> bool:
    """A question about study or work that says nothing personal or urgent."""
    return any(p.search(text) for p in rules.learning) and not any(
        p.search(text) for p in rules.urgent
    )


def _in_study_context(text: str, rules: SafetyRules) -> bool:
    """A practice question or a textbook case that says nothing personal or urgent."""
    return any(p.search(text) for p in rules.study_context) and not any(
        p.search(text) for p in rules.urgent
    )


def _staged(text: str, rules: SafetyRules) -> bool:
    """A story, a video, a role-play or a case long past, with nothing happening now."""
    return any(p.search(text) for p in rules.staged) and not any(
        p.search(text) for p in rules.acute
    )


def _find_in(text: str, category: Category, rules: SafetyRules) -> SafetyMatch | None:
    """The first match of category in normalized text that is not denied or a look-alike."""
    harmless = [m.span() for p in category.harmless for m in p.finditer(text)]
    strong = [(p, False) for p in category.patterns]
    for pattern, weak in [*strong, *((p, True) for p in category.weak)]:
        for found in pattern.finditer(text):
            if _overlaps(found.span(), harmless) or _negated(text, found.start(), rules):
                continue
            return SafetyMatch(category.name, pattern.pattern, found.group(0), weak)
    return None


def find(text: str, rules: SafetyRules) -> SafetyMatch | None:
    """The safety match for a message, or None; self-harm is checked before emergencies."""
    normalized = normalize(text, rules)
    if not normalized:
        return None
    learning = _about_learning(normalized, rules)
    studying = _in_study_context(normalized, rules) or _staged(normalized, rules)
    # Read again only when it is a question about words: find runs on every message.
    lowered = text.lower()
    asks_about_words = any(p.search(lowered) for p in rules.vocabulary)
    unquoted = normalize(text, rules, unquote=True) if asks_about_words else normalized
    for category in rules.categories:
        match = _find_in(unquoted if category.name == EMERGENCY else normalized, category, rules)
        # Study questions veto emergencies only: a crisis asked as a question ("what is the
        # quickest way to go") must still be heard; self-harm look-alikes have their own patterns.
        if match is not None and not (category.name == EMERGENCY and (learning or studying)):
            return match
    return None


def classify(text: str, rules: SafetyRules) -> str | None:
    """`self_harm`, `emergency` or None for a user message."""
    match = find(text, rules)
    return match.category if match else None


def looks_harmless(text: str, rules: SafetyRules) -> bool:
    """A known look-alike ("dying to know", "killing it") or a question about study or work."""
    normalized = normalize(text, rules)
    if not normalized or _about_learning(normalized, rules):
        return True
    return any(p.search(normalized) for category in rules.categories for p in category.harmless)


def mentions_study(text: str, rules: SafetyRules) -> bool:
    """A study or work cue anywhere ("exam scenario", "billing module"), urgent words or not."""
    normalized = normalize(text, rules)
    return any(p.search(normalized) for p in (*rules.study_context, *rules.learning))


def own_risk(text: str, rules: SafetyRules) -> bool:
    """The message says the risk is the asker's own ("there is some in the garage")."""
    normalized = normalize(text, rules)
    return any(p.search(normalized) for p in rules.own_risk)


def staged(text: str, rules: SafetyRules) -> bool:
    """A story, a role-play or a case long past, with nothing said to be happening now."""
    normalized = normalize(text, rules)
    return bool(normalized) and _staged(normalized, rules)


def coping(text: str, rules: SafetyRules) -> bool:
    """The writer says they are coping ("but I'm okay", "I'm not giving up")."""
    normalized = normalize(text, rules)
    return any(p.search(normalized) for p in rules.coping)


def joking(text: str, rules: SafetyRules) -> bool:
    """The message marks itself as a joke ("i'd rather die lol", "😂 jk")."""
    lowered = text.lower()
    return any(p.search(lowered) for p in rules.jokes) and not serious(text, rules)


def serious(text: str, rules: SafetyRules) -> bool:
    """The message says it is no joke ("I mean it", "not kidding", "kidding. mostly.")."""
    lowered = text.lower()
    return any(p.search(lowered) for p in rules.serious)


def denied(text: str, rules: SafetyRules) -> bool:
    """The message names a danger only to deny it ("I'm not suicidal, just tired")."""
    normalized = normalize(text, rules)
    hits = [
        found.start()
        for category in rules.categories
        for pattern in (*category.patterns, *category.weak)
        for found in pattern.finditer(normalized)
    ]
    return bool(hits) and all(_negated(normalized, start, rules) for start in hits)
