"""tools/operators/live_steps.py: the operator's choice per conflict, and the edit it makes."""

import shutil
from pathlib import Path

from tests.conftest import ROOT
from tools.operators.conflicts import Conflict
from tools.operators.live_steps import apply, choose
from tools.operators.nlu_data import read_examples
from tools.operators.writer import restore

FIXTURE = ROOT / "tests" / "fixtures" / "live" / "existing_examples.yml"


def project(tmp_path: Path) -> tuple[Path, Path, Path]:
    (tmp_path / "data" / "nlu").mkdir(parents=True)
    existing = tmp_path / "data" / "nlu" / "existing.yml"
    shutil.copy2(FIXTURE, existing)
    topic = tmp_path / "data" / "nlu" / "keeping_credential.yml"
    topic.write_text(
        'version: "3.1"\nnlu:\n- intent: keeping_credential\n  examples: |\n'
        "    - do i have to renew my cma credential\n",
        encoding="utf-8",
    )
    return tmp_path, existing, topic


def test_answers_one_by_one_and_for_all_the_rest(tmp_path: Path) -> None:
    _, existing_file, _ = project(tmp_path)
    existing = read_examples(existing_file)
    found = [Conflict(i, 0.9, 0, "near repeat") for i in range(5)]
    answers = iter(["x", "m", "d", "", "K"])
    said: list[str] = []
    result = choose(found, existing, "ask", said.append, ask=lambda _prompt: next(answers))
    assert [e.text for e in result.moved] == [existing[0].text]
    assert [e.text for e in result.dropped] == [existing[1].text]
    assert [e.text for e in result.kept] == [e.text for e in existing[2:5]]
    assert said == ["  please answer m, d or k"]
    assert result.retract == [existing[0].text, existing[1].text]


def test_one_choice_for_all() -> None:
    existing = read_examples(FIXTURE)
    found = [Conflict(0, 0.9, 0, "near repeat"), Conflict(2, 0.9, 0, "near repeat")]
    result = choose(found, existing, "drop", print)
    assert [e.text for e in result.dropped] == [existing[0].text, existing[2].text]


def test_move_and_drop_edit_the_files_and_can_be_undone(tmp_path: Path) -> None:
    root, existing_file, topic_file = project(tmp_path)
    before = {p: p.read_text(encoding="utf-8") for p in (existing_file, topic_file)}
    existing = read_examples(existing_file)
    found = [Conflict(0, 0.97, 0, "near repeat"), Conflict(2, 0.97, 0, "near repeat")]
    answers = iter(["m", "d"])
    result = choose(found, existing, "ask", print, ask=lambda _prompt: next(answers))
    saved = apply(root, topic_file, result)
    left = [e.text for e in read_examples(existing_file)]
    assert existing[0].text not in left and existing[2].text not in left
    assert existing[1].text in left and len(left) == len(existing) - 2
    mine = [e.text for e in read_examples(topic_file)]
    assert mine == ["do i have to renew my cma credential", existing[0].text]
    restore(saved)
    assert {p: p.read_text(encoding="utf-8") for p in before} == before
