"""add-topic around the live layer: conflicts by meaning, the operator's choice.

Used by tools/operators/add_topic.py; the pure parts are conflicts.py (finding)
and topic_gate.py (judging); this module talks to the operator and edits files.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tools.operators.conflicts import Conflict, find_conflicts
from tools.operators.nlu_data import Example, all_examples
from tools.operators.topic_file import Topic
from tools.operators.writer import Snapshot, snapshot

CHOICES = {"m": "move", "d": "drop", "k": "keep"}


@dataclass
class Resolution:
    moved: list[Example] = field(default_factory=list)
    dropped: list[Example] = field(default_factory=list)
    kept: list[Example] = field(default_factory=list)

    @property
    def retract(self) -> list[str]:
        """Texts the trained model must no longer answer by: moved or dropped."""
        return [e.text for e in self.moved + self.dropped]


def conflicts_for(root: Path, topic: Topic) -> tuple[list[Example], list[Conflict]]:
    """Existing examples (outside the new topic) that mean what the new topic's examples mean."""
    from tools.operators.live import embed

    existing = [e for e in all_examples(root) if e.intent != topic.name]
    vectors = embed([e.text for e in existing], root)
    new = embed(topic.examples, root)
    return existing, find_conflicts(vectors, [e.intent for e in existing], new)


def show(
    say: Callable[[str], None],
    root: Path,
    topic: Topic,
    existing: list[Example],
    found: list[Conflict],
) -> None:
    if not found:
        say("  no existing example means the same as the new topic's (checked by meaning)")
        return
    say(f"  {len(found)} existing example(s) mean the same as `{topic.name}`'s:")
    for n, c in enumerate(found, start=1):
        e = existing[c.index]
        where = e.file.relative_to(root) if e.file.is_relative_to(root) else e.file
        say(f"  {n:2}. `{e.intent}` {where}:{e.line}  {e.text!r}")
        say(f"        like your {topic.examples[c.closest]!r} ({c.reason}, {c.similarity:.2f})")


def _ask(prompt: str) -> str:
    try:
        answer = input(prompt)
    except EOFError:
        answer = ""  # no more answers: keep
    if not sys.stdin.isatty():
        print(answer or "(none: keep)", flush=True)  # the log shows what was answered
    return answer


def choose(
    found: list[Conflict],
    existing: list[Example],
    mode: str | None,
    say: Callable[[str], None],
    ask: Callable[[str], str] = _ask,
) -> Resolution:
    """The operator's choice for each conflict: `mode` for all, or asked one by one.

    No mode: ask at a terminal, else keep them all. `ask` reads the answers from
    standard input even when it is not a terminal (scripts, the benchmark).
    """
    result = Resolution()
    if mode is None and found and not sys.stdin.isatty():
        say("  (not a terminal: keeping them all; --conflicts move|drop|keep|ask decides)")
    mode = mode or ("ask" if sys.stdin.isatty() else "keep")
    for_all = None if mode == "ask" else mode
    for n, c in enumerate(found, start=1):
        choice = for_all
        while choice is None:
            answer = ask(
                f"  {n}. [m]ove to the new topic, [d]rop, [k]eep (M/D/K: the same for all the "
                "rest)? "
            ).strip()
            if answer in ("M", "D", "K"):
                for_all = CHOICES[answer.lower()]
                choice = for_all
            elif answer.lower() in CHOICES:
                choice = CHOICES[answer.lower()]
            elif answer == "":
                choice = "keep"
            else:
                say("  please answer m, d or k")
        getattr(result, {"move": "moved", "drop": "dropped", "keep": "kept"}[choice]).append(
            existing[c.index]
        )
    return result


def apply(root: Path, topic_file: Path, resolution: Resolution) -> Snapshot:
    """Take moved and dropped examples out of their files; moved ones join the new topic.

    Returns the snapshot of the files it changed (before the change), to undo it.
    """
    gone = resolution.moved + resolution.dropped
    files = sorted({e.file for e in gone} | ({topic_file} if resolution.moved else set()))
    saved = snapshot(root, [str(f.relative_to(root)) for f in files])
    by_file: dict[Path, set[int]] = {}
    for e in gone:
        by_file.setdefault(e.file, set()).add(e.line)
    for path, numbers in by_file.items():
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text(
            "".join(line for i, line in enumerate(lines, start=1) if i not in numbers), "utf-8"
        )
    if resolution.moved:
        text = topic_file.read_text(encoding="utf-8").rstrip("\n") + "\n"
        text += "".join(f"    - {e.text}\n" for e in resolution.moved)
        topic_file.write_text(text, encoding="utf-8")
    return saved
