"""Choosing which topics to offer in "did you mean...?"."""

from pathlib import Path

import pytest

from actions.core.topics import candidate_topics, load_topic_titles

TITLES = {"externship": "The externship", "salary": "Pay", "timeline": "How long it takes"}


def test_skips_fallback_and_small_talk_and_keeps_order() -> None:
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.5},
        {"name": "salary", "confidence": 0.4},
        {"name": "thanks", "confidence": 0.3},
        {"name": "timeline", "confidence": 0.2},
        {"name": "externship", "confidence": 0.1},
    ]
    assert candidate_topics(ranking, TITLES) == ["salary", "timeline"]


def test_ignores_unlikely_topics() -> None:
    ranking = [{"name": "salary", "confidence": 0.3}, {"name": "timeline", "confidence": 0.01}]
    assert candidate_topics(ranking, TITLES) == ["salary"]


def test_declines_when_out_of_scope_leads() -> None:
    ranking = [{"name": "out_of_scope", "confidence": 0.4}, {"name": "salary", "confidence": 0.39}]
    assert candidate_topics(ranking, TITLES) == []


def test_out_of_scope_after_a_topic_does_not_hide_it() -> None:
    ranking = [{"name": "salary", "confidence": 0.4}, {"name": "out_of_scope", "confidence": 0.39}]
    assert candidate_topics(ranking, TITLES) == ["salary"]


def test_rejects_a_broken_titles_file(tmp_path: Path) -> None:
    broken = tmp_path / "topics.yml"
    broken.write_text("salary: \nexternship: The externship\n", encoding="utf-8")
    with pytest.raises(ValueError, match="salary"):
        load_topic_titles(broken)
