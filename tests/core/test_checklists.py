"""Checklist content and per-user progress."""

import pytest

from actions.core.checklists import (
    ChecklistError,
    choose_checklist,
    load_checklists,
    lookup,
    mark_done,
    next_open,
    parse_checklists,
    render_checklist,
    render_progress,
    stages_behind,
)
from actions.core.item_match import find_items
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "checklists"


@pytest.fixture
def lists() -> dict:
    return load_checklists(FIXTURES / "small.yml")


def test_the_bundled_checklists_are_valid_and_cover_the_four_topics() -> None:
    bundled = load_checklists(ROOT / "data" / "content" / "checklists.yml")
    assert set(bundled) == {"documents", "choosing_program", "exam_prep", "job_search"}
    texts = " ".join(i.text for c in bundled.values() for i in c.items)
    for fact in [
        "certified translation",
        "WES",
        "CAAHEP",
        "ABHES",
        "pass rate",
        "hybrid",
        "HIPAA",
        "practice questions",
        "International Medical Education",
    ]:
        assert fact in texts


def test_getting_hired_names_the_job_search_list() -> None:
    bundled = load_checklists(ROOT / "data" / "content" / "checklists.yml")
    text = "I'm certified now!! whats the checklist for getting hired"
    assert choose_checklist(bundled, text).key == "job_search"
    text = "Please give me a job search checklist for after certification."
    assert choose_checklist(bundled, text).key == "job_search"
    assert choose_checklist(bundled, "checklist for getting a job after certification").key == (
        "job_search"
    )
    assert choose_checklist(bundled, "exam checklist now that i finished the program").key == (
        "exam_prep"
    )


@pytest.mark.parametrize(
    ("text", "behind"),
    [
        (
            "I finished an ABHES accredited MA certificate program",
            ["documents", "choosing_program"],
        ),
        ("I passed the CMA exam!!", ["documents", "choosing_program", "exam_prep"]),
        ("I finished medical school in Cairo in 2019", []),  # not the MA program
        ("i haven't finished the accredited certificate program yet", []),
        ("once i finished the ma program what do i do", []),  # not yet
        ("im not certified yet", []),
    ],
)
def test_a_stage_said_finished_puts_its_list_and_earlier_ones_behind(
    text: str, behind: list[str]
) -> None:
    bundled = load_checklists(ROOT / "data" / "content" / "checklists.yml")
    assert [c.key for c in stages_behind(bundled, text)] == behind


def test_bundled_sources_name_guide_sections(guide_text: str) -> None:
    bundled = load_checklists(ROOT / "data" / "content" / "checklists.yml")
    for checklist in bundled.values():
        for item in checklist.items:
            section = item.source.split(" (")[0].split(";")[0]
            assert section.replace("'", "’") in guide_text or section in guide_text, item.id


@pytest.mark.parametrize(
    ("name", "problem"),
    [("missing_source.yml", "needs 'source'"), ("duplicate_ids.yml", "duplicate item ids a")],
)
def test_broken_files_are_rejected_with_the_place(name: str, problem: str) -> None:
    with pytest.raises(ChecklistError, match=problem):
        load_checklists(FIXTURES / name)


def test_items_are_found_by_alias(lists: dict) -> None:
    [(checklist, item), *_] = find_items(lists, "I already have my WES evaluation!")
    assert (checklist.key, item.id) == ("documents", "course_evaluation")
    assert find_items(lists, "nothing relevant here") == []


def test_progress_marks_and_finds_the_next_open_item(lists: dict) -> None:
    documents = lists["documents"]
    done = mark_done([], documents, documents.items[0])
    assert done == ["documents.official_transcripts"]
    assert mark_done(done, documents, documents.items[0]) == done  # idempotent
    checklist, item = next_open(lists, done)
    assert (checklist.key, item.id) == ("documents", "course_evaluation")
    checklist, item = next_open(lists, done, prefer="job_search")
    assert item.id == "resume_section"
    everything = [
        "documents.official_transcripts",
        "documents.course_evaluation",
        "job_search.resume_section",
    ]
    assert next_open(lists, everything) is None


def test_rendering_shows_status(lists: dict) -> None:
    text = render_checklist(lists["documents"], ["documents.course_evaluation"])
    assert text.splitlines()[0] == "Documents to gather (1 of 2 done):"
    assert "✅ Get a course-by-course" in text and "⬜ Request official" in text
    assert "Job search (0 of 1 done)" in render_progress(lists, [])


def test_choose_and_lookup(lists: dict) -> None:
    assert choose_checklist(lists, "give me the job search checklist").key == "job_search"
    assert choose_checklist(lists, "checklist please") is None
    assert lookup(lists, "documents.course_evaluation")[1].id == "course_evaluation"
    assert lookup(lists, "documents.nope") is None
    assert lookup(lists, "garbage") is None


def test_a_list_is_named_by_the_words_its_file_gives(lists: dict) -> None:
    assert choose_checklist(lists, "a checklist for my credentials pls").key == "documents"
    assert choose_checklist(lists, "cv checklist").key == "job_search"
    assert choose_checklist(lists, "a checklist for the exam") is None  # not in the small file
    # Several lists named: the one most words name.
    assert (
        choose_checklist(lists, "got my documents! now a cv and job checklist").key == "job_search"
    )
    # As many words each: the part that asks for a list decides.
    assert choose_checklist(lists, "WES is done!! ok now what, a checklist for a job").key == (
        "job_search"
    )
    assert choose_checklist(lists, "job checklist, my WES came back").key == "job_search"


def test_words_must_be_a_list_of_words() -> None:
    item = {"id": "a", "short": "A", "text": "Do A.", "source": "Step 1", "aliases": ["a"]}
    data = {"checklists": {"docs": {"title": "Docs", "words": "papers", "items": [item]}}}
    assert parse_checklists({"checklists": {"docs": {"title": "Docs", "items": [item]}}}, "test")
    with pytest.raises(ChecklistError, match="'words'"):
        parse_checklists(data, "test")
