"""The SafetyGate graph component on Rasa messages, and its place in config.yml."""

from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.safety_gate import SafetyGate
from tests.conftest import ROOT

# What DIET and then the FallbackClassifier leave on a message they are unsure of.
UNSURE = {"name": "nlu_fallback", "confidence": 0.55}
RANKING = [UNSURE, {"name": "exam_study_focus", "confidence": 0.31}]


def gate(tmp_path: Path, **config: Any) -> SafetyGate:
    return SafetyGate.create(
        {**SafetyGate.get_default_config(), **config},
        LocalModelStorage(tmp_path),
        Resource("safety_gate"),
        ExecutionContext(GraphSchema({}), "test"),
    )


def message(text: str) -> Message:
    return Message(
        data={"text": text, "intent": dict(UNSURE), "intent_ranking": [dict(r) for r in RANKING]}
    )


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("I have chest pain going to my left arm for the last hour", "medical_emergency"),
        ("my roommate collapsed and is not breathing", "medical_emergency"),
        ("I took too many sleeping pills by accident", "medical_emergency"),
        ("I failed step 2 twice and I don't see the point of living anymore", "self_harm"),
    ],
)
def test_a_safety_message_gets_its_intent_first_with_full_confidence(
    tmp_path: Path, text: str, intent: str
) -> None:
    [out] = gate(tmp_path).process([message(text)])
    assert out.get("intent") == {"name": intent, "confidence": 1.0}
    ranking = out.get("intent_ranking")
    assert ranking[0] == {"name": intent, "confidence": 1.0}
    assert ranking[1:] == RANKING, "the model's own ranking follows, unchanged"
    assert {"intent", "intent_ranking"} <= out.output_properties


def test_a_normal_message_is_untouched(tmp_path: Path) -> None:
    [out] = gate(tmp_path).process([message("I'm dying to know the salary")])
    assert out.get("intent") == UNSURE
    assert out.get("intent_ranking") == RANKING


def test_several_messages_each_get_their_own_verdict(tmp_path: Path) -> None:
    texts = ["i want to die", "what does a CMA do", "he is not breathing"]
    out = gate(tmp_path).process([message(t) for t in texts])
    assert [m.get("intent")["name"] for m in out] == [
        "self_harm",
        "nlu_fallback",
        "medical_emergency",
    ]


def test_runs_after_the_fallback_classifier_and_wins(tmp_path: Path) -> None:
    fallback = FallbackClassifier.create(
        {**FallbackClassifier.get_default_config(), "threshold": 0.55},
        LocalModelStorage(tmp_path),
        Resource("fallback"),
        ExecutionContext(GraphSchema({}), "test"),
    )
    unsure = Message(
        data={
            "text": "my chest hurts so much",
            "intent": {"name": "exam_study_focus", "confidence": 0.3},
            "intent_ranking": [{"name": "exam_study_focus", "confidence": 0.3}],
        }
    )
    [out] = gate(tmp_path).process(fallback.process([unsure]))
    assert out.get("intent")["name"] == "medical_emergency"
    assert [r["name"] for r in out.get("intent_ranking")][:2] == [
        "medical_emergency",
        "nlu_fallback",
    ]


def test_a_message_without_a_ranking_gets_one(tmp_path: Path) -> None:
    [out] = gate(tmp_path).process([Message(data={"text": "quiero morir"})])
    assert out.get("intent_ranking") == [{"name": "self_harm", "confidence": 1.0}]


def test_a_message_without_text_is_untouched(tmp_path: Path) -> None:
    [out] = gate(tmp_path).process([Message(data={})])
    assert out.get("intent") is None


def test_intent_names_and_patterns_file_can_be_configured(tmp_path: Path) -> None:
    patterns = tmp_path / "patterns.yml"
    patterns.write_text(
        yaml.safe_dump(
            {
                "categories": {
                    "self_harm": {"patterns": [r"\bxyzzy\b"]},
                    "emergency": {"patterns": [r"\bplugh\b"]},
                }
            }
        ),
        encoding="utf-8",
    )
    custom = gate(tmp_path, patterns=str(patterns), intents={"emergency": "call_911"})
    [out] = custom.process([message("plugh")])
    assert out.get("intent")["name"] == "call_911"
    [out] = custom.process([message("i want to die")])
    assert out.get("intent") == UNSURE, "only the configured file's patterns count"


def test_a_broken_patterns_file_stops_the_load(tmp_path: Path) -> None:
    broken = tmp_path / "patterns.yml"
    broken.write_text("categories: {}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="categories"):
        gate(tmp_path, patterns=str(broken))


def test_training_data_passes_unchanged(tmp_path: Path) -> None:
    data = TrainingData([Message(data={"text": "hi", "intent": "greet"})])
    assert gate(tmp_path).process_training_data(data) is data


def test_the_gate_is_the_last_component_of_the_pipeline() -> None:
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    names = [c["name"] for c in config["pipeline"]]
    assert names[-1] == "components.safety_gate.SafetyGate"
    assert names.index("FallbackClassifier") < names.index("components.safety_gate.SafetyGate")


def ranked(text: str, ranking: list[dict], language: dict | None = None) -> Message:
    data: dict[str, Any] = {"text": text, "intent": dict(ranking[0]), "intent_ranking": ranking}
    if language is not None:
        data["language"] = language
    return Message(data=data)


def test_a_sure_model_raises_the_alarm_without_a_pattern(tmp_path: Path) -> None:
    ranking = [{"name": "self_harm", "confidence": 0.95}, {"name": "salary", "confidence": 0.02}]
    [out] = gate(tmp_path).process([ranked("ive been saving up my pills for weeks", ranking)])
    assert out.get("intent") == {"name": "self_harm", "confidence": 1.0}


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (None, "nlu_fallback"),
        ({"code": "hi", "english": False}, "other_language"),
    ],
)
def test_an_unsure_safety_prediction_gives_way(
    tmp_path: Path, language: dict | None, expected: str
) -> None:
    ranking = [{"name": "self_harm", "confidence": 0.45}, {"name": "greet", "confidence": 0.2}]
    [out] = gate(tmp_path, model_threshold=0.6).process(
        [ranked("im scared to death of the interview", ranking, language)]
    )
    assert out.get("intent")["name"] == expected
    assert "self_harm" not in [e["name"] for e in out.get("intent_ranking")]


def test_a_look_alike_is_never_an_alarm_however_sure_the_model(tmp_path: Path) -> None:
    ranking = [{"name": "self_harm", "confidence": 0.99}, {"name": "salary", "confidence": 0.01}]
    [out] = gate(tmp_path).process([ranked("I'm dying to know the salary", ranking)])
    assert out.get("intent")["name"] == "nlu_fallback"


def test_the_model_counts_when_its_own_top_intent_is_a_safety_one(tmp_path: Path) -> None:
    """Behind "did you mean" (the fallback's verdict) the classifier's first choice decides."""
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.7},
        {"name": "self_harm", "confidence": 0.65},
        {"name": "salary", "confidence": 0.2},
    ]
    text = "tell my study group sorry, they won't see me at the exam or anywhere else"
    [out] = gate(tmp_path, model_threshold=0.6).process([ranked(text, ranking)])
    assert out.get("intent") == {"name": "self_harm", "confidence": 1.0}


def test_a_safety_intent_below_the_top_does_not_count(tmp_path: Path) -> None:
    ranking = [{"name": "salary", "confidence": 0.5}, {"name": "self_harm", "confidence": 0.45}]
    [out] = gate(tmp_path, model_threshold=0.4).process(
        [ranked("pay is so low i give up", ranking)]
    )
    assert out.get("intent")["name"] == "salary"


@pytest.mark.parametrize(
    "text",
    ["i'd rather vanish than sit another mock lol", "my dad will murder me 😂", "jk jk i'm fine"],
)
def test_a_joke_stops_an_alarm_only_the_model_would_raise(tmp_path: Path, text: str) -> None:
    ranking = [{"name": "self_harm", "confidence": 0.97}, {"name": "salary", "confidence": 0.01}]
    [out] = gate(tmp_path).process([ranked(text, ranking)])
    assert out.get("intent")["name"] != "self_harm"


def test_a_joke_does_not_excuse_what_the_model_is_all_but_certain_of(tmp_path: Path) -> None:
    text = "lol i looked up how many of my pens it would take. dont worry about it"
    sure = [{"name": "self_harm", "confidence": 0.99}, {"name": "salary", "confidence": 0.01}]
    [out] = gate(tmp_path).process([ranked(text, sure)])
    assert out.get("intent")["name"] == "self_harm"
    less_sure = [{"name": "self_harm", "confidence": 0.95}, {"name": "salary", "confidence": 0.05}]
    [out] = gate(tmp_path).process([ranked(text, less_sure)])
    assert out.get("intent")["name"] != "self_harm"


def test_a_look_alike_said_in_earnest_is_not_excused(tmp_path: Path) -> None:
    ranking = [{"name": "self_harm", "confidence": 0.9}, {"name": "salary", "confidence": 0.05}]
    idiom = "I'd rather die than go back home"
    [out] = gate(tmp_path).process([ranked(idiom, ranking)])
    assert out.get("intent")["name"] != "self_harm"
    [out] = gate(tmp_path).process([ranked(idiom + ", and I mean it", ranking)])
    assert out.get("intent")["name"] == "self_harm"


def test_a_joke_does_not_stop_what_the_patterns_hear(tmp_path: Path) -> None:
    [out] = gate(tmp_path).process([message("lol i want to kill myself tonight")])
    assert out.get("intent") == {"name": "self_harm", "confidence": 1.0}


def test_a_study_question_the_patterns_misread_gives_way_to_a_sure_model(tmp_path: Path) -> None:
    ranking = [
        {"name": "out_of_scope", "confidence": 0.9},
        {"name": "exam_format", "confidence": 0.05},
    ]
    text = "exam scenario: a patient in the lobby is seizing, the answer choices confuse me"
    [out] = gate(tmp_path).process([ranked(text, ranking)])
    assert out.get("intent")["name"] == "out_of_scope"


def test_an_emergency_told_in_a_study_setting_still_alarms(tmp_path: Path) -> None:
    """Without a sure model the patterns decide: the study words alone excuse nothing."""
    ranking = [
        {"name": "out_of_scope", "confidence": 0.5},
        {"name": "medical_emergency", "confidence": 0.4},
    ]
    text = "during my practice exam the guy next to me collapsed and isnt breathing"
    [out] = gate(tmp_path).process([ranked(text, ranking)])
    assert out.get("intent") == {"name": "medical_emergency", "confidence": 1.0}


@pytest.mark.parametrize(
    ("confidence", "expected"), [(0.95, "self_harm"), (0.5, "medical_emergency")]
)
def test_a_sure_model_turns_an_emergency_pattern_into_self_harm(
    tmp_path: Path, confidence: float, expected: str
) -> None:
    ranking = [
        {"name": "self_harm", "confidence": confidence},
        {"name": "salary", "confidence": 0.01},
    ]
    text = "how long does an overdose of my insulin take, i have a full box of pens"
    [out] = gate(tmp_path).process([ranked(text, ranking)])
    assert out.get("intent") == {"name": expected, "confidence": 1.0}


def test_means_at_hand_are_never_excused_as_a_study_question(tmp_path: Path) -> None:
    """A sure model reads a lethal-dose question as out of scope; the means at hand win."""
    ranking = [
        {"name": "out_of_scope", "confidence": 0.9},
        {"name": "self_harm", "confidence": 0.1},
    ]
    asked = "what is the fatal dose of acetaminophen for an adult"
    [study] = gate(tmp_path).process([ranked(f"pharm class question: {asked}?", ranking)])
    assert study.get("intent")["name"] == "out_of_scope"
    at_hand = f"{asked}? there is a whole bottle in my bathroom"
    [out] = gate(tmp_path).process([ranked(at_hand, ranking)])
    assert out.get("intent") == {"name": "self_harm", "confidence": 1.0}


def test_hurting_oneself_is_never_excused_as_a_study_question(tmp_path: Path) -> None:
    """A quiz named in a first-person self-injury is no study question, however sure the model."""
    ranking = [
        {"name": "out_of_scope", "confidence": 0.88},
        {"name": "self_harm", "confidence": 0.1},
    ]
    text = "i scratch my arms with a razor whenever i fail a practice quiz"
    [out] = gate(tmp_path).process([ranked(text, ranking)])
    assert out.get("intent") == {"name": "self_harm", "confidence": 1.0}


def test_self_harm_said_of_oneself_is_never_excused_as_a_study_question(tmp_path: Path) -> None:
    """A sure accreditation reading does not excuse "ending my life" told in passing."""
    ranking = [
        {"name": "accreditation_requirement", "confidence": 0.97},
        {"name": "self_harm", "confidence": 0.01},
    ]
    text = "difference between CAAHEP and ABHES? also I've been thinking about ending my life"
    [out] = gate(tmp_path).process([ranked(text, ranking)])
    assert out.get("intent") == {"name": "self_harm", "confidence": 1.0}


def test_ones_own_emergency_is_never_excused_as_a_study_question(tmp_path: Path) -> None:
    """Told in a roles comparison ("CMA vs CNA"), the writer's own chest pressure stands."""
    ranking = [
        {"name": "compare_roles", "confidence": 0.82},
        {"name": "self_harm", "confidence": 0.04},
    ]
    text = "CMA vs CNA, which is better? also I have crushing chest pressure for 20 minutes"
    [out] = gate(tmp_path).process([ranked(text, ranking)])
    assert out.get("intent") == {"name": "medical_emergency", "confidence": 1.0}
    case = "CMA vs CNA question: what does the MA do first when a patient has chest pressure"
    [study] = gate(tmp_path).process([ranked(case, ranking)])
    assert study.get("intent")["name"] == "compare_roles"


def test_an_emergency_in_front_of_the_asker_is_no_study_question(tmp_path: Path) -> None:
    """ "externship" names a place here, not a study question: the emergency stands."""
    ranking = [
        {"name": "externship", "confidence": 0.9},
        {"name": "out_of_scope", "confidence": 0.05},
    ]
    text = "what do i do someone collapsed at the externship site"
    [out] = gate(tmp_path).process([ranked(text, ranking)])
    assert out.get("intent") == {"name": "medical_emergency", "confidence": 1.0}


GIVEN_AWAY = (
    "I gave away all my old USMLE books since I won't need them anymore, was that a mistake?"
)


@pytest.mark.parametrize(("self_harm", "expected"), [(0.1, "usmle_needed"), (0.6, "self_harm")])
def test_a_wording_look_alikes_share_needs_the_model_behind_it(
    tmp_path: Path, self_harm: float, expected: str
) -> None:
    """A `needs_model` pattern alarms only where the model also hears self-harm."""
    ranking = [
        {"name": "usmle_needed", "confidence": 0.8},
        {"name": "self_harm", "confidence": self_harm},
    ]
    [out] = gate(tmp_path).process([ranked(GIVEN_AWAY, ranking)])
    assert out.get("intent")["name"] == expected


def test_one_sentence_the_model_hears_is_enough_for_a_wording_look_alikes_share(
    tmp_path: Path,
) -> None:
    text = "I sold my car today. I won't need it anymore after tonight."
    parts = [
        ("I sold my car today.", "externship", 0.9),
        ("I won't need them anymore after tonight.", "self_harm", 0.7),
    ]
    message = sentences(text, 0.9, parts)
    [out] = gate(tmp_path).process([message])
    assert out.get("intent") == {"name": "self_harm", "confidence": 1.0}


def sentences(text: str, whole: float, parts: list[tuple[str, str, float]]) -> Message:
    """A message the classifier read whole (top intent at `whole`) and sentence by sentence."""
    return Message(
        data={
            "text": text,
            "intent": {"name": "externship", "confidence": whole},
            "intent_ranking": [{"name": "externship", "confidence": whole}],
            "part_intents": parts,
        }
    )


STORY = "I finish my externship next month. I think there is no reason to finish it."


def test_a_crisis_in_one_sentence_of_an_unclear_story_is_heard(tmp_path: Path) -> None:
    parts = [("I finish my externship next month.", "externship", 0.9)]
    parts.append(("I think there is no reason to finish it.", "self_harm", 0.99))
    [out] = gate(tmp_path).process([sentences(STORY, 0.5, parts)])
    assert out.get("intent") == {"name": "self_harm", "confidence": 1.0}


@pytest.mark.parametrize(
    ("whole", "confidence"),
    [(0.85, 0.99), (0.5, 0.9)],
    ids=["the whole message is a sure question", "the sentence is not sure enough"],
)
def test_a_sentence_does_not_count_when_either_reading_says_no(
    tmp_path: Path, whole: float, confidence: float
) -> None:
    parts = [("I think there is no reason to finish it.", "self_harm", confidence)]
    [out] = gate(tmp_path).process([sentences(STORY, whole, parts)])
    assert out.get("intent")["name"] == "externship"


def test_an_emergency_sentence_long_past_or_from_a_study_question_does_not_count(
    tmp_path: Path,
) -> None:
    past = "My dad had a heart attack last year, he is fully recovered. Can I work in cardiology?"
    study = "A patient has crushing chest pain in the waiting room. Is that on the exam scenario?"
    out = gate(tmp_path).process(
        [
            sentences(text, 0.5, [(text.split(". ")[0], "medical_emergency", 0.99)])
            for text in (past, study)
        ]
    )
    assert [m.get("intent")["name"] for m in out] == ["externship", "externship"]


def test_a_sad_sentence_in_a_message_that_says_i_am_coping_does_not_count(tmp_path: Path) -> None:
    text = "I failed again and cried all night. But I'm okay, I will try again. What went wrong?"
    parts = [("I failed again and cried all night.", "self_harm", 0.99)]
    [out] = gate(tmp_path).process([sentences(text, 0.5, parts)])
    assert out.get("intent")["name"] == "externship"


def test_a_joke_does_not_excuse_a_sentence_the_model_is_all_but_certain_of(
    tmp_path: Path,
) -> None:
    text = "lmao the only test im passing is the one to the other side. picked the day already"
    sure = [("lmao the only test im passing is the one to the other side.", "self_harm", 0.99)]
    [out] = gate(tmp_path).process([sentences(text, 0.5, sure)])
    assert out.get("intent")["name"] == "self_harm"
    unsure = [("lmao the only test im passing is the one to the other side.", "self_harm", 0.95)]
    [out] = gate(tmp_path).process([sentences(text, 0.5, unsure)])
    assert out.get("intent")["name"] != "self_harm"
