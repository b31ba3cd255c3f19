"""render_plan's plain text and plan_to_ics's calendar."""

import re
from datetime import datetime, timezone

import pytest

from actions.core.dates import YearMonth
from actions.core.figures import Figures
from actions.core.plan_text import plan_to_ics, render_plan
from tests.core.plans import TODAY, plan

STAMP = datetime(2026, 5, 15, 12, 0, tzinfo=timezone.utc)


# --- render_plan -----------------------------------------------------------------------------


def lines_of(text: str) -> dict[str, str]:
    """Each line keyed by its label (the text before the first colon)."""
    return {line.split(":", 1)[0]: line for line in text.splitlines()}


def test_render_plan_certificate_from_january_2027(figures: Figures) -> None:
    # The example the wording was written for: asked in November 2026.
    text = render_plan(plan(figures, program_start=YearMonth(2027, 1), today=YearMonth(2026, 11)))
    lines = text.splitlines()
    assert lines[0] == "Your plan for a full-time MA certificate program:"
    by_label = lines_of(text)
    assert by_label["1. Documents and applications"].endswith(": Nov 2026 – Jan 2027")
    program = by_label[
        "2. MA certificate program (usually 9-12 months full time),"
        " ending with the unpaid externship"
    ]
    assert program.endswith(": starts Jan 2027, ends between Oct 2027 and Jan 2028")
    assert by_label[
        "3. Exam prep and the CMA (AAMA) exam, which you can sit once you graduate"
    ].endswith(": between Oct 2027 and Jul 2028")
    assert by_label["4. Job search"].endswith(": between Jan 2028 and Jan 2029")
    working = lines[5]
    assert "April 2028 (earliest)" in working and "January 2029 (latest)" in working
    assert "about 17 to 26 months from now" in working
    assert lines[6].startswith("Time is tight: starting in January 2027 leaves only 2 months")
    assert lines[7] == "What I assumed:"
    assert lines[8].startswith("- Documents 3 to 6 months, exam prep 3 to 6 months")
    assert len(lines) == 9


def test_render_plan_is_plain_text(figures: Figures) -> None:
    text = render_plan(plan(figures, documents_ready=None, pace="part_time"))
    assert not re.search(r"[*_#`]|\]\(", text)
    assert len(text.splitlines()) <= 12


def test_render_plan_counts_months_from_today(figures: Figures) -> None:
    # Documents may start as late as Jul 2026, but "from now" is from May 2026.
    text = render_plan(plan(figures, program_start=YearMonth(2027, 1)))
    assert "1. Documents and applications: between Jul 2026 and Jan 2027" in text
    assert "about 23 to 32 months from now" in text


def test_render_plan_shows_notes_and_assumptions(figures: Figures) -> None:
    text = render_plan(plan(figures, program_start=TODAY.plus(1), pace="part_time"))
    assert "Your plan for a part-time MA certificate program:" in text
    assert "Time is tight" in text
    assert "1.5 times" in text


def test_render_plan_past_start_has_no_negative_months(figures: Figures) -> None:
    text = render_plan(plan(figures, program_start=YearMonth(2020, 3)))
    assert "March 2020 has already passed" in text
    assert "from now" not in text
    assert "1. Documents and applications: Mar 2020\n" in text  # no "Mar 2020 – Mar 2020"


# --- plan_to_ics -----------------------------------------------------------------------------


def unfold(ics: str) -> list[str]:
    """Content lines with RFC 5545 folding undone."""
    return ics.replace("\r\n ", "").split("\r\n")[:-1]


def test_ics_structure(figures: Figures) -> None:
    result = plan(figures, program_start=YearMonth(2027, 1))
    ics = plan_to_ics(result, "user-42", dtstamp=STAMP)
    assert ics.endswith("\r\n")
    assert "\n" not in ics.replace("\r\n", "")  # no bare line feeds
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))
    lines = unfold(ics)
    stack: list[str] = []
    for line in lines:
        if line.startswith("BEGIN:"):
            stack.append(line[6:])
        elif line.startswith("END:"):
            assert stack.pop() == line[4:]
    assert stack == []
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines
    assert any(line.startswith("PRODID:") for line in lines)
    assert lines.count("BEGIN:VEVENT") == len(result.phases) == 4
    uids = [line for line in lines if line.startswith("UID:")]
    assert len(set(uids)) == 4 and all(uid.startswith("UID:user-42-") for uid in uids)
    assert lines.count("DTSTAMP:20260515T120000Z") == 4
    starts = [line for line in lines if line.startswith("DTSTART")]
    assert starts[1] == "DTSTART;VALUE=DATE:20270101"
    assert all(re.fullmatch(r"DTSTART;VALUE=DATE:\d{6}01", line) for line in starts)
    summaries = [line for line in lines if line.startswith("SUMMARY:")]
    assert len(summaries) == 4 and "Job search" in summaries[-1]


def test_ics_escapes_and_sanitises(figures: Figures) -> None:
    ics = plan_to_ics(plan(figures), "bad id;\r\nX-EVIL:1", dtstamp=STAMP)
    lines = unfold(ics)
    assert not any(line.startswith("X-EVIL") for line in lines)
    names = {re.split(r"[;:]", line, maxsplit=1)[0] for line in lines}
    assert names == {
        "BEGIN", "END", "VERSION", "PRODID", "CALSCALE", "METHOD", "UID", "DTSTAMP",
        "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION", "TRANSP",
    }  # fmt: skip
    summary = "SUMMARY:Start: MA certificate program (usually 9-12 months full time)\\, ending"
    assert any(line.startswith(summary) for line in lines)
    with pytest.raises(ValueError):
        plan_to_ics(plan(figures), " ;; ")
