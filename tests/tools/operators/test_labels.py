"""Labelled review rows merge into the training data once, and only where they fit."""

import csv
from pathlib import Path

import pytest

from tests.tools.operators.project_copy import copy_project
from tools.operators import labels
from tools.operators.nlu_data import read_examples
from tools.operators.writer import HELDOUT


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["text", "count", "similar_messages", "intent"])
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "p")


def test_import_adds_new_examples_once_and_reports_conflicts(project: Path, tmp_path: Path) -> None:
    csv_file = write_csv(
        tmp_path / "labels.csv",
        [
            {
                "text": "what do mas take home each month",
                "count": "2",
                "similar_messages": "what do MAs take home per month | monthly take home pay ma",
                "intent": "salary",
            },
            {
                "text": "how much does a cma make",
                "count": "1",
                "similar_messages": "",
                "intent": "salary",
            },
            {"text": "cma salary", "count": "1", "similar_messages": "", "intent": "timeline"},
            {"text": "banana", "count": "1", "similar_messages": "", "intent": ""},
            {
                "text": "whats the weather in boston tomorrow",
                "count": "1",
                "similar_messages": "",
                "intent": "out_of_scope",
            },
            {
                "text": "is there an exam day checklist",
                "count": "1",
                "similar_messages": "",
                "intent": "exam_day",
            },
        ],
    )
    intents = {"salary", "timeline", "out_of_scope"}
    report = labels.plan_import(
        labels.read_labels(csv_file), labels.known_examples(project), intents
    )
    added = report.added["salary"] + report.heldout["salary"]
    assert sorted(added) == [
        "monthly take home pay ma",
        "what do MAs take home per month",
        "what do mas take home each month",
    ]
    # The second is one of our held-out test questions: it must not become training data.
    assert report.already == ["how much does a cma make", "whats the weather in boston tomorrow"]
    assert report.conflicts == [
        "line 4: 'cma salary' is already an example of `salary`, not `timeline`"
    ]
    assert report.skipped == 1
    assert report.drafts == {"exam_day": ["is there an exam day checklist"]}
    labels.apply_import(project, report, project / "topics" / "drafts")
    salary = [e.text for e in read_examples(project / "data" / "nlu" / "salary.yml")]
    heldout = project / HELDOUT
    kept = [e.text for e in read_examples(heldout)] if heldout.exists() else []
    assert sorted(t for t in salary + kept if "take home" in t) == sorted(added)
    assert "topic: exam_day" in (project / "topics" / "drafts" / "exam_day.yml").read_text()
    again = labels.plan_import(
        labels.read_labels(csv_file), labels.known_examples(project), intents
    )
    assert not again.changed


def test_a_csv_without_an_intent_column_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("text,count\nhello,1\n")
    with pytest.raises(ValueError, match="needs the column"):
        labels.read_labels(bad)
