"""What the spaCy entity ruler adds over the actions' own words for program and pace.

The timeline reads the program (certificate / associate) and the pace (full / part time)
from the ruler's entities where there are any, else from the message itself
(actions/core/plan_request.py). This counts, over every message in the evaluation sets
and the training data, how often the two ways disagree, and which entities the ruler finds.

    .venv/bin/python -m tools.bench.entity_ruler
"""

from __future__ import annotations

import collections
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from actions.core.plan_request import read_pace, read_program
from tools.dev import build_spacy_pipeline

ROOT = Path(__file__).resolve().parents[2]
SHARED_EVAL = Path(os.environ.get("IMGCMA_EVAL_DIR", ROOT.parent / "shared" / "eval"))
CASES = [ROOT / "tests/eval/heldout_v2_cases.yml", ROOT / "tests/eval/heldout_cases.yml"]
CONVERSATIONS = [ROOT / "tests/eval/heldout_conversations.yml"]


def _turns(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "text" and isinstance(value, str):
                yield value
            else:
                yield from _turns(value)
    elif isinstance(node, list):
        for value in node:
            yield from _turns(value)


def message_sets() -> dict[str, list[str]]:
    from rasa.shared.nlu.training_data.loading import load_data

    sets = {}
    for path in [*CASES, SHARED_EVAL / "dev_cases.yml"]:
        if path.exists():
            cases = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
            sets[path.name] = [c["text"] for c in cases if c.get("text")]
    for path in [*CONVERSATIONS, SHARED_EVAL / "dev_conversations.yml"]:
        if path.exists():
            sets[path.name] = list(_turns(yaml.safe_load(path.read_text(encoding="utf-8"))))
    examples = load_data(str(ROOT / "data" / "nlu")).training_examples
    sets["data/nlu (training)"] = [m.get("text") for m in examples if m.get("text")]
    return sets


def main() -> int:
    import spacy

    recipe, _ = build_spacy_pipeline.load_recipe()
    nlp = spacy.load(build_spacy_pipeline.pipeline_path(recipe))
    for name, texts in message_sets().items():
        labels: collections.Counter[str] = collections.Counter()
        differ = []
        for text in texts:
            entities = nlp(text.lower()).ents  # Rasa's SpacyNLP lowercases (config.yml)
            labels.update(e.label_ for e in entities)
            said = " ".join(e.text for e in entities if e.label_ == "program_type")
            paced = " ".join(e.text for e in entities if e.label_ == "study_pace")
            with_ruler = (
                read_program(said) or read_program(text),
                read_pace(paced) or read_pace(text),
            )
            if with_ruler != (read_program(text), read_pace(text)):
                differ.append(text)
        found = ", ".join(f"{label} {count}" for label, count in labels.most_common())
        print(
            f"{name}: {len(texts)} messages; program/pace differ in {len(differ)}; ruler: {found}"
        )
        for text in differ[:3]:
            print(f"    e.g. {text!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
