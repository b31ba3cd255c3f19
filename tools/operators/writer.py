"""Write a `Topic` into the project in the hand-written layout and style.

data/nlu/<topic>.yml, the intent and `utter_<topic>` in domain.yml, a rule in
data/rules/guide_topics.yml, the button title in data/content/topics.yml, and
a few held-out questions in topics/heldout.yml (never trained on: rasa reads data/ only).
Every write can be undone with `restore(snapshot)`.
"""

from __future__ import annotations

import hashlib
import json
import re
import textwrap
from pathlib import Path

import yaml

from tools.operators.text import normalize
from tools.operators.topic_file import Topic

DOMAIN = "domain.yml"
RULES = "data/rules/guide_topics.yml"
TITLES = "data/content/topics.yml"
HELDOUT = "topics/heldout.yml"
INTENTS_MARK = "  # added by operators (make add-topic)\n"
RESPONSES_MARK = (
    "  # ------------------------------------------------------------------ added by operators\n"
)
# Topics with this many examples or more give one in five to the held-out set.
HOLDOUT_FROM = 15

Snapshot = dict[Path, str | None]


def held_out(text: str) -> bool:
    """Whether an example belongs to the held-out split: stable, by its text alone."""
    return int(hashlib.sha256(normalize(text).encode()).hexdigest(), 16) % 5 == 0


def split_examples(examples: list[str]) -> tuple[list[str], list[str]]:
    """(train, held out): one in five held out once there are enough to spare."""
    if len(examples) < HOLDOUT_FROM:
        return list(examples), []
    test = [e for e in examples if held_out(e)]
    # The hash picks about a fifth; keep it between 2 and a quarter of the examples.
    if len(test) < 2:
        test = examples[-2:]
    test = test[: len(examples) // 4]
    return [e for e in examples if e not in test], test


def snapshot(root: Path, names: list[str]) -> Snapshot:
    """Current contents of the files about to change (None: does not exist yet)."""
    return {
        root / n: (root / n).read_text(encoding="utf-8") if (root / n).exists() else None
        for n in names
    }


def restore(saved: Snapshot) -> None:
    """Put the files back as they were in `saved`."""
    for path, text in saved.items():
        if text is None:
            path.unlink(missing_ok=True)
        else:
            path.write_text(text, encoding="utf-8")


def nlu_file(intent: str, examples: list[str]) -> str:
    lines = "".join(f"    - {e}\n" for e in examples)
    return f'version: "3.1"\nnlu:\n- intent: {intent}\n  examples: |\n{lines}'


def _scalar(value: str) -> str:
    """A YAML scalar for `value`: plain when that reads back the same, else quoted."""
    try:
        plain_ok = yaml.safe_load(value) == value and not re.search(
            r"[:#{}\[\],&*!|>'\"%@`]", value
        )
    except yaml.YAMLError:
        plain_ok = False
    return value if plain_ok else json.dumps(value, ensure_ascii=False)


def response_block(topic: Topic) -> str:
    """`utter_<topic>` as a folded block, paragraphs wrapped like the hand-written ones."""
    paragraphs: list[str] = []
    for chunk in topic.answer.replace("\r\n", "\n").split("\n\n"):
        current: list[str] = []
        for line in chunk.splitlines():
            line = line.strip()
            if line[:2] in ("- ", "* ", "• "):
                if current:
                    paragraphs.append(" ".join(current))
                current = ["• " + line[2:].strip()]
            elif line:
                current.append(line)
        if current:
            paragraphs.append(" ".join(current))
    paragraphs.append(topic.source_line)
    body = "\n\n".join(
        # Not at hyphens, nor inside long words: folding would put a space into a URL.
        textwrap.fill(
            p,
            width=80,
            initial_indent=" " * 8,
            subsequent_indent=" " * 8,
            break_on_hyphens=False,
            break_long_words=False,
        )
        for p in paragraphs
    )
    block = f"  utter_{topic.name}:\n    - text: >-\n{body}\n"
    if topic.buttons:
        block += "      buttons:\n" + "".join(
            f"        - title: {_scalar(b.title)}\n          payload: /{b.topic}\n"
            for b in topic.buttons
        )
    return block


def expected_text(topic: Topic) -> str:
    """What the response text must read like after YAML folding (for a round-trip check)."""
    block = yaml.safe_load("responses:\n" + response_block(topic))
    return block["responses"][f"utter_{topic.name}"][0]["text"]


def add_to_domain(text: str, topic: Topic) -> str:
    """The domain with the intent appended to `intents:` and the response at the end."""
    head, sep, rest = text.partition("\nentities:")
    if not sep:
        raise ValueError("domain.yml has no `entities:` section after `intents:`")
    body = head.rstrip("\n") + "\n"
    if INTENTS_MARK not in body:
        body += INTENTS_MARK
    body += f"  - {topic.name}\n"
    text = body + sep + rest
    if RESPONSES_MARK not in text:
        return text.rstrip("\n") + "\n\n" + RESPONSES_MARK + response_block(topic)
    return text.rstrip("\n") + "\n\n" + response_block(topic)


def add_rule(text: str, intent: str) -> str:
    rule = (
        f"\n  - rule: answer {intent}\n"
        f"    steps:\n"
        f"      - intent: {intent}\n"
        f"      - action: utter_{intent}\n"
    )
    return text.rstrip("\n") + "\n" + rule


def add_title(text: str, intent: str, title: str) -> str:
    line = yaml.safe_dump({intent: title}, allow_unicode=True, width=1000)
    return text.rstrip("\n") + "\n" + line


def add_heldout(text: str | None, intent: str, examples: list[str]) -> str:
    """Append held-out questions (Rasa NLU format, one block per addition)."""
    if not text:
        text = (
            "# Held-out questions added by operators (make add-topic, make import-labels).\n"
            "# Never trained on: the retraining gate measures per-intent F1 on them.\n"
            'version: "3.1"\nnlu:\n'
        )
    lines = "".join(f"    - {e}\n" for e in examples)
    return text.rstrip("\n") + f"\n- intent: {intent}\n  examples: |\n{lines}"


def files_touched(topic: Topic) -> list[str]:
    return [f"data/nlu/{topic.name}.yml", DOMAIN, RULES, TITLES, HELDOUT]


def write_topic(root: Path, topic: Topic) -> tuple[Snapshot, list[str], list[str]]:
    """Write the topic; return (snapshot to undo, training examples, held-out examples)."""
    nlu = root / "data" / "nlu" / f"{topic.name}.yml"
    if nlu.exists():
        raise FileExistsError(f"{nlu.relative_to(root)} already exists")
    saved = snapshot(root, files_touched(topic))
    train, test = split_examples(topic.examples)
    try:
        nlu.write_text(nlu_file(topic.name, train), encoding="utf-8")
        domain = root / DOMAIN
        domain.write_text(add_to_domain(domain.read_text(encoding="utf-8"), topic), "utf-8")
        rules = root / RULES
        rules.write_text(add_rule(rules.read_text(encoding="utf-8"), topic.name), "utf-8")
        titles = root / TITLES
        titles.write_text(
            add_title(titles.read_text(encoding="utf-8"), topic.name, topic.title), "utf-8"
        )
        if test:
            heldout = root / HELDOUT
            old = heldout.read_text(encoding="utf-8") if heldout.exists() else None
            heldout.write_text(add_heldout(old, topic.name, test), encoding="utf-8")
        loaded = yaml.safe_load(domain.read_text(encoding="utf-8"))
        if loaded["responses"][f"utter_{topic.name}"][0]["text"] != expected_text(topic):
            raise ValueError("the answer did not survive the round trip through domain.yml")
    except BaseException:
        restore(saved)
        raise
    return saved, train, test
