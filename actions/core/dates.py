"""Month-level dates, and finding a program start date in a free-text message."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal

from actions.core.date_phrases import Mention, find_mentions

StartStatus = Literal["past", "ok", "far"]

# Fixed English names: calendar.month_name follows the process locale.
_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True, order=True)
class YearMonth:
    """A calendar month; plans are month-precise, so days never matter."""

    year: int
    month: int

    def __post_init__(self) -> None:
        for name, value in (("year", self.year), ("month", self.month)):
            # bool is an int subclass, but True as a month is a bug, not January.
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"YearMonth {name} must be an int, got {value!r}")
        if not 1 <= self.month <= 12:
            raise ValueError(f"YearMonth month must be 1-12, got {self.month}")
        # The range datetime.date supports, so first_day() always works.
        if not 1 <= self.year <= 9999:
            raise ValueError(f"YearMonth year must be 1-9999, got {self.year}")

    @classmethod
    def from_date(cls, day: date) -> YearMonth:
        return cls(day.year, day.month)

    def plus(self, months: int) -> YearMonth:
        """The month `months` later (earlier when negative)."""
        year, month_index = divmod(self.year * 12 + self.month - 1 + months, 12)
        return YearMonth(year, month_index + 1)

    def months_until(self, other: YearMonth) -> int:
        """Whole months from this month to `other`; negative when `other` is earlier."""
        return (other.year - self.year) * 12 + other.month - self.month

    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    def label(self) -> str:
        """Like "March 2027"."""
        return f"{_MONTH_NAMES[self.month - 1]} {self.year}"

    def short_label(self) -> str:
        """Like "Mar 2027"."""
        return f"{_MONTH_NAMES[self.month - 1][:3]} {self.year}"

    def iso(self) -> str:
        """Like "2027-03": how a month is stored in a slot."""
        return f"{self.year:04d}-{self.month:02d}"

    @classmethod
    def from_iso(cls, text: str) -> YearMonth | None:
        """The month an `iso()` string names, or None for anything else."""
        match = re.fullmatch(r"(\d{4})-(\d{2})", text or "")
        if not match or not 1 <= int(match[2]) <= 12:
            return None
        return cls(int(match[1]), int(match[2]))


def classify_start(start: YearMonth, today: YearMonth, far_months: int) -> StartStatus:
    """Whether a start month has passed, is plausible, or is suspiciously far ahead."""
    if start < today:
        return "past"
    if today.months_until(start) > far_months:
        return "far"
    return "ok"


# --- Finding a start date in a message -------------------------------------------------------

# A start date is near the top of any real message; this cap bounds work on pasted essays.
_MAX_CHARS = 10_000
_FLAGS = re.ASCII
_START_WORDS_RE = re.compile(
    r"\b(?:start(?:s|ed|ing)?|begin(?:s|ning)?|began|enrol(?:l|ls|s|led|ling|ment)?|join(?:s|ed|ing)?"
    r"|commenc(?:e|es|ing)|kick(?:ing)?\s+off|intake|sign(?:ing)?\s+up)\b",
    _FLAGS,
)
# A date right after these words is about the past (graduation, birth), not a start.
# "started"/"began" are starts: a user already enrolled asks when they will finish.
_PAST_WORDS_RE = re.compile(
    r"\b(?:graduated|graduation|finished|completed|born|qualified|passed|worked"
    r"|ago|was|were|did|got|received|earned|moved|arrived|came)\b",
    _FLAGS,
)
_Cue = Literal["start", "past", ""]
_BOUNDARY_RE = re.compile(r"[!?;\n]|\.(?:\s|$)", _FLAGS)
_CONTEXT_CHARS = 80


def parse_start(text: str, today: date, seasons: Mapping[str, int]) -> YearMonth | None:
    """The program start month a user's message names, or None when it names none.

    Dates tied to starting ("start in May 2027") win, then future dates, then anything else;
    dates about the past ("graduated in June 2019") are never a start. A month or season without
    a year is the nearest one that is not before today's month. Never raises.
    """
    ranked = _ranked_dates(text, today, seasons)
    # max() keeps the first of equals, so the earliest mention wins a tie.
    return max(ranked, key=lambda row: row[:3])[3] if ranked else None


def stated_start(text: str, today: date, seasons: Mapping[str, int]) -> YearMonth | None:
    """A start month only when words tie it to starting ("a program starting in August 2027").

    For remembering a detail from a story told in passing, where "by June" or "moved in
    March" must not become a plan's start.
    """
    tied = [row for row in _ranked_dates(text, today, seasons) if row[0]]
    return max(tied, key=lambda row: row[:3])[3] if tied else None


def _ranked_dates(
    text: str, today: date, seasons: Mapping[str, int]
) -> list[tuple[bool, bool, bool, YearMonth]]:
    """(tied to starting, strong, not past, month) for each date that is not about the past."""
    if not isinstance(text, str) or not text.strip():
        return []
    # NFKC folds full-width digits and odd spaces; lower() keeps the regexes simple.
    normalized = unicodedata.normalize("NFKC", text[:_MAX_CHARS]).replace("\u2019", "'").lower()
    # Single spaces keep the regexes' optional-space runs from backtracking for long.
    normalized = "\n".join(" ".join(line.split()) for line in normalized.splitlines())
    found = find_mentions(normalized, today, seasons)
    this_month = YearMonth.from_date(today)
    ranked: list[tuple[bool, bool, bool, YearMonth]] = []
    for index, item in enumerate(found):
        previous_end = found[index - 1].end if index else 0
        next_start = found[index + 1].start if index + 1 < len(found) else len(normalized)
        tie = _tie(normalized, item, previous_end, next_start)
        if tie != "past":
            when = YearMonth(*item.when)
            ranked.append((tie == "start", not item.weak, when >= this_month, when))
    return ranked


def _tie(text: str, item: Mention, previous_end: int, next_start: int) -> _Cue:
    """Whether nearby words tie the date to starting ("start"), the past ("past"), or neither."""
    window_start = max(previous_end, item.start - _CONTEXT_CHARS, _last_boundary(text, item.start))
    verdict = _word_kind(text[window_start : item.start], nearest="last")
    if verdict:
        return verdict
    # "May 2027 is when I'd start" / "June 2019 was when I graduated".
    boundary = _BOUNDARY_RE.search(text, item.end)
    clause_end = boundary.start() if boundary else len(text)
    window_end = min(next_start, item.end + _CONTEXT_CHARS, clause_end)
    return _word_kind(text[item.end : window_end], nearest="first")


def _last_boundary(text: str, position: int) -> int:
    last = 0
    for match in _BOUNDARY_RE.finditer(text, max(0, position - _CONTEXT_CHARS), position):
        last = match.end()
    return last


def _word_kind(window: str, nearest: Literal["first", "last"]) -> _Cue:
    """The kind of cue word nearest the date ("start", "past"), or "" when there is none."""
    cues = [(match.start(), "start") for match in _START_WORDS_RE.finditer(window)]
    cues += [(match.start(), "past") for match in _PAST_WORDS_RE.finditer(window)]
    if not cues:
        return ""
    return (max(cues) if nearest == "last" else min(cues))[1]
