"""Merge the operator's labelled review rows into the training data, without duplicates."""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tools.operators.nlu_data import all_examples, read_examples
from tools.operators.text import normalize
from tools.operators.topic_file import NAME
from tools.operators.writer import HELDOUT, add_heldout, held_out

SKIP = {"", "-", "skip", "none", "ignore"}


@dataclass
class ImportReport:
    added: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    heldout: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    already: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    drafts: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    skipped: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.heldout)

    def lines(self) -> list[str]:
        out = [f"added {len(v)} example(s) to `{k}`" for k, v in sorted(self.added.items())]
        out += [
            f"kept {len(v)} `{k}` question(s) aside as held-out test questions"
            for k, v in sorted(self.heldout.items())
        ]
        if self.already:
            out.append(
                f"{len(self.already)} message(s) were already in the training data "
                "or the test questions"
            )
        out += [f"not added: {c}" for c in self.conflicts]
        out += [
            f"new topic `{k}`: {len(v)} question(s) saved in a draft topic file (see below)"
            for k, v in sorted(self.drafts.items())
        ]
        if self.skipped:
            out.append(f"{self.skipped} row(s) without an intent were skipped")
        return out or ["nothing to import"]


def read_labels(path: Path) -> list[tuple[int, str, list[str]]]:
    """(line, intent, messages) per labelled CSV row."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = {"text", "intent"} - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"{path}: the CSV needs the column(s) {', '.join(sorted(missing))}")
        rows = []
        for row in reader:
            messages = [row["text"] or ""]
            messages += [m for m in (row.get("similar_messages") or "").split(" | ")]
            messages = [" ".join(m.split()) for m in messages if m and m.strip()]
            rows.append((reader.line_num, (row["intent"] or "").strip(), messages))
    return rows


def plan_import(
    rows: list[tuple[int, str, list[str]]],
    known: dict[str, str],
    intents: set[str],
) -> ImportReport:
    """Decide what goes where. `known`: normalized example -> its intent (training + held-out)."""
    report = ImportReport()
    claimed = dict(known)
    for line, intent, messages in rows:
        if intent.lower() in SKIP:
            report.skipped += 1
            continue
        for message in messages:
            key = normalize(message)
            if not key:
                continue
            if key in claimed:
                if claimed[key] == intent:
                    report.already.append(message)
                else:
                    report.conflicts.append(
                        f"line {line}: {message!r} is already an example of "
                        f"`{claimed[key]}`, not `{intent}`"
                    )
                continue
            if intent not in intents and not NAME.match(intent):
                report.conflicts.append(
                    f"line {line}: `{intent}` is neither a known intent nor a valid new topic "
                    "name (lower-case letters, digits, underscores)"
                )
                break
            claimed[key] = intent
            if intent not in intents:
                report.drafts[intent].append(message)
            elif held_out(message):
                report.heldout[intent].append(message)
            else:
                report.added[intent].append(message)
    return report


def _insert_examples(path: Path, intent: str, examples: list[str]) -> None:
    """Add examples right after the last example of `intent` in `path`."""
    last = max(e.line for e in read_examples(path) if e.intent == intent)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    if not lines[last - 1].endswith("\n"):
        lines[last - 1] += "\n"
    lines[last:last] = [f"    - {e}\n" for e in examples]
    path.write_text("".join(lines), encoding="utf-8")


def draft_topic(intent: str, examples: list[str]) -> str:
    items = "".join(f"  - {e}\n" for e in examples)
    return (
        f"# Draft made by `make import-labels` from real user questions.\n"
        f"# Add more examples (10 or more), the answer and its source, then run\n"
        f"#   make add-topic FILE=<this file>\n"
        f"topic: {intent}\ntitle: TODO a short button title\nexamples:\n{items}"
        f"answer: |\n  TODO the answer, in our own words\nsource:\n"
        f'  guide_section: "TODO the exact title of a guide section"\n'
    )


def apply_import(root: Path, report: ImportReport, drafts_dir: Path) -> list[Path]:
    """Write the planned additions; returns the files written."""
    written: list[Path] = []
    files = {e.intent: e.file for e in all_examples(root)}
    for intent, examples in report.added.items():
        _insert_examples(files[intent], intent, examples)
        written.append(files[intent])
    if report.heldout:
        heldout = root / HELDOUT
        text = heldout.read_text(encoding="utf-8") if heldout.exists() else None
        for intent, examples in sorted(report.heldout.items()):
            text = add_heldout(text, intent, examples)
        heldout.write_text(text or "", encoding="utf-8")
        written.append(heldout)
    for intent, examples in report.drafts.items():
        drafts_dir.mkdir(parents=True, exist_ok=True)
        path = drafts_dir / f"{intent}.yml"
        path.write_text(draft_topic(intent, examples), encoding="utf-8")
        written.append(path)
    return written


def known_examples(root: Path) -> dict[str, str]:
    """Every question the project already has: training data and test questions alike
    (a test question copied into training would no longer test anything)."""
    known = {normalize(e.text): e.intent for e in all_examples(root)}
    heldout = root / HELDOUT
    if heldout.exists():
        known.update({normalize(e.text): e.intent for e in read_examples(heldout)})
    cases = root / "tests" / "eval" / "heldout_cases.yml"
    if cases.exists():
        for case in (yaml.safe_load(cases.read_text(encoding="utf-8")) or {}).get("cases", []):
            known.setdefault(normalize(str(case["text"])), str(case["topic"]))
    return known
