"""Checklists and a user's progress through them (no Rasa, no I/O beyond reading YAML).

Progress is a set of "<checklist>.<item>" keys, which is what the bot stores
in the user's `checklist_done` slot.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
DONE_MARK, OPEN_MARK = "✅", "⬜"


@dataclass(frozen=True)
class Item:
    id: str
    short: str
    text: str
    source: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Checklist:
    key: str
    title: str
    items: tuple[Item, ...]
    words: frozenset[str] = frozenset()  # words that name this list ("paperwork", "cv")
    # Patterns that say the whole stage is behind the user ("I finished an accredited
    # program"): every item of the list counts as done.
    finished_when: tuple[re.Pattern[str], ...] = ()

    def item_key(self, item: Item) -> str:
        return f"{self.key}.{item.id}"


class ChecklistError(ValueError):
    """The checklist data is malformed; the message names the place."""


def load_checklists(path: Path) -> dict[str, Checklist]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ChecklistError(f"{path}: not valid YAML ({error})") from error
    return parse_checklists(data, str(path))


def parse_checklists(data: Any, origin: str) -> dict[str, Checklist]:
    """Validate the checklist schema; every problem names where it is."""
    if not isinstance(data, Mapping) or not isinstance(data.get("checklists"), Mapping):
        raise ChecklistError(f"{origin}: expected a mapping with a 'checklists' mapping")
    if not data["checklists"]:
        raise ChecklistError(f"{origin}: 'checklists' is empty")
    result: dict[str, Checklist] = {}
    for key, body in data["checklists"].items():
        where = f"{origin}: checklists.{key}"
        if not isinstance(key, str) or not _KEY.match(key):
            raise ChecklistError(f"{where}: keys are lower_snake_case")
        if not isinstance(body, Mapping) or not _text(body.get("title")):
            raise ChecklistError(f"{where}: needs a 'title'")
        raw_items = body.get("items")
        if not isinstance(raw_items, list) or not raw_items:
            raise ChecklistError(f"{where}: needs a non-empty 'items' list")
        items = tuple(_item(raw, f"{where}.items[{n}]") for n, raw in enumerate(raw_items))
        ids = [item.id for item in items]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ChecklistError(f"{where}: duplicate item ids {', '.join(duplicates)}")
        words = body.get("words") or []
        if not isinstance(words, list) or not all(_text(word) for word in words):
            raise ChecklistError(f"{where}: 'words' is a list of words")
        result[key] = Checklist(
            key=key,
            title=body["title"].strip(),
            items=items,
            words=frozenset(word.strip().lower() for word in words),
            finished_when=_patterns(body.get("finished_when"), f"{where}.finished_when"),
        )
    return result


def _patterns(raw: Any, where: str) -> tuple[re.Pattern[str], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(_text(p) for p in raw):
        raise ChecklistError(f"{where}: a list of patterns")
    try:
        return tuple(re.compile(p, re.IGNORECASE) for p in raw)
    except re.error as error:
        raise ChecklistError(f"{where}: not a valid pattern ({error})") from error


def stages_behind(checklists: Mapping[str, Checklist], text: str) -> list[Checklist]:
    """The lists the message says are behind the user: a list whose `finished_when` it fits
    and, the lists being in the path's order, every list before it. Empty when none fits."""
    said = " ".join(text.lower().split())
    ordered = list(checklists.values())
    finished = [n for n, c in enumerate(ordered) if any(p.search(said) for p in c.finished_when)]
    return ordered[: max(finished) + 1] if finished else []


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _item(raw: Any, where: str) -> Item:
    if not isinstance(raw, Mapping):
        raise ChecklistError(f"{where}: expected a mapping")
    for field in ("id", "short", "text", "source"):
        if not _text(raw.get(field)):
            raise ChecklistError(f"{where}: needs '{field}'")
    if len(raw["short"]) > 30:
        raise ChecklistError(f"{where}: 'short' is a button label, at most 30 characters")
    if not _KEY.match(raw["id"]):
        raise ChecklistError(f"{where}: id {raw['id']!r} must be lower_snake_case")
    aliases = raw.get("aliases", [])
    if not isinstance(aliases, list) or not all(_text(a) for a in aliases):
        raise ChecklistError(f"{where}: 'aliases' must be a list of phrases")
    return Item(
        id=raw["id"],
        short=raw["short"].strip(),
        text=raw["text"].strip(),
        source=raw["source"].strip(),
        aliases=tuple(a.lower().strip() for a in aliases),
    )


_AFTER = re.compile(r"\b(after|once|since|now that)\b(\s+[\w']+){1,4}", re.I)
_LIST_WORD = re.compile(r"\b(check ?list|list|to-?do)\b")


def _words_of(text: str) -> str:
    return " ".join(re.findall(r"[a-z]+", text.lower()))


def choose_checklist(checklists: Mapping[str, Checklist], text: str) -> Checklist | None:
    """The checklist a message names by key or by a word of its title."""
    # "a checklist for getting a job after certification": what comes after "after" is a
    # stage behind, not the list asked for.
    text = _AFTER.sub(" ", text)
    words = set(re.findall(r"[a-z]+", text.lower()))
    # The part of the message that asks for the list counts a little more: "I PASSED THE
    # EXAM!!! ok now what, give me a checklist to get a job" asks for the job one.
    asking = {
        word
        for part in re.split(r"[.!?,;]+", text.lower())
        if _LIST_WORD.search(part)
        for word in re.findall(r"[a-z]+", part)
    }
    # "i passed the exam! help me with a job hunting checklist": the list most words name.
    # "a job search checklist for after certification": the title said whole counts once more.
    said = _words_of(text)
    scores = {
        key: len(words & (checklist.words | {key}))
        + ("_" in key and key in text)
        + (f" {_words_of(checklist.title)} " in f" {said} " and " " in checklist.title)
        + 0.5 * len(asking & (checklist.words | {key}))
        for key, checklist in checklists.items()
    }
    best = max(scores, key=lambda key: scores[key], default=None)
    return checklists[best] if best is not None and scores[best] else None


def lookup(checklists: Mapping[str, Checklist], item_key: str) -> tuple[Checklist, Item] | None:
    """The checklist and item for a "<checklist>.<item>" key, if it exists."""
    key, _, item_id = item_key.partition(".")
    checklist = checklists.get(key)
    if checklist is None:
        return None
    item = next((i for i in checklist.items if i.id == item_id), None)
    return (checklist, item) if item else None


def mark_done(done: Iterable[str], checklist: Checklist, item: Item) -> list[str]:
    """The new progress, sorted so the stored slot value is stable."""
    return sorted({*done, checklist.item_key(item)})


def mark_lists_done(done: Iterable[str], lists: Iterable[Checklist]) -> list[str]:
    """The new progress with every item of `lists` done (a whole stage behind the user)."""
    keys = {checklist.item_key(item) for checklist in lists for item in checklist.items}
    return sorted({*done, *keys})


def next_open(
    checklists: Mapping[str, Checklist], done: Iterable[str], prefer: str | None = None
) -> tuple[Checklist, Item] | None:
    """The first item not done, in the preferred checklist first, then in file order."""
    finished = set(done)
    ordered = sorted(checklists.values(), key=lambda c: c.key != prefer)
    for checklist in ordered:
        for item in checklist.items:
            if checklist.item_key(item) not in finished:
                return checklist, item
    return None


def open_items(checklist: Checklist, done: Iterable[str]) -> list[Item]:
    """The checklist's items not done yet, in order."""
    finished = set(done)
    return [item for item in checklist.items if checklist.item_key(item) not in finished]


def asks_what_is_left(text: str) -> bool:
    """ "what's left?", "what else remains" ask for every open item, not only the next."""
    return bool(_WHAT_IS_LEFT.search(text))


_WHAT_IS_LEFT = re.compile(
    r"\b(left|remain\w*|else|still (open|to do|missing)|missing|rest)\b", re.IGNORECASE
)


def render_checklist(checklist: Checklist, done: Iterable[str]) -> str:
    finished = set(done)
    count = sum(checklist.item_key(i) in finished for i in checklist.items)
    lines = [f"{checklist.title} ({count} of {len(checklist.items)} done):"]
    for item in checklist.items:
        mark = DONE_MARK if checklist.item_key(item) in finished else OPEN_MARK
        lines.append(f"{mark} {item.text}")
    return "\n".join(lines)


def render_progress(checklists: Mapping[str, Checklist], done: Iterable[str]) -> str:
    finished = set(done)
    return "\n\n".join(render_checklist(c, finished) for c in checklists.values())


def sources(checklist: Checklist) -> list[str]:
    """The guide sections a checklist draws on, in order, without repeats."""
    seen: dict[str, None] = {}
    for item in checklist.items:
        seen.setdefault(item.source.split(" (")[0].split(";")[0], None)
    return list(seen)
