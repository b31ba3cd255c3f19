"""tools/operators/conflicts.py: existing examples that mean what a new topic means."""

import numpy as np
import yaml

from tests.conftest import ROOT
from tools.operators.conflicts import find_conflicts
from tools.operators.live import embed
from tools.operators.nlu_data import all_examples, read_examples

FIXTURE = ROOT / "tests" / "fixtures" / "live"


def test_renewal_questions_filed_as_out_of_scope_conflict_with_a_renewal_topic() -> None:
    """The issue's case, by meaning: the new topic's words differ from the old examples'."""
    new = yaml.safe_load((ROOT / "tools/bench/topics/keeping_credential.yml").read_text())[
        "examples"
    ]
    # The fixture's examples among the project's (the kNN needs a realistic neighbourhood).
    fixture = read_examples(FIXTURE / "existing_examples.yml")
    existing = fixture + all_examples(ROOT)
    found = find_conflicts(
        embed([e.text for e in existing]), [e.intent for e in existing], embed(new)
    )
    texts = {existing[c.index].text for c in found if c.index < len(fixture)}
    assert {
        "does cma certification need renewal",
        "how often do i have to renew my cma",
        "does my cma certificate expire",
    } <= texts
    # Same words, other meaning: not a conflict.
    assert "how many years to become a cma" not in texts
    assert "how much does a cma make per hour" not in texts
    assert all(-1.0 <= c.similarity <= 1.0 for c in found)
    assert found == sorted(found, key=lambda c: -c.similarity)


def test_no_examples_no_conflicts() -> None:
    assert find_conflicts(np.zeros((0, 4)), [], np.ones((2, 4))) == []
