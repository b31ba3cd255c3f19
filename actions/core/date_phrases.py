"""Finding date mentions in a message: every phrase that names a month, and which month.

Which mention is the program start is decided by actions.core.dates.parse_start. Months here
are plain (year, month) pairs, so this module needs nothing from the rest of the project.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from itertools import islice
from typing import NamedTuple

import dateparser

# A start date is near the top of any real message; this cap bounds work on pasted essays.
_MAX_MENTIONS_PER_FORM = 20
# Explicit years outside this window are not plausible program starts (or are other numbers).
_MIN_YEAR, _MAX_YEAR = 1900, 2199

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?"
)
_MONTH_PREFIXES = (
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
)
_MONTH_BY_PREFIX = {prefix: number for number, prefix in enumerate(_MONTH_PREFIXES, 1)}
# A four-digit year, or an abbreviated one like '27.
_YEAR = r"(?:(?:19|20|21)[0-9]{2}\b|'[0-9]{2}\b)"
_FLAGS = re.ASCII

_NUMERIC_DATE_RE = re.compile(
    r"(?<![0-9/.\-])(?:[0-9]{1,2}[/.\-][0-9]{1,2}[/.\-](?:19|20|21)[0-9]{2}"
    r"|(?:19|20|21)[0-9]{2}-[0-9]{1,2}-[0-9]{1,2})(?![0-9])",
    _FLAGS,
)
# "03/2027", "3-2027", "2027-03"; the look-arounds keep "03/15/2027" for the full-date finder.
_NUMERIC_MONTH_YEAR_RE = re.compile(
    r"(?<![0-9])(?<![0-9][/.\-])"
    r"(?:(?P<m1>0?[1-9]|1[0-2])\s?[/.\-]\s?(?P<y1>(?:19|20|21)[0-9]{2})"
    r"|(?P<y2>(?:19|20|21)[0-9]{2})\s?[/.\-]\s?(?P<m2>0?[1-9]|1[0-2]))"
    r"(?![0-9])(?![/.\-][0-9])",
    _FLAGS,
)
_MONTH_PHRASE_RE = re.compile(
    r"(?:\b(?P<day1>[0-9]{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?)?"
    rf"\b(?P<month>{_MONTH})"
    r"(?:\s*(?P<day2>[0-9]{1,2})(?:st|nd|rd|th)?\b)?"
    rf"(?:\s*,?\s*(?:of\s+)?(?P<year>{_YEAR}))?"
    r"(?:\s+(?:of\s+)?(?P<rel>next|this)\s+year\b)?",
    _FLAGS,
)
# Words that, right before a bare month or season, make it a time ("in march", "next fall").
_LEAD_IN_RE = re.compile(
    r"\b(?:in|by|from|until|till|around|about|for|after|before|during|starting|start|begin"
    r"|beginning|early|late|mid|end|middle|of|next|this|coming|upcoming|the)"
    r"[\s\-]+(?:the\s+)?(?:month\s+of\s+)?$",
    _FLAGS,
)
# Seasons are common words ("a poem about spring", "I love the fall"), so a bare
# season needs a stronger cue than a month name does.
_SEASON_LEAD_IN_RE = re.compile(
    r"\b(?:in|by|from|until|till|after|before|starting|start|begin|beginning|early|late|mid"
    r"|next|this|coming|upcoming)[\s\-]+(?:the\s+)?$",
    _FLAGS,
)
_SMALL_NUMBERS = (
    "one two three four five six seven eight nine ten",
    "eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty",
)
_NUMBER_WORDS = {
    word: number for number, word in enumerate(" ".join(_SMALL_NUMBERS).split(" "), 1)
} | {"a": 1, "an": 1, "twenty-four": 24, "thirty": 30, "thirty-six": 36}
_COUNT = r"(?:[0-9]{1,3}|a\s+couple(?:\s+of)?|couple\s+of|twenty-four|thirty-six|[a-z]+)"
_UNIT = r"(?:days?|weeks?|months?|years?)"
_RELATIVE_RE = re.compile(
    rf"\b(?:(?:in|within|after)\s+(?:about\s+|around\s+|roughly\s+|another\s+)?"
    rf"(?P<n1>{_COUNT})\s+(?P<u1>{_UNIT})\b"
    rf"|(?P<n2>{_COUNT})\s+(?P<u2>{_UNIT})\s+from\s+now\b"
    r"|(?P<named>next\s+month|next\s+week|this\s+week|tomorrow)\b)",
    _FLAGS,
)
_IMMEDIATE_RE = re.compile(
    r"\b(?:(?P<strong>right\s+away|straight\s+away|as\s+soon\s+as\s+(?:possible|i\s+can)"
    r"|a\.?s\.?a\.?p\b\.?|immediately|this\s+month)|(?P<weak>right\s+now|now|today))\b",
    _FLAGS,
)


class Month(NamedTuple):
    """A calendar month as a plain pair; parse_start turns it into a YearMonth."""

    year: int
    month: int


@dataclass(frozen=True)
class Mention:
    """A date mention: where it is in the text and which month it names."""

    start: int
    end: int
    when: Month
    weak: bool = False  # "now" and "today" are often filler, so any real date beats them


@dataclass(frozen=True)
class _Context:
    today: date
    this_month: Month
    seasons: Mapping[str, int]


def find_mentions(text: str, today: date, seasons: Mapping[str, int]) -> list[Mention]:
    """Every date mention in normalized (lower-case, single-spaced) text, in text order.

    Where mentions overlap the longer one wins, so "March next year" beats "next year" and
    "a year from now" beats "now"; on equal length the earlier finder wins. A month or season
    without a year is the nearest one that is not before today's month. Never raises on bad
    season data: unusable entries are skipped.
    """
    context = _Context(today, Month(today.year, today.month), _usable_seasons(seasons))
    finders = (
        _numeric_dates,
        _numeric_month_years,
        _next_year,
        _month_phrases,
        _season_phrases,
        _relative,
        _immediate,
    )
    everything = [
        (item.start - item.end, rank, item.start, item)
        for rank, finder in enumerate(finders)
        for item in islice(finder(text, context), _MAX_MENTIONS_PER_FORM)
    ]
    taken: list[Mention] = []
    for *_, item in sorted(everything, key=lambda row: row[:3]):
        if all(item.end <= other.start or item.start >= other.end for other in taken):
            taken.append(item)
    return sorted(taken, key=lambda item: item.start)


def _usable_seasons(seasons: Mapping[str, int]) -> dict[str, int]:
    """Season words with a valid month; anything else is skipped rather than raised on."""
    try:
        items = list(dict(seasons or {}).items())
    except (TypeError, ValueError):
        return {}
    usable: dict[str, int] = {}
    for word, month in items:
        if isinstance(word, str) and word.strip() and isinstance(month, int) and 1 <= month <= 12:
            usable[word.strip().lower()] = month
    return usable


def _upcoming(month: int, this_month: Month) -> Month:
    """The nearest `month` that is not before this month."""
    year = this_month.year if month >= this_month.month else this_month.year + 1
    return Month(year, month)


def _year(token: str) -> int:
    """A four-digit year, or '27 read as 2027."""
    return 2000 + int(token[1:]) if token.startswith("'") else int(token)


def _month_number(token: str) -> int:
    return _MONTH_BY_PREFIX[token[:3]]


@lru_cache(maxsize=512)
def _with_dateparser(phrase: str, today: date) -> Month | None:
    """Let dateparser read one date phrase; None when it can't."""
    settings = {
        "PREFER_DATES_FROM": "future",
        "PREFER_DAY_OF_MONTH": "first",
        "RELATIVE_BASE": datetime(today.year, today.month, today.day),
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    try:
        parsed = dateparser.parse(phrase, languages=["en"], settings=settings)
    except Exception:  # dateparser raises assorted errors on odd input; that is just "no date"
        return None
    if parsed is None or not _MIN_YEAR <= parsed.year <= _MAX_YEAR:
        return None
    return Month(parsed.year, parsed.month)


def _numeric_dates(text: str, context: _Context) -> Iterator[Mention]:
    """Full numeric dates like 03/15/2027 or 2027-03-15 (read by dateparser, US order)."""
    for match in _NUMERIC_DATE_RE.finditer(text):
        when = _with_dateparser(match.group(), context.today)
        if when is not None:
            yield Mention(match.start(), match.end(), when)


def _numeric_month_years(text: str, context: _Context) -> Iterator[Mention]:
    """Month and year in digits: 03/2027, 3/2027, 2027-03."""
    for match in _NUMERIC_MONTH_YEAR_RE.finditer(text):
        month = int(match.group("m1") or match.group("m2"))
        year = int(match.group("y1") or match.group("y2"))
        yield Mention(match.start(), match.end(), Month(year, month))


@lru_cache(maxsize=8)
def _season_regex(words: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.compile(
        rf"\b(?P<season>{alternatives})\b"
        r"(?P<term>\s+(?:semester|term|intake|session|quarter|class(?:es)?|cohort))?"
        rf"(?:\s*,?\s*(?:of\s+|in\s+)?(?P<year>{_YEAR}))?"
        r"(?:\s+(?:of\s+)?(?P<rel>next|this)\s+year\b)?",
        _FLAGS,
    )


@lru_cache(maxsize=8)
def _next_year_regex(season_words: tuple[str, ...]) -> re.Pattern[str]:
    seasons = "|".join(re.escape(word) for word in sorted(season_words, key=len, reverse=True))
    season_part = rf"|(?P<season>{seasons})\b" if seasons else ""
    return re.compile(
        r"\bnext\s+year\b(?:\s*,?\s*(?:in|around|by|during|at)\s+(?:the\s+)?"
        r"(?:(?:beginning|start|end|middle)\s+of\s+)?"
        rf"(?:(?P<month>{_MONTH}){season_part}))?",
        _FLAGS,
    )


def _next_year(text: str, context: _Context) -> Iterator[Mention]:
    """Next year: January, or the month/season named after it ("next year in the fall")."""
    year = context.this_month.year + 1
    for match in _next_year_regex(tuple(context.seasons)).finditer(text):
        groups = match.groupdict()
        if groups["month"]:
            month = _month_number(groups["month"])
        elif groups.get("season"):
            month = context.seasons[groups["season"]]
        else:
            month = 1  # a year with no month: its first month
        yield Mention(match.start(), match.end(), Month(year, month))


def _leads_in(text: str, match: re.Match[str]) -> bool:
    """True when a bare month/season reads as a time: after "in", "next", ... or said alone."""
    before, after = text[: match.start()], text[match.end() :]
    if not before.strip() and not after.strip(" .!?,"):
        return True
    return _LEAD_IN_RE.search(before[-40:]) is not None


def _season_leads_in(text: str, match: re.Match[str]) -> bool:
    before, after = text[: match.start()], text[match.end() :]
    if not before.strip() and not after.strip(" .!?,"):
        return True
    return _SEASON_LEAD_IN_RE.search(before[-40:]) is not None


def _month_phrases(text: str, context: _Context) -> Iterator[Mention]:
    """Month names with an optional day and year: "March 2027", "in march", "15 March 2027"."""
    for match in _MONTH_PHRASE_RE.finditer(text):
        month = _month_number(match.group("month"))
        year_token, relative = match.group("year"), match.group("rel")
        has_day = bool(match.group("day1") or match.group("day2"))
        if year_token:
            year = _year(year_token)
            if not _MIN_YEAR <= year <= _MAX_YEAR:
                continue
            phrase = match.group().replace(year_token, str(year))
            # dateparser reads the many day/month/year orders; the fallback is the month name.
            when = _with_dateparser(phrase, context.today) or Month(year, month)
        elif relative:
            year = context.this_month.year + (1 if relative == "next" else 0)
            when = Month(year, month)
        elif has_day or (_leads_in(text, match) and not _is_modal_may(text, match)):
            when = _upcoming(month, context.this_month)
        else:
            continue  # "May I ask...", "Jan said..." are not dates
        yield Mention(match.start(), match.end(), when)


def _is_modal_may(text: str, match: re.Match[str]) -> bool:
    """ "this may take a while": the verb, not the month."""
    if match.group("month") != "may":
        return False
    before_is_subject = re.search(r"\b(?:this|that|it|which|there|what)\s+$", text[: match.start()])
    after_is_verb = re.match(r"\s+(?!and\b|or\b|if\b|please\b|then\b)[a-z]", text[match.end() :])
    return bool(before_is_subject and after_is_verb)


def _season_phrases(text: str, context: _Context) -> Iterator[Mention]:
    """Seasons: "next fall", "fall 2027", "the spring semester", "fall of next year"."""
    if not context.seasons:
        return
    for match in _season_regex(tuple(context.seasons)).finditer(text):
        month = context.seasons[match.group("season")]
        year_token, relative = match.group("year"), match.group("rel")
        if year_token:
            year = _year(year_token)
            if not _MIN_YEAR <= year <= _MAX_YEAR:
                continue
            when = Month(year, month)
        elif relative:
            when = Month(context.this_month.year + (1 if relative == "next" else 0), month)
        elif match.group("term") or (
            _season_leads_in(text, match)
            and not re.match(r"\s+(?:of|break)\b", text[match.end() :])
        ):
            # "the fall of the regime" and "the spring break" are not times.
            when = _upcoming(month, context.this_month)
        else:
            continue  # "fall behind", "spring break" are not dates
        yield Mention(match.start(), match.end(), when)


def _count(token: str) -> int | None:
    token = re.sub(r"\s+", " ", token)
    if token.isdigit():
        return int(token)
    if token.startswith(("a couple", "couple")):
        return 2
    return _NUMBER_WORDS.get(token)


def _relative(text: str, context: _Context) -> Iterator[Mention]:
    """ "in 3 months", "in three months", "2 weeks from now", "next month" (via dateparser)."""
    for match in _RELATIVE_RE.finditer(text):
        if match.group("named"):
            phrase = match.group("named")
        else:
            count = _count(match.group("n1") or match.group("n2"))
            if count is None:
                continue  # "in several weeks", "in many years": too vague to place
            phrase = f"in {count} {match.group('u1') or match.group('u2')}"
        when = _with_dateparser(phrase, context.today)
        if when is not None:
            yield Mention(match.start(), match.end(), when)


def _immediate(text: str, context: _Context) -> Iterator[Mention]:
    """ "asap", "right away", "immediately", "this month", "now": today's month."""
    for match in _IMMEDIATE_RE.finditer(text):
        yield Mention(match.start(), match.end(), context.this_month, weak=bool(match["weak"]))
