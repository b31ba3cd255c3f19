"""The safety patterns: no misses, no false alarms, on every message in the fixture file."""

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from components.safety_rules import (
    DEFAULT_PATTERNS,
    EMERGENCY,
    SELF_HARM,
    SafetyRules,
    classify,
    find,
    load_rules,
    normalize,
    parse_rules,
)
from tests.conftest import ROOT

MESSAGES = yaml.safe_load(
    (ROOT / "tests" / "fixtures" / "safety" / "messages.yml").read_text(encoding="utf-8")
)


@pytest.fixture(scope="module")
def rules() -> SafetyRules:
    return load_rules()


def test_the_fixture_has_enough_varied_messages() -> None:
    assert len(MESSAGES["emergency"]) >= 45
    assert len(MESSAGES["self_harm"]) >= 45
    assert len(MESSAGES["harmless"]) >= 50
    every = [m for group in MESSAGES.values() for m in group]
    assert len(every) == len({m.lower() for m in every}), "a message is listed twice"


def test_the_default_file_is_the_project_file() -> None:
    assert DEFAULT_PATTERNS == ROOT / "data" / "safety" / "patterns.yml"


@pytest.mark.parametrize(
    ("group", "expected"), [("emergency", EMERGENCY), ("self_harm", SELF_HARM)]
)
def test_no_misses(rules: SafetyRules, group: str, expected: str) -> None:
    wrong = {m: classify(m, rules) for m in MESSAGES[group] if classify(m, rules) != expected}
    assert not wrong, f"expected {expected}: {wrong}"


def test_no_false_alarms(rules: SafetyRules) -> None:
    alarms = {m: find(m, rules) for m in MESSAGES["harmless"] if find(m, rules) is not None}
    assert not alarms


def project_questions() -> list[str]:
    """The training examples and held-out questions, but the safety intents' own examples."""
    texts = []
    for path in sorted((ROOT / "data" / "nlu").glob("*.yml")):
        if path.stem in ("medical_emergency", "self_harm"):
            continue
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            for line in str(block.get("examples", "")).splitlines():
                if line.strip().startswith("- "):
                    texts.append(re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line.strip()[2:]))
    cases = yaml.safe_load((ROOT / "tests" / "eval" / "heldout_cases.yml").read_text("utf-8"))
    texts += [c["text"] for c in cases["cases"] if c["topic"] != "medical_emergency"]
    return texts


def test_no_alarm_on_the_projects_own_questions(rules: SafetyRules) -> None:
    texts = project_questions()
    assert len(texts) > 1000
    alarms = {t: find(t, rules) for t in texts if find(t, rules) is not None}
    assert not alarms


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I CAN'T BREATHE!!!", EMERGENCY),
        ("cant breathe", EMERGENCY),
        ("i want   to die...", SELF_HARM),
        ("Quiero morir", SELF_HARM),
        ("NÃO RESPIRA", EMERGENCY),
        ("", None),
        ("   ", None),
        ("!!!", None),
        ("🙂", None),
    ],
)
def test_case_punctuation_and_accents_do_not_matter(
    rules: SafetyRules, text: str, expected: str | None
) -> None:
    assert classify(text, rules) == expected


def test_self_harm_wins_over_an_emergency_in_the_same_message(rules: SafetyRules) -> None:
    # The crisis reply also says to call 911.
    assert classify("I took too many pills because I want to die", rules) == SELF_HARM


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I'm not going to kill myself", None),
        ("I don't have any chest pain", None),
        ("not feeling suicidal at all", None),
        # Only bridge words may stand between the denial and the match.
        ("no, he is not breathing", EMERGENCY),
        ("never mind, she overdosed", EMERGENCY),
        ("no. i want to die", SELF_HARM),
        # A denial too far back does not count.
        ("I'm not sure but I think I'm having a heart attack", EMERGENCY),
    ],
)
def test_denials(rules: SafetyRules, text: str, expected: str | None) -> None:
    assert classify(text, rules) == expected


def test_a_denial_does_not_hide_a_second_statement(rules: SafetyRules) -> None:
    assert classify("I don't have chest pain but my dad is not breathing", rules) == EMERGENCY
    assert classify("I don't want to kill myself, but I think about suicide", rules) == SELF_HARM


def test_a_look_alike_does_not_hide_a_real_alarm(rules: SafetyRules) -> None:
    text = "I'm dying to know the salary. Also my friend collapsed"
    assert classify(text, rules) == EMERGENCY


def test_personal_words_beat_a_study_context(rules: SafetyRules) -> None:
    assert classify("I'm studying for the CMA exam and my chest hurts", rules) == EMERGENCY
    assert classify("is chest pain on the CMA exam", rules) is None


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("I'm NOT breathing!!", "im not breathing"),
        ("Não respira", "nao respira"),
        ("j'ai une douleur", "jai une douleur"),
        ("pleeeease", "pleease"),
        ("hes not breathign", "hes not breathing"),
        ("unconcious", "unconscious"),
        ("I've overdone it", "ive overdone it"),
        ("self-harm", "self harm"),
        ("wanna die", "want to die"),
    ],
)
def test_normalize(rules: SafetyRules, text: str, normalized: str) -> None:
    assert normalize(text, rules) == normalized


def test_find_says_which_pattern_matched(rules: SafetyRules) -> None:
    match = find("my roommate collapsed", rules)
    assert match is not None
    assert match.category == EMERGENCY and match.words == "collapsed" and match.pattern


def minimal() -> dict[str, Any]:
    return {
        "categories": {
            "self_harm": {"patterns": [r"\bwant to die\b"]},
            "emergency": {
                "patterns": [r"\bnot breathing\b"],
                "harmless": [r"\bnot breathing a word\b"],
            },
        }
    }


def test_a_minimal_file_works() -> None:
    rules = parse_rules(minimal())
    assert classify("he is not breathing", rules) == EMERGENCY
    assert classify("I am not breathing a word of it", rules) is None
    assert classify("i want to die", rules) == SELF_HARM


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("categories"), "categories"),
        (lambda d: d["categories"].pop("emergency"), "categories"),
        (lambda d: d["categories"].update(other={"patterns": ["x"]}), "categories"),
        (lambda d: d["categories"]["self_harm"].update(patterns=["(unclosed"]), "bad pattern"),
        (lambda d: d["categories"]["self_harm"].update(patterns=[]), "no patterns"),
        (lambda d: d["categories"]["self_harm"].update(patterns="die"), "list of patterns"),
        (lambda d: d.update(spelling=["x"]), "spelling"),
        (lambda d: d.update(negation={"window": -1}), "window"),
        (lambda d: d.update(negation={"words": [False]}), "list of words"),
    ],
)
def test_a_broken_file_is_refused_with_a_reason(change: Any, message: str) -> None:
    data = minimal()
    change(data)
    with pytest.raises(ValueError, match=message):
        parse_rules(data)


def test_a_file_that_is_not_a_mapping_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "patterns.yml"
    path.write_text("- just a list\n", encoding="utf-8")
    with pytest.raises(ValueError, match="mapping"):
        load_rules(path)


def test_numbers_keep_their_digits(rules: SafetyRules) -> None:
    assert normalize("I took 1000 mg", rules) == "i took 1000 mg"
