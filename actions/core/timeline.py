"""A personal CMA timeline: documents, program, exam and job search as month ranges."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from actions.core.dates import YearMonth
from actions.core.figures import Duration, Figures

Program = Literal["certificate", "associate"]
Pace = Literal["full_time", "part_time"]
PhaseKey = Literal["documents", "program", "exam", "job_search"]

PROGRAMS: tuple[Program, ...] = ("certificate", "associate")
PACES: tuple[Pace, ...] = ("full_time", "part_time")

PROGRAM_NAMES: dict[str, str] = {
    "certificate": "MA certificate program",
    "associate": "MA associate's degree",
}


@dataclass(frozen=True)
class Phase:
    """One step of the path; starts and ends are month ranges (earliest to latest).

    An end is the month the next step can begin: a 9-month program from January 2027
    ends October 2027.
    """

    key: PhaseKey
    title: str
    start_earliest: YearMonth
    start_latest: YearMonth
    end_earliest: YearMonth
    end_latest: YearMonth
    estimate: bool = False  # the phase's length is our assumption, not a figure from the guide


@dataclass(frozen=True)
class Plan:
    """A personal timeline: the phases in order and when the user could be working."""

    program: Program
    pace: Pace
    today: YearMonth
    phases: list[Phase]
    earliest_working: YearMonth
    latest_working: YearMonth
    total_months: tuple[int, int]  # from the first phase's earliest start
    assumptions: list[str]
    notes: list[str]  # warnings about this user's dates, e.g. too little time for documents

    @property
    def months_from_now(self) -> tuple[int, int]:
        """Months from today until the user could be working, earliest and latest."""
        return (
            self.today.months_until(self.earliest_working),
            self.today.months_until(self.latest_working),
        )


_PHASE_TITLES: dict[str, str] = {
    "documents": "Documents and applications",
    "exam": "Exam prep and the CMA (AAMA) exam, which you can sit once you graduate",
    "job_search": "Job search",
}


def compute_plan(
    figures: Figures,
    *,
    program: Program,
    pace: Pace,
    documents_ready: bool | None,
    program_start: YearMonth | None,
    today: YearMonth,
) -> Plan:
    """Lay out documents, program, exam and job search as month ranges.

    With a program start, the documents phase is fitted before it; without one, documents
    start today and the program follows. documents_ready=None means "not said": the slower
    not-ready figures are used and listed as an assumption.
    """
    if program not in figures.programs:
        raise ValueError(f"unknown program {program!r}; expected one of {', '.join(PROGRAMS)}")
    if pace not in PACES:
        raise ValueError(f"unknown pace {pace!r}; expected one of {', '.join(PACES)}")
    documents = figures.documents_ready if documents_ready else figures.documents_not_ready
    program_length = _program_length(figures, program, pace)
    notes: list[str] = []

    if program_start is None:
        first = _phase_from("documents", _PHASE_TITLES["documents"], today, today, documents)
    else:
        first = _documents_before(program_start, today, documents, notes)
    # The guide: every accredited MA program culminates in an unpaid externship.
    # Its usual full-time length, as the guide gives it: "when do I graduate?" reads it here.
    usual = figures.programs[program]
    program_title = (
        f"{PROGRAM_NAMES[program]} (usually {usual.shortest}-{usual.longest} months full time),"
        " ending with the unpaid externship"
    )
    if pace == "part_time":
        program_title = f"Part-time {program_title}"
    study = _phase_after("program", program_title, first, program_length)
    exam = _phase_after("exam", _PHASE_TITLES["exam"], study, figures.exam)
    jobs = _phase_after("job_search", _PHASE_TITLES["job_search"], exam, figures.job_search)

    return Plan(
        program=program,
        pace=pace,
        today=today,
        phases=[first, study, exam, jobs],
        earliest_working=jobs.end_earliest,
        latest_working=jobs.end_latest,
        total_months=(
            first.start_earliest.months_until(jobs.end_earliest),
            first.start_earliest.months_until(jobs.end_latest),
        ),
        assumptions=_assumptions(figures, documents, documents_ready, program, pace),
        notes=notes,
    )


def _program_length(figures: Figures, program: str, pace: str) -> Duration:
    full_time = figures.programs[program]
    if pace == "full_time":
        return full_time
    factor = figures.part_time.value
    return Duration(
        math.ceil(full_time.shortest * factor),
        math.ceil(full_time.longest * factor),
        source=figures.part_time.source,
        assumption=figures.part_time.assumption,
    )


def _phase_from(
    key: PhaseKey, title: str, earliest: YearMonth, latest: YearMonth, length: Duration
) -> Phase:
    """A phase starting in [earliest, latest]: quickest from earliest, slowest from latest."""
    return Phase(
        key,
        title,
        earliest,
        latest,
        earliest.plus(length.shortest),
        latest.plus(length.longest),
        estimate=length.is_assumption,
    )


def _phase_after(key: PhaseKey, title: str, previous: Phase, length: Duration) -> Phase:
    """A phase starting when the previous one ends."""
    return _phase_from(key, title, previous.end_earliest, previous.end_latest, length)


def _documents_before(
    program_start: YearMonth, today: YearMonth, documents: Duration, notes: list[str]
) -> Phase:
    """Documents ending at the program start, never starting before today."""

    def clamp(month: YearMonth) -> YearMonth:
        # Work can't start in the past, and can't start after the program it feeds.
        return min(max(month, today), program_start)

    phase = Phase(
        "documents",
        _PHASE_TITLES["documents"],
        clamp(program_start.plus(-documents.longest)),
        clamp(program_start.plus(-documents.shortest)),
        program_start,
        program_start,
        estimate=documents.is_assumption,
    )
    months_left = today.months_until(program_start)
    if months_left < 0:
        notes.append(
            f"{program_start.label()} has already passed, so this plan assumes your documents"
            " are done and the program has started."
        )
    elif months_left < documents.longest:
        notes.append(_tight_note(program_start, months_left, documents))
    return phase


def _tight_note(program_start: YearMonth, months_left: int, documents: Duration) -> str:
    """Too little time for documents before the program starts, in plain words."""
    if months_left == 0:
        left = "leaves no time"
    elif months_left < documents.shortest:
        left = f"leaves only {_months(months_left)}"
    else:
        left = f"leaves {_months(months_left)}"
    usual = (
        f"usually take {month_span(documents.shortest, documents.longest)}"
        if months_left < documents.shortest
        else f"can take up to {_months(documents.longest)}"
    )
    return (
        f"Time is tight: starting in {program_start.label()} {left}"
        f" for documents and applications, which {usual}."
    )


def _assumptions(
    figures: Figures,
    documents: Duration,
    documents_ready: bool | None,
    program: str,
    pace: str,
) -> list[str]:
    """What the plan rests on beyond the guide's numbers, in the user's terms.

    Each "you didn't say" is its own line; our own estimates share one line.
    """
    said: list[str] = []
    if documents_ready is None:
        said.append(
            "You didn't say whether your transcripts are already translated and evaluated,"
            " so I assumed they aren't yet."
        )
    estimates: list[str] = []
    if documents.is_assumption:
        estimates.append(f"documents {month_span(documents.shortest, documents.longest)}")
    if pace == "part_time" and figures.part_time.assumption is not None:
        part = _program_length(figures, program, pace)
        estimates.append(
            f"part-time study {month_span(part.shortest, part.longest)}"
            f" (about {float(figures.part_time.value):g} times as long as full-time)"
        )
    for name, duration in (("exam prep", figures.exam), ("job search", figures.job_search)):
        if duration.is_assumption:
            estimates.append(f"{name} {month_span(duration.shortest, duration.longest)}")
    if estimates:
        listed = ", ".join(estimates)
        whose = (
            "our estimates, the guide gives no figures for these"
            if len(estimates) > 1
            else "our estimate, the guide gives no figure for this"
        )
        said.append(f"{listed[0].upper()}{listed[1:]}: {whose}.")
    return said


def _months(count: int) -> str:
    """ "1 month", "3 months"."""
    return f"{count} month" if count == 1 else f"{count} months"


def month_span(shortest: int, longest: int) -> str:
    """ "3 to 6 months", or "3 months" when both ends agree."""
    return _months(shortest) if shortest == longest else f"{shortest} to {_months(longest)}"
