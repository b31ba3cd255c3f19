"""Find the questions the bot handled badly in real conversations, grouped for review.

Input: tracker events (dicts as Rasa stores them). A user message is kept when
the bot fell back ("did you mean...?"), declined it as out of scope, or was
unsure (top confidence below a threshold). Button payloads ("/intent") are
skipped. Near-duplicate messages are grouped; no sender ids leave this module,
and e-mail addresses and phone numbers are masked.
"""

from __future__ import annotations

import csv
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tools.operators.text import content_words, jaccard, normalize

LOW_CONFIDENCE = 0.70
GROUP_SIMILARITY = (
    0.5  # of meaningful words: "weather in boston today" ~ "whats the weather in boston"
)
DECLINES = {"out_of_scope", "immigration_legal"}
FALLBACK = "nlu_fallback"
COLUMNS = [
    "text",
    "count",
    "similar_messages",
    "reason",
    "best_guess",
    "confidence",
    "guide_section",
    # answers users rated (tools/operators/ratings.py); empty on the other rows
    "answer",
    "rated_unhelpful",
    "rated_helpful",
    "intent",
]
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.]+\b")
_PHONE = re.compile(r"\+?\d[\d ()-]{7,}\d")


def mask(text: str) -> str:
    """The message with e-mail addresses and phone numbers replaced (privacy)."""
    return _PHONE.sub("<phone>", _EMAIL.sub("<email>", text))


@dataclass
class Flagged:
    text: str
    reason: str
    best_guess: str
    confidence: float


def flag(event: dict, low_confidence: float = LOW_CONFIDENCE) -> Flagged | None:
    """Why a user event needs review, or None if the bot understood it well."""
    if event.get("event") != "user":
        return None
    text = " ".join(str(event.get("text") or "").split())
    if not text or text.startswith("/"):
        return None
    parse = event.get("parse_data") or {}
    intent = parse.get("intent") or {}
    name = intent.get("name")
    confidence = float(intent.get("confidence") or 0.0)
    ranking = [r for r in parse.get("intent_ranking") or [] if r.get("name") != FALLBACK]
    best = ranking[0] if ranking else {"name": name, "confidence": confidence}
    if name == FALLBACK:
        reason = "fell back"
    elif name in DECLINES:
        reason = "declined"
    elif confidence < low_confidence:
        reason = "low confidence"
    else:
        return None
    return Flagged(mask(text), reason, str(best.get("name")), float(best.get("confidence") or 0))


@dataclass
class Group:
    texts: Counter[str] = field(default_factory=Counter)
    items: list[Flagged] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.texts.most_common(1)[0][0]

    @property
    def count(self) -> int:
        return sum(self.texts.values())


def group(flagged: Iterable[Flagged], similarity: float = GROUP_SIMILARITY) -> list[Group]:
    """Group near-duplicates: the same words up to case and punctuation, or at least two
    meaningful words each with an overlap of `similarity` or more."""
    groups: list[tuple[frozenset[str], str, Group]] = []
    for item in flagged:
        key, ws = normalize(item.text), content_words(item.text)
        match = next(
            (
                g
                for g_words, g_key, g in groups
                if key == g_key
                or (min(len(ws), len(g_words)) > 1 and jaccard(ws, g_words) >= similarity)
            ),
            None,
        )
        if match is None:
            match = Group()
            groups.append((ws, key, match))
        g = match
        g.texts[item.text] += 1
        g.items.append(item)
    return sorted((g for _, _, g in groups), key=lambda g: (-g.count, g.text))


@dataclass(frozen=True)
class Section:
    title: str
    text: str


def guide_sections(guide_text: str) -> list[Section]:
    """The guide split at its headings; each FAQ question is a section of its own."""
    sections: list[Section] = []
    title, body = "Introduction", []
    for line in guide_text.splitlines():
        line = line.strip()
        if not line:
            continue
        is_heading = (
            len(line) < 80
            and not line.startswith(("|", "-", "Table:"))
            and not line.endswith((".", ":"))
        )
        if title.startswith("FAQ") and not line.startswith("Q: "):
            # The guide's closing lines (newsletter, more guides) follow the FAQ.
            sections.append(Section(title, " ".join(body)))
            title, body = "Closing notes (more guides, newsletter)", [line]
        elif line.startswith("Q: "):
            sections.append(Section(title, " ".join(body)))
            question = line[3:].split(" A: ")[0]
            title, body = f'FAQ "{question}"', [line]
        elif is_heading:
            sections.append(Section(title, " ".join(body)))
            title, body = line, [line]
        else:
            body.append(line)
    sections.append(Section(title, " ".join(body)))
    return [s for s in sections if s.text and s.text != s.title]


def _terms_all(text: str) -> Counter[str]:
    """Like `_terms`, counting repeats (content_words is a set)."""
    from tools.operators.text import STOPWORDS

    folded = [w for w in normalize(text).split() if w not in STOPWORDS]
    return Counter(w[:-1] if len(w) > 4 and w.endswith("s") else w for w in folded)


def _terms(text: str) -> Counter[str]:
    """Meaningful words with a crude plural fold ("questions" counts as "question")."""
    return Counter(w[:-1] if len(w) > 4 and w.endswith("s") else w for w in content_words(text))


class SectionMatcher:
    """The guide section closest to a message (TF-IDF cosine over meaningful words)."""

    def __init__(self, sections: list[Section]) -> None:
        self.sections = sections
        docs = [_terms_all(s.title + " " + s.text) for s in sections]
        df = Counter(w for d in docs for w in d)
        n = len(docs)
        self.idf = {w: math.log((1 + n) / (1 + c)) + 1 for w, c in df.items()}
        self.vectors = []
        for d in docs:
            vec = {w: (1 + math.log(c)) * self.idf[w] for w, c in d.items()}
            norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
            self.vectors.append({w: v / norm for w, v in vec.items()})

    def closest(self, text: str, minimum: float = 0.05) -> str:
        query = {w: self.idf.get(w, 0.0) for w in _terms(text)}
        best, best_score = "", minimum
        for section, vec in zip(self.sections, self.vectors, strict=True):
            score = sum(q * vec.get(w, 0.0) for w, q in query.items())
            if score > best_score:
                best, best_score = section.title, score
        return best or "(none close: probably not in the guide)"


def review_rows(
    events: Iterable[dict], guide_text: str, low_confidence: float = LOW_CONFIDENCE
) -> list[dict[str, str]]:
    """One CSV row per group of similar flagged messages, most frequent first."""
    flagged = [f for e in events if (f := flag(e, low_confidence)) is not None]
    matcher = SectionMatcher(guide_sections(guide_text))
    rows = []
    for g in group(flagged):
        guesses = Counter(i.best_guess for i in g.items)
        guess = guesses.most_common(1)[0][0]
        confidence = max(i.confidence for i in g.items if i.best_guess == guess)
        reasons = Counter(i.reason for i in g.items)
        rows.append(
            {
                "text": g.text,
                "count": str(g.count),
                "similar_messages": " | ".join(t for t in g.texts if t != g.text),
                "reason": reasons.most_common(1)[0][0],
                "best_guess": guess,
                "confidence": f"{confidence:.2f}",
                "guide_section": matcher.closest(" ".join(g.texts)),
                "intent": "",
            }
        )
    return rows


def write_csv(rows: list[dict[str, str]], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
