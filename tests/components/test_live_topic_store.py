"""components/live_topic_store.py: the live layer's kNN, the store files, the watcher."""

import time
from pathlib import Path

import numpy as np

from components.live_topic_store import (
    KIND_EXAMPLES,
    KIND_TOPIC,
    LiveIndex,
    StoreWatcher,
    TrainedExamples,
    read_store,
    write_entry,
)

SHA = "test-encoder"
RNG = np.random.default_rng(7)


def unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


# Three clusters in 16 dimensions: two trained intents and one region a live topic claims.
CENTRES = unit(RNG.normal(size=(3, 16)))


def around(centre: int, n: int, spread: float = 0.15) -> np.ndarray:
    return unit(CENTRES[centre] + spread * RNG.normal(size=(n, 16))).astype(np.float32)


def trained() -> TrainedExamples:
    vectors = np.vstack([around(0, 20), around(1, 20), around(2, 3)])
    labels = ["salary"] * 20 + ["out_of_scope"] * 20 + ["out_of_scope"] * 3
    texts = [f"salary {i}" for i in range(20)] + [f"oos {i}" for i in range(23)]
    return TrainedExamples(vectors, labels, texts)


def topic(folder: Path, name: str = "keeping_credential", **extra: object) -> Path:
    vectors = around(2, 15)
    data = {
        "kind": KIND_TOPIC,
        "name": name,
        "encoder": SHA,
        "examples": [{"text": f"renew {i}", "label": name} for i in range(15)],
        "vectors": vectors.tolist(),
        "retract": [],
        "answer": {"text": "Renew it.", "buttons": []},
        **extra,
    }
    return write_entry(folder, data)


def test_a_question_near_the_live_topic_goes_to_it_and_others_keep_their_intent(
    tmp_path: Path,
) -> None:
    topic(tmp_path)
    index = LiveIndex(trained(), read_store(tmp_path), SHA)
    decision = index.decide(around(2, 1)[0])
    assert decision is not None and decision.topic and decision.label == "keeping_credential"
    assert decision.share >= 0.4
    assert index.decide(around(0, 1)[0]) is None  # a salary question stays with the model
    assert index.decide(around(1, 1)[0]) is None


def test_the_trained_model_wins_once_it_knows_the_topic(tmp_path: Path) -> None:
    topic(tmp_path, name="salary")  # a live entry for a topic the model was trained on
    index = LiveIndex(trained(), read_store(tmp_path), SHA)
    assert not index and index.decide(around(2, 1)[0]) is None


def test_vectors_of_another_encoder_are_ignored(tmp_path: Path) -> None:
    topic(tmp_path, encoder="another-encoder")
    assert not LiveIndex(trained(), read_store(tmp_path), SHA)


def test_retracted_training_examples_no_longer_vote(tmp_path: Path) -> None:
    # Few live examples against many trained ones in the same place: the trained win ...
    base = trained()
    crowded = TrainedExamples(
        np.vstack([base.vectors, around(2, 12)]),
        [*base.labels, *["out_of_scope"] * 12],
        [*base.texts, *[f"renewal oos {i}" for i in range(12)]],
    )
    path = topic(tmp_path)
    data = read_store(tmp_path)
    probe = around(2, 1)[0]
    assert LiveIndex(crowded, data, SHA).decide(probe) is None
    # ... until the operator moves them to the new topic (retract), as add-topic does.
    topic(
        tmp_path,
        retract=[f"renewal oos {i}" for i in range(12)] + [f"oos {i}" for i in (20, 21, 22)],
    )
    decision = LiveIndex(crowded, read_store(tmp_path), SHA).decide(probe)
    assert decision is not None and decision.label == "keeping_credential"
    assert path.exists()


def test_relabelled_examples_send_their_questions_to_a_known_intent(tmp_path: Path) -> None:
    vectors = around(2, 6)
    write_entry(
        tmp_path,
        {
            "kind": KIND_EXAMPLES,
            "name": "labels-1",
            "encoder": SHA,
            "examples": [{"text": f"q{i}", "label": "salary"} for i in range(6)],
            "vectors": vectors.tolist(),
        },
    )
    decision = LiveIndex(trained(), read_store(tmp_path), SHA).decide(around(2, 1)[0])
    assert decision is not None and decision.label == "salary" and not decision.topic


def test_labels_for_an_intent_the_model_does_not_know_are_ignored(tmp_path: Path) -> None:
    write_entry(
        tmp_path,
        {
            "kind": KIND_EXAMPLES,
            "name": "labels-2",
            "encoder": SHA,
            "examples": [{"text": "q", "label": "no_such_intent"}],
            "vectors": around(2, 1).tolist(),
        },
    )
    assert not LiveIndex(trained(), read_store(tmp_path), SHA)


def test_a_broken_file_is_skipped(tmp_path: Path) -> None:
    topic(tmp_path)
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    assert [e.name for e in read_store(tmp_path)] == ["keeping_credential"]


def test_the_watcher_notices_a_new_and_a_removed_file(tmp_path: Path) -> None:
    watcher = StoreWatcher(tmp_path / "live", interval=0.0)
    assert not watcher.poll() and watcher.entries == []
    path = topic(tmp_path / "live")
    assert watcher.poll() and [e.name for e in watcher.entries] == ["keeping_credential"]
    assert not watcher.poll()
    path.unlink()
    time.sleep(0.01)
    assert watcher.poll() and watcher.entries == []


def test_a_labelled_question_asked_again_goes_where_the_operator_put_it(tmp_path: Path) -> None:
    """One relabelled question among many trained ones of another intent still wins."""
    question = around(1, 1)  # sits among the trained out_of_scope examples
    write_entry(
        tmp_path,
        {
            "kind": KIND_EXAMPLES,
            "name": "labels-3",
            "encoder": SHA,
            "examples": [{"text": "how much do mas pull in", "label": "salary"}],
            "vectors": question.tolist(),
        },
    )
    index = LiveIndex(trained(), read_store(tmp_path), SHA)
    decision = index.decide(question[0])
    assert decision is not None and decision.label == "salary"
    assert index.decide(around(1, 1)[0]) is None  # its neighbours are not the same question
