"""components/linear_intent_model.py: fit, score, save and load without pickles."""

from pathlib import Path

import numpy as np

from components.linear_intent_model import LinearIntentModel, Settings

TEXTS = [
    "how much does a cma earn",
    "cma salary per year",
    "pay for medical assistants",
    "is the externship paid",
    "do i have to do an externship",
    "externship required?",
]
LABELS = ["salary"] * 3 + ["externship"] * 3


def embeddings(texts: list[str]) -> np.ndarray:
    """Stand-in vectors: a word-presence signal, enough to test the plumbing."""
    return np.array([[("extern" in t) * 1.0, ("sal" in t or "pay" in t) * 1.0] for t in texts])


def test_it_learns_and_ranks_the_intents() -> None:
    model = LinearIntentModel.fit(TEXTS, embeddings(TEXTS), LABELS, Settings(c=10))
    [ranking] = model.rankings(["externshp mandatory?"], embeddings(["externshp mandatory?"]))
    assert ranking[0][0] == "externship"
    assert abs(sum(confidence for _, confidence in ranking) - 1.0) < 1e-6


def test_a_saved_model_loads_with_the_same_scores(tmp_path: Path) -> None:
    model = LinearIntentModel.fit(TEXTS, embeddings(TEXTS), LABELS)
    model.save(tmp_path)
    assert not list(tmp_path.glob("*.pkl"))
    loaded = LinearIntentModel.load(tmp_path)
    probe = ["salery of an ma", "is it unpaid"]
    assert loaded.classes == model.classes
    assert np.allclose(
        loaded.probabilities(probe, embeddings(probe)),
        model.probabilities(probe, embeddings(probe)),
    )
