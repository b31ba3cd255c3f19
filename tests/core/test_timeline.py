"""compute_plan: the phases as month ranges, the notes and the assumptions."""

from dataclasses import replace
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from actions.core.dates import YearMonth
from actions.core.figures import Figures
from actions.core.timeline import PACES, PROGRAMS
from tests.core.plans import TODAY, plan


def test_full_time_certificate_from_now_is_within_the_guide(figures: Figures) -> None:
    result = plan(figures)
    assert result.total_months == (18, 30)
    low, high = figures.whole_path_months
    assert low <= result.total_months[0] <= result.total_months[1] <= high
    assert result.phases[0].start_earliest == TODAY
    assert result.earliest_working == TODAY.plus(18)
    assert result.latest_working == TODAY.plus(30)


def test_certificate_starting_january_2027(figures: Figures) -> None:
    result = plan(figures, program_start=YearMonth(2027, 1))
    # Jan 2027 + 9 + 3 + 3 = Apr 2028; Jan 2027 + 12 + 6 + 6 = Jan 2029.
    assert result.earliest_working == YearMonth(2028, 4)
    assert result.latest_working == YearMonth(2029, 1)
    program = result.phases[1]
    assert (program.start_earliest, program.start_latest) == (YearMonth(2027, 1),) * 2
    assert (program.end_earliest, program.end_latest) == (YearMonth(2027, 10), YearMonth(2028, 1))
    documents = result.phases[0]
    assert (documents.start_earliest, documents.start_latest) == (
        YearMonth(2026, 7),
        YearMonth(2026, 10),
    )
    assert documents.end_earliest == documents.end_latest == YearMonth(2027, 1)
    assert result.notes == []


def test_associate_starting_march_2027(figures: Figures) -> None:
    result = plan(figures, program="associate", program_start=YearMonth(2027, 3))
    program = result.phases[1]
    assert (program.end_earliest, program.end_latest) == (YearMonth(2028, 9), YearMonth(2029, 3))


def test_phases_come_in_order(figures: Figures) -> None:
    keys = [phase.key for phase in plan(figures).phases]
    assert keys == ["documents", "program", "exam", "job_search"]


def test_part_time_rounds_up(figures: Figures) -> None:
    certificate = plan(figures, pace="part_time", program_start=YearMonth(2027, 1)).phases[1]
    # 9 x 1.5 = 13.5 -> 14 months; 12 x 1.5 = 18.
    assert certificate.end_earliest == YearMonth(2027, 1).plus(14)
    assert certificate.end_latest == YearMonth(2027, 1).plus(18)
    associate = plan(figures, program="associate", pace="part_time", documents_ready=True)
    assert associate.phases[1].start_earliest.months_until(associate.phases[1].end_earliest) == 27
    assert any("1.5 times" in line for line in associate.assumptions)


def test_part_time_rounding_is_exact_and_up(figures: Figures) -> None:
    # 10 x 1.1 is 11.000000000000002 in floats (ceil 12); exact arithmetic keeps it at 11.
    # 11 x 1.1 = 12.1 rounds up to 13, not to the nearest (12).
    certificate = replace(figures.programs["certificate"], shortest=10, longest=11)
    odd = replace(
        figures,
        programs={**figures.programs, "certificate": certificate},
        part_time=replace(figures.part_time, value=Fraction(11, 10)),
    )
    program = plan(odd, pace="part_time").phases[1]
    assert program.start_earliest.months_until(program.end_earliest) == 11
    assert program.start_latest.months_until(program.end_latest) == 13


def test_documents_ready_is_quicker(figures: Figures) -> None:
    result = plan(figures, documents_ready=True)
    assert result.phases[0].end_earliest == TODAY.plus(1)
    assert result.phases[0].end_latest == TODAY.plus(2)
    assert result.total_months == (16, 26)


def test_documents_unknown_assumes_not_ready(figures: Figures) -> None:
    unknown = plan(figures, documents_ready=None)
    assert unknown.phases == plan(figures, documents_ready=False).phases
    assert "You didn't say" in unknown.assumptions[0]
    assert len(unknown.assumptions) == 2  # the "didn't say" line stays apart from the estimates


def test_estimates_share_one_line(figures: Figures) -> None:
    [estimates] = plan(figures).assumptions
    for estimate in ("Documents 3 to 6 months", "exam prep 3 to 6 months", "job search 3 to 6"):
        assert estimate in estimates
    assert "our estimates" in estimates and "no figures" in estimates
    assert "part-time" not in estimates  # the full-time program length is from the guide


def test_part_time_estimate_joins_the_line(figures: Figures) -> None:
    [estimates] = plan(figures, pace="part_time", documents_ready=True).assumptions
    assert estimates.startswith("Documents 1 to 2 months, part-time study 14 to 18 months")
    assert "1.5 times" in estimates


def test_a_single_estimate_is_singular(figures: Figures) -> None:
    sourced = replace(figures.exam, assumption=None, source="a guide page")
    only_jobs = replace(
        figures,
        documents_not_ready=replace(figures.documents_not_ready, assumption=None, source="x"),
        exam=sourced,
    )
    assert plan(only_jobs).assumptions == [
        "Job search 3 to 6 months: our estimate, the guide gives no figure for this."
    ]


def test_tight_start_begins_documents_today(figures: Figures) -> None:
    result = plan(figures, program_start=TODAY.plus(2))
    documents = result.phases[0]
    assert documents.start_earliest == documents.start_latest == TODAY
    assert documents.end_earliest == TODAY.plus(2)
    [note] = result.notes
    assert note.startswith(f"Time is tight: starting in {TODAY.plus(2).label()}")
    assert "leaves only 2 months" in note and "usually take 3 to 6 months" in note


@pytest.mark.parametrize(
    ("months_left", "left", "usual"),
    [
        (0, "leaves no time", "usually take 3 to 6 months"),
        (1, "leaves only 1 month ", "usually take 3 to 6 months"),
        (4, "leaves 4 months", "can take up to 6 months"),
    ],
)
def test_tight_note_wording(figures: Figures, months_left: int, left: str, usual: str) -> None:
    [note] = plan(figures, program_start=TODAY.plus(months_left)).notes
    assert left in note and usual in note


def test_enough_time_has_no_note(figures: Figures) -> None:
    assert plan(figures, program_start=TODAY.plus(6)).notes == []


def test_months_from_now_counts_from_today(figures: Figures) -> None:
    result = plan(figures, program_start=YearMonth(2027, 1))
    # Documents can wait until Jul 2026, so the whole path is shorter than the wait from today.
    assert result.total_months == (21, 30)
    assert result.months_from_now == (23, 32)  # May 2026 -> Apr 2028 and Jan 2029


def test_past_start_does_not_break_the_plan(figures: Figures) -> None:
    start = YearMonth(2026, 1)
    result = plan(figures, program_start=start)
    assert result.phases[1].start_earliest == start
    assert result.phases[0].start_earliest == result.phases[0].end_earliest == start
    assert "already passed" in result.notes[0]


def test_unknown_program_or_pace(figures: Figures) -> None:
    with pytest.raises(ValueError, match="program"):
        plan(figures, program="bachelor")
    with pytest.raises(ValueError, match="pace"):
        plan(figures, pace="weekends")


month_strategy = st.builds(YearMonth, st.integers(2020, 2040), st.sampled_from([1, 2, 6, 11, 12]))
any_month = st.builds(YearMonth, st.integers(2020, 2040), st.integers(1, 12))


@settings(database=None, deadline=None, max_examples=300)
@given(
    today=st.one_of(month_strategy, any_month),
    program_start=st.one_of(st.none(), month_strategy, any_month),
    program=st.sampled_from(PROGRAMS),
    pace=st.sampled_from(PACES),
    documents_ready=st.sampled_from([True, False, None]),
)
def test_plan_invariants(
    figures: Figures,
    today: YearMonth,
    program_start: YearMonth | None,
    program: str,
    pace: str,
    documents_ready: bool | None,
) -> None:
    result = plan(
        figures,
        today=today,
        program_start=program_start,
        program=program,
        pace=pace,
        documents_ready=documents_ready,
    )
    for phase in result.phases:
        assert phase.end_earliest >= phase.start_earliest
        assert phase.start_latest >= phase.start_earliest
        assert phase.end_latest >= phase.end_earliest
        assert phase.end_latest >= phase.start_latest
    for previous, following in zip(result.phases, result.phases[1:], strict=False):
        assert following.start_earliest >= previous.end_earliest
        assert following.start_latest >= previous.end_latest
    assert result.earliest_working <= result.latest_working
    assert result.earliest_working == result.phases[-1].end_earliest
    assert 0 <= result.total_months[0] <= result.total_months[1]
    if program_start is not None:
        assert result.phases[1].start_earliest == program_start
        if program_start >= today:
            assert result.phases[0].start_earliest >= today
    else:
        assert result.phases[0].start_earliest == today
