"""No evaluation question, nor a near copy, stands in the training data or topic files.

Runs the shared checker (../shared/eval/overlap.py) on the shared dev sets and on
every held-out file of ours; it flags normalised-equal texts and difflib ratios >= 0.9.
"""

import difflib
import importlib.util
import subprocess
import sys
from types import ModuleType

import pytest
import yaml

from tests.conftest import ROOT
from tools.operators.writer import HELDOUT

EVAL = ROOT.parent / "shared" / "eval"
# Ours, and the questions `make add-topic` and `make import-labels` keep aside.
HELD_OUT = sorted((ROOT / "tests" / "eval").glob("*.yml")) + sorted(ROOT.glob(HELDOUT))


@pytest.mark.skipif(
    not (EVAL / "overlap.py").exists(), reason="../shared/eval is not beside the clone"
)
def test_no_evaluation_question_is_in_the_training_data() -> None:
    cases = [EVAL / "dev_cases.yml", EVAL / "dev_conversations.yml", *HELD_OUT]
    assert len(HELD_OUT) >= 3
    args = [arg for path in cases for arg in ("--cases", str(path))]
    run = subprocess.run(
        [sys.executable, str(EVAL / "overlap.py"), *args], cwd=ROOT, capture_output=True, text=True
    )
    copied = [line for line in run.stdout.splitlines() if line.startswith("COPIED")]
    assert run.returncode == 0 and not copied, "\n".join(copied[:20]) or run.stderr


def _load_overlap() -> ModuleType:
    spec = importlib.util.spec_from_file_location("shared_overlap", EVAL / "overlap.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(
    not (EVAL / "overlap.py").exists(), reason="../shared/eval is not beside the clone"
)
def test_no_safety_test_message_is_in_the_training_data() -> None:
    """The held-out safety sets are lists of messages, which overlap.py does not read."""
    overlap = _load_overlap()
    training = overlap.training_examples([ROOT / "data" / "nlu"])
    copied = []
    for path in sorted((ROOT / "tests" / "eval").glob("safety_messages*.yml")):
        lists = yaml.safe_load(path.read_text(encoding="utf-8"))
        for message in (m for v in lists.values() if isinstance(v, list) for m in v):
            text = overlap.normalise(message)
            # The message is difflib's indexed side, built once; lengths too far apart can
            # never reach 0.9 (the ratio is at most 2 * shorter / both), so they are skipped.
            close = difflib.SequenceMatcher(None, "", text)
            for example, where in training.items():
                if 2 * min(len(text), len(example)) < 0.9 * (len(text) + len(example)):
                    continue
                close.set_seq1(example)
                if text == example or (close.quick_ratio() >= 0.9 and close.ratio() >= 0.9):
                    copied.append(f"{path.name}: {message!r} ~ {where}")
                    break
    assert not copied, "\n".join(copied[:20])
