"""Read an operator's topic file (YAML, or CSV) into a checked `Topic`.

YAML:
    topic: exam_day            # the intent name: lower case, digits, underscores
    title: Exam day            # how the topic reads on a button
    examples: [...]            # 10 or more ways users ask
    answer: |                  # the answer, in our own words; blank lines split messages
      ...
    source:
      guide_section: "Step 4: Passing the CMA (AAMA) Certification Exam"
      # or: url: https://...  and  last_verified: 2026-11-01
    buttons:                   # optional follow-ups: a title and the topic it opens
      - {title: Exam format, topic: exam_format}

CSV: two columns `field,value`; `example` and `button` rows repeat, a button's
value is `title | topic`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tools.operators.text import normalize

MIN_EXAMPLES = 10
NAME = re.compile(r"^[a-z][a-z0-9_]{2,47}$")
URL = re.compile(r"^https?://[^\s]+$")
RESERVED = {"nlu_fallback", "out_of_scope", "restart", "back", "session_start"}
FIELDS = {"topic", "title", "examples", "answer", "source", "buttons"}


class TopicFileError(ValueError):
    """A topic file that cannot be used; `problems` lists each with its line."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__(f"{path}: " + "; ".join(problems))


@dataclass(frozen=True)
class Button:
    title: str
    topic: str


@dataclass
class Topic:
    name: str
    title: str
    examples: list[str]
    answer: str
    guide_section: str | None = None
    url: str | None = None
    last_verified: dt.date | None = None
    buttons: list[Button] = field(default_factory=list)

    @property
    def source_line(self) -> str:
        """The answer's last line, in the project's style."""
        if self.guide_section:
            return f'📖 From the guide: "{self.guide_section}"'
        return f"📖 Source: {self.url} (last verified {self.last_verified})"


def _lines(path: Path, text: str) -> dict[str, int]:
    """Line numbers of the top-level keys (1-based), for error messages."""
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: k.start_mark.line + 1 for k, _ in node.value if hasattr(k, "value")}


def _from_csv(text: str) -> tuple[dict[str, Any], dict[str, int]]:
    data: dict[str, Any] = {"examples": [], "buttons": [], "source": {}}
    lines: dict[str, int] = {}
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or not row[0].strip() or row[0].strip().startswith("#"):
            continue
        key = row[0].strip().lower()
        value = ",".join(row[1:]).strip()
        if number == 1 and key == "field":
            continue
        lines.setdefault(key, number)
        if key == "example":
            data["examples"].append(value)
        elif key == "button":
            title, _, topic = value.partition("|")
            data["buttons"].append({"title": title.strip(), "topic": topic.strip()})
        elif key in ("guide_section", "url", "last_verified"):
            data["source"][key] = value
        else:
            data[key] = value
    lines["examples"] = lines.get("example", 0)
    lines["buttons"] = lines.get("button", 0)
    lines["source"] = min(
        (lines[k] for k in ("guide_section", "url", "last_verified") if k in lines), default=0
    )
    return data, lines


def parse_topic(path: Path, existing_intents: set[str] | None = None) -> Topic:
    """Read and check a topic file; raise `TopicFileError` listing every problem."""
    data, lines = _read(path)
    problems: list[str] = []

    def at(key: str) -> str:
        return f"line {lines[key]}: " if lines.get(key) else ""

    for key in sorted(set(data) - FIELDS):
        problems.append(f"{at(key)}unknown field `{key}` (expected: {', '.join(sorted(FIELDS))})")
    name = str(data.get("topic") or "").strip()
    if not NAME.match(name):
        problems.append(
            f"{at('topic')}`topic` must be a name of 3-48 lower-case letters, digits or "
            f"underscores, starting with a letter (got {name!r})"
        )
    elif name in RESERVED or (existing_intents and name in existing_intents):
        problems.append(f"{at('topic')}topic `{name}` already exists: choose another name")
    title = str(data.get("title") or "").strip()
    if not title:
        problems.append(f"{at('title')}`title` is missing (how the topic reads on a button)")
    examples = _examples(data.get("examples") or [], at("examples"), problems)
    answer = str(data.get("answer") or "").strip()
    if not answer:
        problems.append(f"{at('answer')}`answer` is missing")
    elif "From the guide" in answer or "📖" in answer:
        problems.append(f"{at('answer')}leave the source out of `answer`: it goes in `source`")
    section, url, verified = _source(data.get("source") or {}, at("source"), problems)
    known = None if existing_intents is None else existing_intents | {name}
    buttons = _buttons(data.get("buttons") or [], known, at("buttons"), problems)
    if problems:
        raise TopicFileError(path, problems)
    return Topic(name, title, examples, answer, section, url, verified, buttons)


def _read(path: Path) -> tuple[dict[str, Any], dict[str, int]]:
    """The file's fields and the line each starts on."""
    if not path.is_file():
        raise TopicFileError(path, [f"no such file: {path}"])
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".csv":
        data, lines = _from_csv(text)
    else:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"line {mark.line + 1}: " if mark else ""
            raise TopicFileError(path, [f"{where}not valid YAML ({exc})"]) from None
        lines = _lines(path, text)
    if not isinstance(data, dict):
        raise TopicFileError(path, ["expected fields like `topic:`, `examples:`, `answer:`"])
    return data, lines


def _examples(raw: Any, at: str, problems: list[str]) -> list[str]:
    if not isinstance(raw, list):
        problems.append(f"{at}`examples` must be a list of questions")
        raw = []
    examples: list[str] = []
    seen: set[str] = set()
    for index, example in enumerate(raw, start=1):
        text_ = " ".join(str(example or "").split())
        if not text_ or text_.startswith("/") or re.search(r"\]\(|\]\{", text_):
            problems.append(f"{at}example {index} is empty or not plain text")
        elif normalize(text_) in seen:
            problems.append(f"{at}example {index} repeats an earlier one: {text_!r}")
        else:
            seen.add(normalize(text_))
            examples.append(text_)
    if len(examples) < MIN_EXAMPLES:
        problems.append(
            f"{at}{len(examples)} usable examples; write at least {MIN_EXAMPLES} "
            "different ways users would ask"
        )
    return examples


def _source(
    source: Any, at: str, problems: list[str]
) -> tuple[str | None, str | None, dt.date | None]:
    """The guide section, or the URL and the date it was last checked."""
    if isinstance(source, str):
        source = {"guide_section": source}
    section = str(source.get("guide_section") or "").strip() or None
    url = str(source.get("url") or "").strip() or None
    verified: dt.date | None = None
    if section and url:
        problems.append(f"{at}give either `guide_section` or `url`, not both")
    elif not section and not url:
        problems.append(
            f"{at}`source` is missing: a `guide_section` title, or a `url` with "
            "its `last_verified` date"
        )
    elif url:
        if not URL.match(url):
            problems.append(f"{at}`url` must start with http:// or https://")
        raw_date = source.get("last_verified")
        try:
            verified = (
                raw_date
                if isinstance(raw_date, dt.date)
                else dt.date.fromisoformat(str(raw_date).strip())
            )
        except ValueError:
            problems.append(f"{at}a `url` needs `last_verified: YYYY-MM-DD` (got {raw_date!r})")
        if verified and verified > dt.date.today():
            problems.append(f"{at}`last_verified` {verified} is in the future")
    return section, url, verified


def _buttons(raw: Any, known: set[str] | None, at: str, problems: list[str]) -> list[Button]:
    """Follow-up buttons; with `known` intents, each must open one of them."""
    buttons: list[Button] = []
    for index, button in enumerate(raw, start=1):
        if not isinstance(button, dict) or not button.get("title") or not button.get("topic"):
            problems.append(f"{at}button {index} needs a `title` and a `topic`")
            continue
        target = str(button["topic"]).strip()
        if known is not None and target not in known:
            problems.append(f"{at}button {index} opens unknown topic `{target}`")
        buttons.append(Button(str(button["title"]).strip(), target))
    return buttons
