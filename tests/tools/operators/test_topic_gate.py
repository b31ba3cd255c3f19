"""tools/operators/topic_gate.py: a new topic must be testable and score well on its own."""

from tools.operators.gate import Prediction
from tools.operators.topic_gate import MIN_TESTABLE, judge_topic, too_few_examples


def test_fewer_than_fifteen_examples_asks_for_more() -> None:
    lines = too_few_examples(MIN_TESTABLE - 3)
    assert lines and "at least 15" in lines[0] and "3 or more" in lines[1]
    assert too_few_examples(MIN_TESTABLE) == []


def test_a_topic_that_misses_half_its_questions_is_refused_with_where_they_went() -> None:
    predictions = [
        Prediction("is my cma good forever", "keeping_credential", "keeping_credential"),
        Prediction("do i recertify", "keeping_credential", "out_of_scope"),
        Prediction("cma salary", "salary", "salary"),
    ]
    verdict = judge_topic("keeping_credential", predictions)
    text = "\n".join(verdict.lines)
    assert not verdict.ok
    assert "F1 0.67 on 2 held-out questions" in text
    assert "MISS 'do i recertify' -> `out_of_scope`" in text
    assert "ok   'is my cma good forever'" in text
    assert "suggestion: 1 question(s) went to `out_of_scope`" in text


def test_a_topic_that_takes_other_topics_questions_is_refused_too() -> None:
    predictions = [
        Prediction(f"renew {i}", "keeping_credential", "keeping_credential") for i in range(3)
    ] + [Prediction(f"pay {i}", "salary", "keeping_credential") for i in range(2)]
    verdict = judge_topic("keeping_credential", predictions)
    assert not verdict.ok
    assert any("TOOK 'pay 0' (a `salary` question)" in line for line in verdict.lines)


def test_a_topic_that_gets_its_questions_passes() -> None:
    predictions = [Prediction(f"q{i}", "bls_cpr_card", "bls_cpr_card") for i in range(4)]
    assert judge_topic("bls_cpr_card", predictions).ok


def test_a_topic_without_held_out_questions_cannot_pass() -> None:
    verdict = judge_topic("bls_cpr_card", [Prediction("x", "salary", "salary")])
    assert not verdict.ok and "cannot be tested" in verdict.lines[0]


def test_out_of_scope_test_questions_the_topic_now_answers_are_listed_not_counted() -> None:
    predictions = [
        Prediction(f"renew {i}", "keeping_credential", "keeping_credential") for i in range(3)
    ] + [Prediction("how often do i recertify my cma", "out_of_scope", "keeping_credential")]
    verdict = judge_topic("keeping_credential", predictions)
    assert verdict.ok
    assert any("now in scope: 'how often do i recertify my cma'" in line for line in verdict.lines)
