"""Rebuild a user's latest plan from what the conversation stored (its slots)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from actions.core.dates import YearMonth
from actions.core.figures import Figures
from actions.core.timeline import PACES, Plan, compute_plan


def plan_from_slots(figures: Figures, slots: Mapping[str, Any], today: YearMonth) -> Plan | None:
    """The plan the timeline action last showed, or None when it showed none."""
    program, pace = slots.get("program_type"), slots.get("study_pace")
    if program not in figures.programs or pace not in PACES:
        return None
    start = YearMonth.from_iso(slots.get("plan_start") or "")
    if start is not None and start < today:
        start = None  # the action plans past starts from now, too
    documents = slots.get("documents_ready")
    return compute_plan(
        figures,
        program=program,
        pace=pace,
        documents_ready=documents if isinstance(documents, bool) else None,
        program_start=start,
        today=today,
    )
