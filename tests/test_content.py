"""The answers keep to the guide: sources, numbers, and wiring of every topic."""

import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml

from actions.core.topics import load_topic_titles
from tests.conftest import ROOT

SOURCE_MARK = "📖 From the guide:"
# Operators may add topics sourced from a web page instead (`make add-topic`):
# "📖 Source: <url> (last verified YYYY-MM-DD)". Their facts come from that page.
URL_SOURCE = re.compile(r"📖 Source: https?://\S+ \(last verified \d{4}-\d{2}-\d{2}\)")
SMALL_TALK = {"greet", "goodbye", "thanks", "bot_challenge", "restart", "cancel"}
DECLINES = {"out_of_scope", "immigration_legal"}
# "Delete my data": a rule asks to confirm; the server answers the two buttons
# (server/message_guard.py), so those have neither examples nor rules.
PRIVACY = {"delete_my_data", "confirm_delete_data", "keep_my_data"}
SERVER_HANDLED = {"confirm_delete_data", "keep_my_data"}
# Safety first: set by the SafetyGate component, never by the trained model, so
# no training examples; their replies give phone numbers, not guide facts.
SAFETY = {"medical_emergency", "self_harm"}
SAFETY_RESPONSES = {"utter_medical_emergency", "utter_self_harm"}
# Set by the LanguageGate component for a message in another language it is unsure of,
# and by the LiveTopicsClassifier for a topic added live (its answer is in the store).
GATE_SET = SAFETY | {"other_language", "live_topic"}
CUSTOM_ACTION_TOPICS = {
    "timeline_personal",
    "timeline_change",
    "show_checklist",
    "mark_item_done",
    "next_item",
    "show_progress",
    # answered within the last topic (data/content/follow_ups.yml)
    "follow_up",
}
# Offered as "did you mean...?" buttons besides the guide topics.
OFFERED_ACTIONS = {"timeline_personal", "show_checklist"}


def plain(text: str) -> str:
    """Fold curly quotes, dashes and spacing so quotes can be compared."""
    text = unicodedata.normalize("NFKC", text)
    for curly, straight in {"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"}.items():
        text = text.replace(curly, straight)
    return re.sub(r"\s+", " ", text).lower()


def topic_intents(domain: dict[str, Any]) -> list[str]:
    skip = SMALL_TALK | DECLINES | CUSTOM_ACTION_TOPICS | PRIVACY | GATE_SET
    return [i for i in domain["intents"] if i not in skip]


def answer_text(domain: dict[str, Any], intent: str) -> str:
    return " ".join(v["text"] for v in domain["responses"][f"utter_{intent}"])


def test_every_topic_has_an_answer_with_a_source(domain: dict[str, Any]) -> None:
    for intent in topic_intents(domain):
        assert f"utter_{intent}" in domain["responses"], f"no answer for {intent}"
        text = answer_text(domain, intent)
        assert SOURCE_MARK in text or URL_SOURCE.search(text), f"utter_{intent} names no source"


def test_sources_name_real_guide_sections(domain: dict[str, Any], guide_text: str) -> None:
    guide = plain(guide_text)
    for intent in topic_intents(domain):
        if URL_SOURCE.search(answer_text(domain, intent)):
            continue
        source = answer_text(domain, intent).split(SOURCE_MARK, 1)[1]
        quoted = re.findall(r'"([^"]+)"', source)
        assert quoted, f"utter_{intent}: the source quotes no section title"
        for title in quoted:
            assert plain(title) in guide, f"utter_{intent}: {title!r} is not in the guide"


@pytest.mark.parametrize("response", ["utter_timeline_unavailable"])
def test_helper_answers_with_facts_also_name_a_source(
    domain: dict[str, Any], response: str
) -> None:
    assert SOURCE_MARK in domain["responses"][response][0]["text"]


def test_every_number_stated_is_in_the_guide(domain: dict[str, Any], guide_text: str) -> None:
    guide = plain(guide_text)
    for name, variants in domain["responses"].items():
        if name in SAFETY_RESPONSES:
            continue
        for variant in variants:
            if URL_SOURCE.search(variant["text"]):
                continue
            body = variant["text"].split(SOURCE_MARK, 1)[0]
            # Quoted text is an example of what a user might type, not a fact.
            body = re.sub(r'"[^"]*"', "", body)
            for number in re.findall(r"\$?\d[\d,.]*(?:-\d+)?", body):
                number = number.rstrip(".,")
                assert plain(number) in guide, f"{name} states {number}, which the guide lacks"


def test_answers_are_not_pasted_from_the_guide(domain: dict[str, Any], guide_text: str) -> None:
    """No run of 12 words in an answer appears verbatim in the guide."""
    guide_words = re.findall(r"[a-z0-9']+", plain(guide_text))
    guide_runs = {" ".join(guide_words[i : i + 12]) for i in range(len(guide_words) - 11)}
    for name, variants in domain["responses"].items():
        for variant in variants:
            body = variant["text"].split(SOURCE_MARK, 1)[0]
            words = re.findall(r"[a-z0-9']+", plain(body))
            for i in range(len(words) - 11):
                run = " ".join(words[i : i + 12])
                assert run not in guide_runs, f"{name} copies the guide: {run!r}"


def test_every_intent_has_training_data_and_a_rule(domain: dict[str, Any]) -> None:
    nlu_intents: set[str] = set()
    for path in (ROOT / "data" / "nlu").glob("*.yml"):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            if "intent" in block:
                nlu_intents.add(block["intent"])
    ruled: set[str] = set()
    for path in (ROOT / "data" / "rules").glob("*.yml"):
        for rule in yaml.safe_load(path.read_text(encoding="utf-8"))["rules"]:
            ruled.update(s["intent"] for s in rule["steps"] if "intent" in s)
    for intent in set(domain["intents"]) - SERVER_HANDLED:
        if intent not in GATE_SET:
            assert intent in nlu_intents, f"{intent} has no training examples"
        assert intent in ruled, f"{intent} has no rule"
    # The safety gate also trusts the model, which learns both safety intents.
    assert nlu_intents >= SAFETY
    assert "other_language" not in nlu_intents, "the language gate alone sets other_language"


def test_did_you_mean_titles_cover_exactly_the_guide_topics(domain: dict[str, Any]) -> None:
    titles = load_topic_titles(ROOT / "data" / "content" / "topics.yml")
    expected = set(topic_intents(domain)) | OFFERED_ACTIONS
    assert set(titles) == expected


def test_buttons_only_send_known_intents(domain: dict[str, Any]) -> None:
    intents = set(domain["intents"])
    for name, variants in domain["responses"].items():
        for variant in variants:
            for button in variant.get("buttons", []):
                assert button["payload"].startswith("/"), name
                intent = button["payload"][1:].split("{", 1)[0]
                assert intent in intents, f"{name}: {button['payload']}"


def test_guide_topic_files_are_one_intent_per_file() -> None:
    for path in (ROOT / "data" / "nlu").glob("*.yml"):
        blocks = yaml.safe_load(Path(path).read_text(encoding="utf-8"))["nlu"]
        assert [b["intent"] for b in blocks] == [path.stem], path.name


def test_safety_replies_give_the_numbers_first(domain: dict[str, Any]) -> None:
    emergency = domain["responses"]["utter_medical_emergency"][0]["text"]
    assert "call 911 now" in emergency.split("\n")[0].lower()
    crisis = domain["responses"]["utter_self_harm"][0]["text"]
    assert "call or text 988" in crisis and "Suicide & Crisis Lifeline" in crisis
    assert "911" in crisis and "not alone" in crisis
    for name in SAFETY_RESPONSES:
        assert "buttons" not in domain["responses"][name][0], f"{name}: no buttons, no topics"
        assert "career assistant" in domain["responses"][name][0]["text"]
