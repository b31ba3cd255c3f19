"""No evaluation question, nor a near copy, stands in the training data or topic files.

Runs the shared checker (../shared/eval/overlap.py) on the shared dev sets and on
every held-out file of ours; it flags normalised-equal texts and difflib ratios >= 0.9.
"""

import subprocess
import sys

import pytest

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
