"""A topic lands in the project in the hand-written layout, and can be undone."""

from pathlib import Path

import pytest
import yaml

from tests.conftest import GUIDE, ROOT
from tests.tools.operators.project_copy import copy_project
from tools.operators import writer
from tools.operators.checks import check_project
from tools.operators.topic_file import parse_topic


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "p")


def test_write_topic_like_the_hand_written_ones(project: Path) -> None:
    before = {n: (project / n).read_text() for n in (writer.DOMAIN, writer.RULES, writer.TITLES)}
    intents = set(yaml.safe_load(before[writer.DOMAIN])["intents"])
    topic = parse_topic(ROOT / "examples" / "topics" / "path_overview.yml", intents)
    saved, train, test = writer.write_topic(project, topic)
    assert len(train) + len(test) == len(topic.examples) and 2 <= len(test) <= 5
    domain = yaml.safe_load((project / "domain.yml").read_text())
    assert domain["intents"][-1] == "path_overview"
    answer = domain["responses"]["utter_path_overview"][0]
    assert answer["text"].endswith('📖 From the guide: "Conclusion & Key Takeaways"')
    assert "• Pass the CMA (AAMA) exam." in answer["text"]
    assert answer["buttons"][0] == {"title": "How long it takes", "payload": "/timeline"}
    rules = yaml.safe_load((project / writer.RULES).read_text())["rules"]
    assert rules[-1] == {
        "rule": "answer path_overview",
        "steps": [{"intent": "path_overview"}, {"action": "utter_path_overview"}],
    }
    assert yaml.safe_load((project / writer.TITLES).read_text())["path_overview"] == (
        "The whole path in short"
    )
    nlu = yaml.safe_load((project / "data" / "nlu" / "path_overview.yml").read_text())
    assert nlu["nlu"][0]["intent"] == "path_overview"
    assert check_project(project, GUIDE) == []
    writer.restore(saved)
    for name, text in before.items():
        assert (project / name).read_text() == text
    assert not (project / "data" / "nlu" / "path_overview.yml").exists()
    assert not (project / writer.HELDOUT).exists()


def test_the_held_out_split_is_stable() -> None:
    examples = [f"question number {i}" for i in range(20)]
    assert writer.split_examples(examples) == writer.split_examples(list(examples))
    assert writer.split_examples(examples[:12]) == (examples[:12], [])


def test_button_titles_that_need_quotes_survive() -> None:
    assert yaml.safe_load(f"t: {writer._scalar('CMA: the exam #1')}")["t"] == "CMA: the exam #1"
    assert writer._scalar("Exam format") == "Exam format"


def test_a_long_url_in_the_answer_survives_the_folding() -> None:
    """textwrap must not break a URL at a hyphen: YAML folding would put a space in it."""
    from tests.conftest import ROOT
    from tools.operators.topic_file import parse_topic
    from tools.operators.writer import expected_text

    topic = parse_topic(ROOT / "tests" / "fixtures" / "live" / "bls_cpr_card.yml")
    assert "https://cpr.heart.org/en/courses/basic-life-support-course-options " in (
        expected_text(topic)
    )
