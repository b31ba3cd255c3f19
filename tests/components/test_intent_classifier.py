"""components/intent_classifier.py: what the classifier does to its scores after the model."""

import numpy as np
from rasa.shared.nlu.training_data.message import Message

from components.intent_classifier import (
    STORY_WORDS,
    _a_list_asked_for,
    _no_bare_follow_up_in_a_story,
)

CLASSES = ["compare_roles", "follow_up", "salary"]


def scores_after(text: str) -> np.ndarray:
    probabilities = np.array([[0.3, 0.6, 0.1]])
    _no_bare_follow_up_in_a_story(probabilities, [Message(data={"text": text})], CLASSES)
    return probabilities[0]


def test_a_long_story_is_never_a_bare_follow_up() -> None:
    story = " ".join(["i worked as a doctor back home for years"] * 4) + " so which one for me?"
    assert len(story.split()) > STORY_WORDS
    after = scores_after(story)
    assert after[1] == 0.0
    assert np.isclose(after.sum(), 1.0) and after.argmax() == 0


def test_a_short_message_keeps_its_follow_up_score() -> None:
    assert np.allclose(scores_after("so which one for me?"), [0.3, 0.6, 0.1])


def list_scores_after(text: str) -> np.ndarray:
    probabilities = np.array([[0.6, 0.3, 0.1]])
    classes = ["find_programs", "show_checklist", "salary"]
    _a_list_asked_for(probabilities, [Message(data={"text": text})], classes)
    return probabilities[0]


def test_a_checklist_asked_for_in_so_many_words_comes_first() -> None:
    for text in ("how to choose a program? checklist style pls", "make me a to-do list"):
        after = list_scores_after(text)
        assert after.argmax() == 1 and np.isclose(after.sum(), 1.0), text


def test_a_topic_question_without_a_list_keeps_its_topic() -> None:
    assert np.allclose(list_scores_after("how do i choose a program"), [0.6, 0.3, 0.1])
