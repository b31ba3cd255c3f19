"""Read NLU training examples with their file and line (plain text scan, no Rasa)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_INTENT = re.compile(r"^\s*-\s*intent:\s*(\S+)\s*$")
_BLOCK = re.compile(r"^\s*-\s*(synonym|regex|lookup):")
_EXAMPLES = re.compile(r"^\s*examples:\s*\|")
_ITEM = re.compile(r"^\s*-\s+(.*?)\s*$")


@dataclass(frozen=True)
class Example:
    intent: str
    text: str
    file: Path
    line: int


def read_examples(path: Path) -> list[Example]:
    """The intent examples of one Rasa NLU YAML file, in file order."""
    found: list[Example] = []
    intent: str | None = None
    in_examples = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if match := _INTENT.match(line):
            intent, in_examples = match.group(1), False
        elif _BLOCK.match(line):
            intent, in_examples = None, False
        elif _EXAMPLES.match(line):
            in_examples = intent is not None
        elif in_examples and (match := _ITEM.match(line)):
            found.append(Example(intent or "", match.group(1), path, number))
        elif in_examples and line.strip() and not line.startswith(" " * 4):
            in_examples = False
    return found


def nlu_files(root: Path) -> list[Path]:
    """Every YAML file under data/ that holds NLU examples."""
    return sorted(
        p
        for p in (root / "data").rglob("*.yml")
        if re.search(r"^nlu:", p.read_text(encoding="utf-8"), re.MULTILINE)
    )


def all_examples(root: Path) -> list[Example]:
    return [e for path in nlu_files(root) for e in read_examples(path)]
