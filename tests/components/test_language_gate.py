"""The LanguageGate graph component on Rasa messages, and its place in config.yml."""

from __future__ import annotations

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

from components.language_gate import LanguageGate
from components.safety_gate import SafetyGate
from tests.conftest import ROOT

SPANISH = "¿Puedo trabajar como asistente médico en Estados Unidos con mi título de medicina?"


def context() -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), "test")


def gate(tmp_path: Path, **config: Any) -> LanguageGate:
    return LanguageGate.create(
        {**LanguageGate.get_default_config(), **config},
        LocalModelStorage(tmp_path),
        Resource("language_gate"),
        context(),
    )


def message(text: str, intent: str, confidence: float) -> Message:
    top = {"name": intent, "confidence": confidence}
    ranking = [top, {"name": "what_is_cma", "confidence": round(1 - confidence, 2)}]
    return Message(data={"text": text, "intent": dict(top), "intent_ranking": ranking})


def test_an_unsure_message_in_another_language_gets_other_language(tmp_path: Path) -> None:
    [out] = gate(tmp_path).process([message(SPANISH, "salary", 0.55)])
    assert out.get("intent") == {"name": "other_language", "confidence": 1.0}
    ranking = out.get("intent_ranking")
    assert [r["name"] for r in ranking] == ["other_language", "salary", "what_is_cma"]
    language = out.get("language")
    assert language["code"] == "es" and language["english"] is False
    assert language["intent"] == {"name": "salary", "confidence": 0.55}, "the tracker keeps it"
    assert {"intent", "intent_ranking", "language"} <= out.output_properties


def test_a_sure_message_in_another_language_keeps_its_intent(tmp_path: Path) -> None:
    [out] = gate(tmp_path).process([message("¿Cuánto gana un asistente médico?", "salary", 0.92)])
    assert out.get("intent") == {"name": "salary", "confidence": 0.92}
    assert out.get("language")["code"] == "es"
    assert "intent" not in out.get("language")


def test_an_unsure_english_message_is_left_to_the_fallback(tmp_path: Path) -> None:
    [out] = gate(tmp_path).process([message("wich domians", "nlu_fallback", 0.4)])
    assert out.get("intent")["name"] == "nlu_fallback"
    assert out.get("language") == {
        "code": "en",
        "name": "English",
        "english": True,
        "by": "default",
    }


@pytest.mark.parametrize(
    "text",
    ["pwede ba akong maging medical assistant", "kya mein CMA ban sakta hoon", "مرحبا يا صديقي"],
)
def test_did_you_mean_becomes_the_honest_reply_in_another_language(
    tmp_path: Path, text: str
) -> None:
    fallback = FallbackClassifier.create(
        {**FallbackClassifier.get_default_config(), "threshold": 0.4},
        LocalModelStorage(tmp_path),
        Resource("fallback"),
        context(),
    )
    [out] = gate(tmp_path).process(fallback.process([message(text, "greet", 0.3)]))
    assert out.get("intent")["name"] == "other_language"
    assert out.get("language")["intent"]["name"] == "nlu_fallback"


def test_safety_intents_are_never_replaced(tmp_path: Path) -> None:
    [out] = gate(tmp_path).process([message("quiero morir", "self_harm", 0.2)])
    assert out.get("intent")["name"] == "self_harm"


def test_the_safety_gate_still_wins_after_it(tmp_path: Path) -> None:
    safety = SafetyGate.create(
        SafetyGate.get_default_config(), LocalModelStorage(tmp_path), Resource("s"), context()
    )
    msg = message("mi amigo no respira, se desmayó", "greet", 0.3)
    [out] = safety.process(gate(tmp_path).process([msg]))
    assert out.get("intent")["name"] in {"medical_emergency", "other_language"}
    [out] = safety.process(gate(tmp_path).process([message("I want to die", "greet", 0.3)]))
    assert out.get("intent")["name"] == "self_harm"


def test_button_payloads_and_empty_messages_are_untouched(tmp_path: Path) -> None:
    [payload, empty] = gate(tmp_path).process([message("/salary", "salary", 1.0), Message(data={})])
    assert payload.get("intent")["name"] == "salary" and payload.get("language") is None
    assert empty.get("intent") is None


def test_threshold_and_intent_name_can_be_configured(tmp_path: Path) -> None:
    custom = gate(tmp_path, threshold=0.95, intent="not_english")
    [out] = custom.process([message("¿Cuánto gana un asistente médico?", "salary", 0.92)])
    assert out.get("intent")["name"] == "not_english"


def test_a_broken_languages_file_stops_the_load(tmp_path: Path) -> None:
    broken = tmp_path / "languages.yml"
    broken.write_text("names: {}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="names"):
        gate(tmp_path, languages=str(broken))


def test_training_data_passes_unchanged(tmp_path: Path) -> None:
    data = TrainingData([Message(data={"text": "hola", "intent": "greet"})])
    assert gate(tmp_path).process_training_data(data) is data


def test_the_gate_runs_after_the_fallback_and_before_the_safety_gate() -> None:
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    names = [c["name"] for c in config["pipeline"]]
    here = names.index("components.language_gate.LanguageGate")
    assert (
        names.index("FallbackClassifier") < here < names.index("components.safety_gate.SafetyGate")
    )
    assert names[-1] == "components.safety_gate.SafetyGate"
