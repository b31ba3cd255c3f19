"""Which checklist item a "done" message means (tests/fixtures/checklists/done_phrases.yml)."""

from typing import Any

import pytest
import yaml

from actions.core.checklists import load_checklists
from actions.core.item_match import AMBIGUOUS, DONE, NONE, NOT_DONE, SEVERAL, match_item
from actions.core.message_clauses import clause_kind, clauses, stem, typo_distance
from tests.conftest import ROOT

BUNDLED = load_checklists(ROOT / "data" / "content" / "checklists.yml")
PHRASES: dict[str, Any] = yaml.safe_load(
    (ROOT / "tests" / "fixtures" / "checklists" / "done_phrases.yml").read_text(encoding="utf-8")
)
DONE_CASES = [(key, text) for key, texts in PHRASES["done"].items() for text in texts]


def keys(pairs: Any) -> list[str]:
    return [checklist.item_key(item) for checklist, item in pairs]


def test_every_item_has_at_least_four_wordings_and_every_key_exists() -> None:
    all_keys = {c.item_key(i) for c in BUNDLED.values() for i in c.items}
    assert set(PHRASES["done"]) == all_keys
    for key, texts in PHRASES["done"].items():
        assert len(set(texts)) >= 4, key
    listed = [k for case in PHRASES["ambiguous"] for k in case["candidates"]]
    listed += [case["expect"] for case in PHRASES["with_active"]]
    assert set(listed) <= all_keys


@pytest.mark.parametrize(("key", "text"), DONE_CASES)
def test_a_done_message_ticks_the_item_it_names(key: str, text: str) -> None:
    match = match_item(BUNDLED, text)
    assert match.kind == DONE, (text, match.kind, keys(match.candidates))
    assert keys([match.best]) == [key], text


@pytest.mark.parametrize(("key", "text"), DONE_CASES)
def test_the_active_checklist_does_not_change_a_clear_winner(key: str, text: str) -> None:
    for active in BUNDLED:
        assert keys([match_item(BUNDLED, text, active).best]) == [key], (text, active)


@pytest.mark.parametrize("case", PHRASES["with_active"], ids=lambda c: c["active"])
def test_ties_go_to_the_active_checklist(case: dict) -> None:
    match = match_item(BUNDLED, case["text"], case["active"])
    assert match.kind == DONE and keys([match.best]) == [case["expect"]]


@pytest.mark.parametrize("case", PHRASES["ambiguous"], ids=lambda c: c["text"])
def test_equally_likely_items_are_asked_about(case: dict) -> None:
    match = match_item(BUNDLED, case["text"])
    assert match.kind == AMBIGUOUS, (match.kind, keys(match.candidates))
    assert sorted(keys(match.candidates)) == sorted(case["candidates"])
    assert match.best is None


@pytest.mark.parametrize("text", PHRASES["not_done"])
def test_questions_worries_and_plans_tick_nothing(text: str) -> None:
    for active in [None, *BUNDLED]:
        match = match_item(BUNDLED, text, active)
        assert match.kind == NOT_DONE, (text, active, match.kind)
        assert match.best is None


@pytest.mark.parametrize("text", PHRASES["nothing"])
def test_a_done_message_without_an_item_matches_nothing(text: str) -> None:
    assert match_item(BUNDLED, text).kind == NONE


def test_the_word_format_alone_ticks_nothing() -> None:
    for text in ["the format", "format done", "I know the multiple choice format now"]:
        assert match_item(BUNDLED, text).kind == NONE, text


def test_the_mark_item_done_training_examples_are_never_worse_than_before() -> None:
    """Every training example either names one item, or names none (then the bot asks)."""
    nlu = yaml.safe_load((ROOT / "data" / "nlu" / "mark_item_done.yml").read_text("utf-8"))
    examples = [
        line.strip().removeprefix("- ").strip()
        for block in nlu["nlu"]
        if block.get("intent") == "mark_item_done"
        for line in block["examples"].splitlines()
        if line.strip()
    ]
    kinds = {text: match_item(BUNDLED, text).kind for text in examples}
    assert all(kind in {DONE, NONE} for kind in kinds.values()), kinds
    assert sum(kind == DONE for kind in kinds.values()) >= len(examples) - 3


def test_clauses_keep_the_question_mark_on_the_question() -> None:
    assert clauses("I already have my WES evaluation, what's next?") == [
        "i already have my wes evaluation",
        " what's next?",
    ]
    assert clause_kind("what's next?") == "question"
    assert clause_kind("did the practice questions") == "done"
    assert clause_kind("did you get my transcripts") == "question"
    assert clause_kind("can you mark the translation as done?") == "done"
    assert clause_kind("how do I mark the translation as done?") == "question"
    assert clause_kind("I haven't got it") == "negated"
    assert clause_kind("I'm scared") == "worry"
    assert clause_kind("I need to get it") == "not_yet"


def test_a_done_clause_counts_next_to_a_question() -> None:
    match = match_item(BUNDLED, "I already have my WES evaluation, what's next?")
    assert keys([match.best]) == ["documents.course_evaluation"]
    match = match_item(BUNDLED, "transcripts are done but not the translation")
    assert keys([match.best]) == ["documents.official_transcripts"]


def test_forms_and_typos_meet() -> None:
    assert stem("transcripts") == stem("transcript")
    assert stem("translated") == stem("translation") == stem("translate")
    assert stem("copies") == stem("copy")
    assert stem("class") == stem("classes")
    assert typo_distance("tranlsation", "translation") == 1
    assert typo_distance("transcrips", "transcripts") == 1


@pytest.mark.parametrize("case", PHRASES["several"], ids=lambda c: c["text"])
def test_items_of_one_list_joined_by_and_are_all_done(case: dict) -> None:
    match = match_item(BUNDLED, case["text"])
    assert match.kind == SEVERAL, (match.kind, keys(match.candidates))
    assert sorted(keys(match.candidates)) == sorted(case["items"])
