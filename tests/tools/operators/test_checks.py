"""The project's own data checks, with file and line in every report."""

from pathlib import Path

from tests.conftest import GUIDE, ROOT
from tools.operators.checks import (
    check_examples,
    check_project,
    check_sources,
    check_wording,
    near_duplicate_pairs,
    uniformity,
)
from tools.operators.nlu_data import Example, read_examples


def ex(intent: str, text: str, line: int = 1) -> Example:
    return Example(intent, text, Path(f"data/nlu/{intent}.yml"), line)


def test_the_project_data_passes() -> None:
    assert check_project(ROOT, GUIDE) == []


def test_examples_are_read_with_their_lines(tmp_path: Path) -> None:
    nlu = tmp_path / "salary.yml"
    nlu.write_text(
        'version: "3.1"\nnlu:\n- intent: salary\n  examples: |\n'
        "    - what does an ma earn\n    - cma pay\n",
        encoding="utf-8",
    )
    assert read_examples(nlu) == [
        Example("salary", "what does an ma earn", nlu, 5),
        Example("salary", "cma pay", nlu, 6),
    ]


def test_same_and_nearly_same_examples_under_two_intents() -> None:
    examples = [
        ex("salary", "How much does a CMA make?", 4),
        ex("cma_pay", "how much does a cma make", 7),
        ex("cma_pay", "how much money does a cma make", 8),
        ex("timeline", "how long does it take", 3),
        ex("salary", "how long does it take to earn money", 9),
    ]
    pairs = {(a.text, b.text): s for a, b, s in near_duplicate_pairs(examples)}
    assert pairs[("How much does a CMA make?", "how much does a cma make")] == 1.0
    assert ("How much does a CMA make?", "how much money does a cma make") in pairs
    assert not any("how long" in a for a, _ in pairs)
    problems = check_examples(examples, Path("."), min_examples=1)
    first = next(p for p in problems if p.kind == "duplicate")
    assert str(first).startswith("data/nlu/cma_pay.yml:7: [duplicate] the same example")
    assert "(salary, data/nlu/salary.yml:4)" in str(first)
    assert set(first.intents) == {"salary", "cma_pay"}


def test_too_few_and_too_uniform_intents() -> None:
    uniform = [ex("exam_day", f"what is exam day {i}", i) for i in range(12)]
    few = [ex("tiny", "one question", 1), ex("tiny", "another wording", 2)]
    kinds = {(p.kind, p.intents) for p in check_examples(uniform + few, Path("."))}
    assert ("too-uniform", ("exam_day",)) in kinds
    assert ("too-few", ("tiny",)) in kinds
    assert ("too-few", ("exam_day",)) not in kinds
    assert uniformity(["a b c", "a b c"]) == 1.0


DOMAIN = """responses:
  utter_good:
    - text: 'An answer. 📖 From the guide: "Conclusion & Key Takeaways"'
  utter_url:
    - text: 'Bring ID. 📖 Source: https://example.org/x (last verified 2026-11-01)'
  utter_none:
    - text: An answer with no source.
  utter_fake:
    - text: 'Made up. 📖 From the guide: "Step 9: Flying to the Moon"'
"""
RULES = """rules:
  - rule: a
    steps: [{intent: good}, {action: utter_good}]
  - rule: b
    steps: [{intent: url}, {action: utter_url}]
  - rule: c
    steps: [{intent: none}, {action: utter_none}]
  - rule: d
    steps: [{intent: fake}, {action: utter_fake}]
  - rule: e
    steps: [{intent: gone}, {action: utter_gone}]
"""


def test_answers_without_a_real_source_are_reported_with_their_line() -> None:
    problems = [str(p) for p in check_sources(DOMAIN, RULES, GUIDE.read_text())]
    assert problems == [
        "domain.yml:6: [no-source] `utter_none` has no source line (📖 From the guide: "
        '"<section>", or 📖 Source: <url> (last verified YYYY-MM-DD))',
        "domain.yml:8: [unknown-source] `utter_fake` cites 'Step 9: Flying to the Moon', "
        "which is not a section of the guide",
        "domain.yml:1: [no-response] a rule answers with `utter_gone`, which domain.yml "
        "does not define",
    ]


def test_copied_wording_and_unknown_numbers_are_reported() -> None:
    domain = (
        "responses:\n  utter_copy:\n    - text: 'Becoming a Certified Medical Assistant "
        "is a concrete and achievable "
        "pathway into the US healthcare system, costing $99,000. 📖 From the guide: "
        '"Conclusion & Key Takeaways"\'\n'
    )
    rules = "rules:\n  - rule: a\n    steps: [{intent: copy}, {action: utter_copy}]\n"
    problems = check_wording(domain, rules, GUIDE.read_text())
    assert [p.kind for p in problems] == ["copied", "number"]
    assert "$99,000" in problems[1].message
