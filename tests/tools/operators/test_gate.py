"""The promotion gate on fabricated held-out predictions and dev results."""

from tools.operators.gate import Prediction, judge, per_intent_f1


def predictions(intent: str, right: int, wrong_as: dict[str, int]) -> list[Prediction]:
    items = [Prediction(f"{intent} q{i}", intent, intent) for i in range(right)]
    for other, n in wrong_as.items():
        items += [Prediction(f"{intent} x{other}{i}", intent, other) for i in range(n)]
    return items


KNOWN = {"salary", "timeline", "out_of_scope", "immigration_legal"}
BASELINE = predictions("salary", 10, {}) + predictions("timeline", 9, {"salary": 1})


def test_per_intent_f1() -> None:
    scores = per_intent_f1(BASELINE)
    assert scores["timeline"].recall == 0.9 and scores["timeline"].precision == 1.0
    assert scores["salary"].precision == 10 / 11 and scores["salary"].support == 10


def test_any_decline_counts_as_right_for_out_of_scope_questions() -> None:
    preds = [
        Prediction("visa?", "out_of_scope", "immigration_legal"),
        Prediction("weather?", "out_of_scope", "nlu_fallback"),
    ]
    assert per_intent_f1(preds)["out_of_scope"].recall == 1.0


def test_a_new_topic_that_steals_questions_is_refused_naming_both_intents() -> None:
    candidate = (
        predictions("salary", 6, {"cma_pay": 4})
        + predictions("timeline", 9, {"salary": 1})
        + predictions("cma_pay", 3, {})
    )
    verdict = judge(BASELINE, candidate, KNOWN, None, None)
    assert not verdict.promote
    assert verdict.worse == ["salary"]
    report = "\n".join(verdict.lines)
    assert "WORSE  salary: F1 0.95 -> 0.71" in report
    assert "4 of its questions read as `cma_pay`" in report
    assert "REFUSED: salary got worse" in report


def test_a_harmless_new_topic_is_promoted_and_its_f1_reported() -> None:
    candidate = BASELINE + predictions("path_overview", 2, {"timeline": 1})
    verdict = judge(BASELINE, candidate, KNOWN, None, None)
    assert verdict.promote, verdict.lines
    assert any(line.startswith("NEW    path_overview: F1 0.80") for line in verdict.lines)


def test_small_losses_within_the_margin_pass() -> None:
    candidate = predictions("salary", 10, {}) + predictions("timeline", 8, {"salary": 2})
    assert judge(BASELINE, candidate, KNOWN, None, None).promote
    assert not judge(BASELINE, candidate, KNOWN, None, None, f1_margin=0.01).promote


def test_a_worse_dev_evaluation_is_refused_listing_new_failures() -> None:
    before = [{"id": f"c{i}", "text": f"q{i}", "passed": True} for i in range(70)]
    after = [dict(r, passed=r["id"] not in ("c1", "c2")) for r in before]
    verdict = judge(BASELINE, BASELINE, KNOWN, before, after)
    assert not verdict.promote
    report = "\n".join(verdict.lines)
    assert "dev evaluation: 100.0% -> 97.1%" in report
    assert "now failing: c1 'q1'" in report
    one_more = [dict(r, passed=r["id"] != "c1") for r in before]
    assert judge(BASELINE, BASELINE, KNOWN, before, one_more).promote
