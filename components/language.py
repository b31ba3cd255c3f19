"""Is a message English, and if not, which language? Pure Python (no Rasa imports).

The word lists live in `data/language/languages.yml` (operator-editable, the rules
are explained there); the Rasa adapter is `components/language_gate.py`. Short and
odd English ("cma salary?", "hi", "wich domians", emojis, abbreviations) stays
English: another language needs evidence (its script, several of its everyday
words, or, for longer texts, py3langid being sure), never the mere absence of
English words. py3langid (BSD) ships its model inside the package.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

ENGLISH = "en"
UNKNOWN = "und"
DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "language" / "languages.yml"

MIN_LANGID_WORDS = 3  # py3langid is unreliable below this
LANGID_CONFIDENCE = 0.9  # and must be at least this sure
MAX_ENGLISH_SHARE = 0.5  # of the words, for py3langid to overrule them
MIN_MARKERS = 2  # markers needed in a message of three words or more
SHORT_MESSAGE_WORDS = 2  # up to this many words, one marker that is not English is enough

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_VOWELS = set("aeiouy")
_CONSONANT_RUN = re.compile(r"[bcdfghjklmnpqrstvwxz]{5,}")
# Letters Urdu writes and Arabic and Persian do not; letters Persian writes and Arabic not.
_URDU_LETTERS = set("ٹڈڑںےۓہھ")
_PERSIAN_LETTERS = set("پچژگ")


@dataclass(frozen=True)
class Language:
    """What `identify` found: a code (ISO 639-1, "hi-Latn", "und"), its name, and why."""

    code: str
    name: str
    reason: str

    @property
    def english(self) -> bool:
        """True for English."""
        return self.code == ENGLISH

    def as_dict(self) -> dict[str, object]:
        """For the message's parse data (and so the tracker)."""
        return {"code": self.code, "name": self.name, "english": self.english, "by": self.reason}


@dataclass(frozen=True)
class LanguageData:
    """The word lists from the data file, accents removed."""

    names: dict[str, str]
    markers: dict[str, frozenset[str]]
    english: frozenset[str]


def fold(text: str) -> str:
    """Lower case without accents: "Título" -> "titulo"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _words(items: Iterable[object]) -> frozenset[str]:
    return frozenset(fold(str(item)) for item in items)


def load_data(path: Path = DEFAULT_PATH) -> LanguageData:
    """Read the data file; raises ValueError naming what is missing."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for key in ("names", "markers", "english"):
        if not data.get(key):
            raise ValueError(f"{path}: `{key}` is missing or empty")
    english = _words(data["english"])
    markers = {code: _words(words) - english for code, words in data["markers"].items()}
    unnamed = sorted(set(markers) - set(data["names"]))
    if unnamed:
        raise ValueError(f"{path}: languages without a name: {', '.join(unnamed)}")
    return LanguageData(dict(data["names"]), markers, english)


@lru_cache(maxsize=1)
def english_vocabulary() -> frozenset[str]:
    """English words and their lemmas from spacy-lookups-data's English lookup table."""
    from spacy_lookups_data import en

    path = Path(en["lemma_lookup"])
    if not path.exists():  # the package ships it compressed
        path = path.with_name(path.name + ".gz")
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        table = json.load(handle)
    return frozenset(fold(w) for pair in table.items() for w in pair if w.isalpha())


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_pickled_model(MODEL_FILE, norm_probs=True)


def langid_rank(text: str, among: Iterable[str] | None = None) -> list[tuple[str, float]]:
    """py3langid's languages for `text`, most likely first (only `among`, when given)."""
    ranking = [(code, float(p)) for code, p in _identifier().rank(text)]
    if among is not None:
        allowed = set(among)
        ranking = [(code, p) for code, p in ranking if code in allowed]
    return ranking


def _script(char: str) -> str:
    """ "LATIN", "ARABIC", "DEVANAGARI", ... from the character's Unicode name."""
    name = unicodedata.name(char, "")
    return name.split(" ")[0] if name else ""


def _looks_mashed(word: str) -> bool:
    """Keyboard mashing: no vowel in a long word, or five consonants in a row."""
    return (len(word) >= 5 and not set(word) & _VOWELS) or bool(_CONSONANT_RUN.search(word))


class LanguageIdentifier:
    """Tells English from other languages with the word lists of one data file."""

    def __init__(self, data: LanguageData, vocabulary: frozenset[str] | None = None) -> None:
        """Keep the lists; the English vocabulary defaults to spacy-lookups-data's."""
        self.data = data
        self.vocabulary = data.english | (
            english_vocabulary() if vocabulary is None else vocabulary
        )

    def _result(self, code: str, reason: str) -> Language:
        return Language(code, self.data.names.get(code, code), reason)

    def identify(self, text: str) -> Language:
        """The language of `text`; English unless there is evidence of another."""
        letters = [c for c in text if c.isalpha()]
        if not letters:
            return self._result(ENGLISH, "no letters")
        scripts: dict[str, int] = {}
        for char in letters:
            script = _script(char)
            scripts[script] = scripts.get(script, 0) + 1
        script, count = max(scripts.items(), key=lambda item: item[1])
        if script != "LATIN" and count * 2 >= len(letters):
            return self._by_script(text, script)
        return self._by_words(text)

    def _by_script(self, text: str, script: str) -> Language:
        if script == "DEVANAGARI":  # Hindi; Marathi and Nepali share the script
            return self._result("hi", "script")
        if script == "ARABIC":
            letters = set(text)
            if letters & _URDU_LETTERS:
                return self._result("ur", "script")
            return self._result("fa" if letters & _PERSIAN_LETTERS else "ar", "script")
        ranking = langid_rank(text)
        code = ranking[0][0] if ranking else UNKNOWN
        return self._result(UNKNOWN if code == ENGLISH else code, "script")

    def _by_words(self, text: str) -> Language:
        words = [fold(w) for w in _WORD.findall(text)]
        if not words:
            return self._result(ENGLISH, "no words")
        markers = self.data.markers
        counts = {code: sum(w in found for w in words) for code, found in markers.items()}
        if "¿" in text or "¡" in text:
            counts["es"] = counts.get("es", 0) + 1
        english = sum(
            w in self.vocabulary and not any(w in m for m in markers.values()) for w in words
        )
        best = max(counts.values(), default=0)
        if best:
            if len(words) <= SHORT_MESSAGE_WORDS:
                strong = best >= 1 and english == 0
                strong = strong and any(w not in self.vocabulary for w in words)
            else:
                strong = best >= MIN_MARKERS and best >= english
            if strong:
                return self._result(self._pick(text, counts, best), "words")
        if len(words) >= MIN_LANGID_WORDS and english < MAX_ENGLISH_SHARE * len(words):
            ranking = langid_rank(text)
            code, probability = ranking[0]
            if code != ENGLISH and probability >= LANGID_CONFIDENCE:
                return self._result(code, "py3langid")
        unknown = [w for w in words if w not in self.vocabulary]
        if len(words) >= 2 and english == 0 and sum(map(_looks_mashed, unknown)) * 2 >= len(words):
            return self._result(UNKNOWN, "no words of any language")
        return self._result(ENGLISH, "default")

    @staticmethod
    def _pick(text: str, counts: dict[str, int], best: int) -> str:
        """The language with most markers; py3langid breaks a tie."""
        tied = [code for code, n in counts.items() if n == best]
        if len(tied) == 1:
            return tied[0]
        ranking = langid_rank(text, tied)
        return ranking[0][0] if ranking else tied[0]


@lru_cache(maxsize=1)
def default_identifier() -> LanguageIdentifier:
    """One identifier over data/language/languages.yml, built on first use."""
    return LanguageIdentifier(load_data())


def identify(text: str) -> Language:
    """The language of `text` by the default data file."""
    return default_identifier().identify(text)
