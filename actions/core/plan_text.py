"""A plan as words: a short plain-text summary for chat, and an iCalendar file."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone

from actions.core.dates import YearMonth
from actions.core.timeline import PROGRAM_NAMES, Phase, Plan, month_span


def render_plan(plan: Plan, extra_assumptions: Sequence[str] = ()) -> str:
    """A short plain-text plan for readers of English as a second language.

    One line per phase, then when the user could be working, then any warnings, then what
    the plan assumed (the caller's own defaults first, e.g. the program it picked).
    """
    pace = "full-time" if plan.pace == "full_time" else "part-time"
    lines = [f"Your plan for a {pace} {PROGRAM_NAMES[plan.program]}:"]
    lines += [
        f"{number}. {phase.title}: {phase_when(phase)}"
        for number, phase in enumerate(plan.phases, 1)
    ]
    lines.append(working_line(plan))
    lines.extend(plan.notes)
    assumptions = [*extra_assumptions, *plan.assumptions]
    if assumptions:
        lines.append("What I assumed:")
        lines.extend(f"- {assumption}" for assumption in assumptions)
    return "\n".join(lines)


def phase_when(phase: Phase) -> str:
    """ "Nov 2026 – Jan 2027", "starts Jan 2027, ends between ...", or "between X and Y"."""
    first, last = phase.start_earliest.short_label(), phase.end_latest.short_label()
    if phase.start_earliest != phase.start_latest:
        return f"between {first} and {last}"
    if phase.end_earliest != phase.end_latest:
        return f"starts {first}, ends between {phase.end_earliest.short_label()} and {last}"
    return first if phase.start_earliest == phase.end_latest else f"{first} – {last}"


def working_line(plan: Plan) -> str:
    """When the user could be working as a CMA, and how far away that is."""
    earliest, latest = plan.earliest_working.label(), plan.latest_working.label()
    when = (
        f"in {earliest}"
        if plan.earliest_working == plan.latest_working
        else f"between {earliest} (earliest) and {latest} (latest)"
    )
    soonest, slowest = plan.months_from_now
    # A start in the past can put working months behind today; "-3 months from now" helps no one.
    away = f", about {month_span(soonest, slowest)} from now" if soonest > 0 else ""
    return f"You could be working as a CMA {when}{away}."


# --- iCalendar ---------------------------------------------------------------------------------

_PRODID = "-//IMG to CMA assistant//Personal timeline//EN"


def plan_to_ics(plan: Plan, uid_prefix: str, *, dtstamp: datetime | None = None) -> str:
    """An RFC 5545 calendar with one all-day event at the earliest start of each phase.

    dtstamp defaults to now (UTC); pass it for reproducible output. uid_prefix should be
    stable per user so re-imports update events instead of duplicating them.
    """
    prefix = re.sub(r"[^A-Za-z0-9._@-]+", "-", uid_prefix).strip("-")
    if not prefix:
        raise ValueError(f"uid_prefix needs letters or digits, got {uid_prefix!r}")
    stamp = dtstamp or datetime.now(timezone.utc)
    # A naive dtstamp is taken as UTC; RFC 5545 wants DTSTAMP in UTC.
    stamp = stamp.replace(tzinfo=timezone.utc) if stamp.tzinfo is None else stamp
    stamp_text = stamp.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")

    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{_PRODID}", "CALSCALE:GREGORIAN"]
    lines.append("METHOD:PUBLISH")
    for phase in plan.phases:
        day = phase.start_earliest.first_day()
        description = (
            f"Could start {_month_range(phase.start_earliest, phase.start_latest)};"
            f" expected to end {_month_range(phase.end_earliest, phase.end_latest)}."
        )
        if phase.key == "job_search":
            description += (
                f" Earliest you could be working as a CMA: {plan.earliest_working.label()};"
                f" latest: {plan.latest_working.label()}."
            )
        lines += [
            "BEGIN:VEVENT",
            f"UID:{prefix}-{phase.key}",
            f"DTSTAMP:{stamp_text}",
            f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
            # All-day events end (exclusively) the next day.
            f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_ics_text('Start: ' + phase.title)}",
            f"DESCRIPTION:{_ics_text(description)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(f"{_fold(line)}\r\n" for line in lines)


def _month_range(earliest: YearMonth, latest: YearMonth) -> str:
    if earliest == latest:
        return earliest.short_label()
    return f"{earliest.short_label()} to {latest.short_label()}"


def _ics_text(value: str) -> str:
    """Escape a TEXT value (RFC 5545 section 3.3.11)."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character (section 3.1)."""
    pieces: list[str] = []
    current, size, limit = "", 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            # Continuation lines start with a space, which counts toward their 75 octets.
            current, size, limit = "", 0, 74
        current += char
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)
