"""Reading operators' topic files: YAML and CSV, and clear errors with lines."""

from pathlib import Path

import pytest

from tests.conftest import ROOT
from tools.operators.topic_file import TopicFileError, parse_topic

FIXTURES = ROOT / "tests" / "fixtures" / "topics"
KNOWN = {"salary", "exam_format", "timeline", "accreditation_requirement"}


def test_the_example_topic_file_reads() -> None:
    topic = parse_topic(ROOT / "examples" / "topics" / "path_overview.yml", KNOWN)
    assert topic.name == "path_overview"
    assert len(topic.examples) >= 10
    assert topic.source_line == '📖 From the guide: "Conclusion & Key Takeaways"'
    assert [b.topic for b in topic.buttons] == ["timeline", "accreditation_requirement"]


def test_csv_topic_with_a_dated_url_source() -> None:
    topic = parse_topic(FIXTURES / "exam_day.csv", KNOWN)
    assert topic.name == "exam_day" and len(topic.examples) == 10
    assert topic.source_line == (
        "📖 Source: https://www.aama-ntl.org/cma-aama-exam (last verified 2026-11-01)"
    )
    assert topic.buttons[0].title == "Exam format"


def test_every_problem_is_reported_with_its_line() -> None:
    with pytest.raises(TopicFileError) as caught:
        parse_topic(FIXTURES / "broken.yml", KNOWN)
    problems = "\n".join(caught.value.problems)
    assert "line 1: `topic` must be a name" in problems
    assert "`title` is missing" in problems
    assert "line 2: example 2 repeats an earlier one" in problems
    assert "1 usable examples; write at least 10" in problems
    assert "line 5: leave the source out of `answer`" in problems
    assert "line 7: `url` must start with http" in problems
    assert "line 9: unknown field `colour`" in problems


def test_an_existing_topic_name_is_refused(tmp_path: Path) -> None:
    text = (ROOT / "examples" / "topics" / "path_overview.yml").read_text()
    clash = tmp_path / "clash.yml"
    clash.write_text(text.replace("topic: path_overview", "topic: salary"))
    with pytest.raises(TopicFileError, match="topic `salary` already exists"):
        parse_topic(clash, KNOWN)


def test_a_button_to_an_unknown_topic_is_refused(tmp_path: Path) -> None:
    text = (ROOT / "examples" / "topics" / "path_overview.yml").read_text()
    bad = tmp_path / "bad.yml"
    bad.write_text(text.replace("topic: timeline", "topic: timelines"))
    with pytest.raises(TopicFileError, match="opens unknown topic `timelines`"):
        parse_topic(bad, KNOWN)


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(TopicFileError, match="no such file"):
        parse_topic(tmp_path / "nope.yml", KNOWN)
