"""components/encoder.py: the pinned multilingual encoder, its checks and caches."""

from pathlib import Path

import numpy as np
import pytest
import yaml

from components.encoder import (
    DIMENSIONS,
    EncoderUnavailable,
    SentenceEncoder,
    question_focus,
    sentence_parts,
)
from tests.conftest import ROOT


def pinned_sha256() -> str:
    pipeline = yaml.safe_load((ROOT / "config.yml").read_text())["pipeline"]
    [featurizer] = [c for c in pipeline if c["name"].endswith("SentenceEmbeddingFeaturizer")]
    return featurizer["model_sha256"]


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return SentenceEncoder(sha256=pinned_sha256())


def test_vectors_are_unit_length_and_384_wide(encoder: SentenceEncoder) -> None:
    vectors = encoder.embed_many(["do i need the usmle", "cma salary"])
    assert vectors.shape == (2, DIMENSIONS)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


def test_weights_that_are_not_the_pinned_ones_stop_loading() -> None:
    with pytest.raises(EncoderUnavailable, match="sha256"):
        SentenceEncoder(sha256="0" * 64).check()


def test_the_same_question_in_six_languages_sits_next_to_the_english_one(
    encoder: SentenceEncoder,
) -> None:
    english = encoder.embed("Do I need the USMLE to become a medical assistant?")
    unrelated = encoder.embed("How much does a medical assistant earn a year?")
    for other in (
        "¿Necesito el USMLE para ser asistente médico?",
        "Preciso do USMLE para ser assistente médico?",
        "Ai-je besoin de l'USMLE pour devenir assistant médical ?",
        "هل أحتاج إلى USMLE لأصبح مساعدًا طبيًا؟",
        "क्या मुझे मेडिकल असिस्टेंट बनने के लिए USMLE चाहिए?",
        "Kailangan ko ba ang USMLE para maging medical assistant?",
    ):
        vector = encoder.embed(other)
        assert float(vector @ english) > float(vector @ unrelated), other


def test_a_text_is_embedded_once_and_users_texts_never_reach_the_disk(tmp_path: Path) -> None:
    cache = tmp_path / "vectors.sqlite"
    encoder = SentenceEncoder(sha256=pinned_sha256(), disk_cache=cache)
    first = encoder.embed("  is the externship   paid ")
    assert np.array_equal(first, encoder.embed("is the externship paid"))
    assert not cache.exists()
    trained = encoder.embed_training(["is the externship paid", "what is a cma"])
    assert cache.exists()
    again = SentenceEncoder(sha256=pinned_sha256(), disk_cache=cache)
    again._compute = None  # a second run must read every vector from the disk cache
    assert np.allclose(again.embed_training(["what is a cma"])[0], trained[1])


def test_a_batch_gives_the_vectors_one_at_a_time_gives(encoder: SentenceEncoder) -> None:
    texts = ["what is a cma", "how long is the certificate program", "hi"]
    together = SentenceEncoder(sha256=pinned_sha256())._compute(texts)
    for text, row in zip(texts, together, strict=True):
        assert float(row @ encoder.embed(text)) > 0.999


def test_a_long_story_is_read_for_the_question_it_ends_with() -> None:
    story = (
        "I graduated in Cairo in 2019 and worked three years as a GP. Last year my family and I "
        "moved to Texas. Can I work as a medical assistant with my degree?"
    )
    assert question_focus(story) == "Can I work as a medical assistant with my degree?"
    assert question_focus("can i work as a medical assistant with my degree?") is None


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("alright, and roughly when could I start working?", "roughly when could I start working?"),
        ("one more thing: do I need WES?", "do I need WES?"),
        ("Thanks! also is the externship paid?", "is the externship paid?"),
        ("ok so how long does it take", "how long does it take"),
    ],
)
def test_a_chat_lead_in_is_set_aside_from_the_question(text: str, question: str) -> None:
    assert question_focus(text) == question


@pytest.mark.parametrize(
    "text", ["thanks, that helps a lot", "ok", "okay cool thanks", "is it paid?", "and then?"]
)
def test_a_message_without_a_question_after_its_lead_in_is_read_whole(text: str) -> None:
    assert question_focus(text) is None


def test_a_message_of_several_sentences_is_also_read_sentence_by_sentence() -> None:
    story = "I was a pediatrician 11 years. My wife left. I dont see me in the future anymore."
    assert sentence_parts(story) == [
        "I was a pediatrician 11 years.",
        "My wife left.",
        "I dont see me in the future anymore.",
    ]
    assert sentence_parts("how long is the program? thanks") == [], "one sentence of 3+ words"
    assert sentence_parts("no. " * 40 + "one two three. four five six.") == [
        "one two three.",
        "four five six.",
    ]
    assert len(sentence_parts("this is one. " * 30)) == 12, "at most 12 sentences"


def test_a_short_closing_question_that_points_back_keeps_the_sentence_it_points_to() -> None:
    story = (
        "Long story short: nurse from Lima, eight years on a surgical ward, now in Ohio. "
        "A friend told me about a four week online course. Would that be enough?"
    )
    assert question_focus(story) == (
        "A friend told me about a four week online course. Would that be enough?"
    )


def test_a_short_message_is_read_for_the_question_after_its_remark() -> None:
    text = "ok I will phone them tomorrow. do medical assistants work weekends?"
    assert question_focus(text) == "do medical assistants work weekends?"
    assert question_focus("my transcripts are done. next?") is None


def test_a_long_story_without_a_question_mark_is_read_for_the_sentence_that_asks() -> None:
    story = (
        "I was a neurologist in Odesa for eight years. Now I pack boxes in Denver and I miss "
        "my patients. How long does it take from the start to a first MA job. My cousin says "
        "it takes forever and I really hope he is wrong."
    )
    assert question_focus(story) == "How long does it take from the start to a first MA job."
    inside = (
        "I did my MBBS in Karachi and two years of surgery, then moved to Ohio in 2023. I am "
        "in an accredited program now. For the exam what should i study most, surgery i know. "
        "My wife says read every chapter."
    )
    assert question_focus(inside) == "For the exam what should i study most, surgery i know."


def test_a_longer_remark_without_a_plan_is_read_apart_from_the_question() -> None:
    text = "i am ok now, my sister is with me. what is in the administrative part"
    assert question_focus(text) == "what is in the administrative part"


def test_thanks_do_not_lengthen_the_remark_before_a_question() -> None:
    text = "thank you, my sister is with me now. can you tell me what to focus on for the exam"
    assert question_focus(text) == "can you tell me what to focus on for the exam"


def test_a_short_message_ending_on_a_question_that_points_back_is_read_whole() -> None:
    assert question_focus("the cma test already scares me haha. what's on it?") is None
    assert question_focus("ok he is fine now. back to my question, do CMAs give shots?") == (
        "do CMAs give shots?"
    )


def test_a_closing_question_without_a_question_mark_is_still_read_apart() -> None:
    assert question_focus("ok other question. what does OSHA have to do with the exam") == (
        "what does OSHA have to do with the exam"
    )


def test_a_plan_told_before_a_short_question_stays_in_view() -> None:
    assert (
        question_focus("ok I start a certificate program in march 2027. when can I take the exam")
        is None
    )
