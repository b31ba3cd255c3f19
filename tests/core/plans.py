"""Shared plan-building helpers for the timeline tests."""

from pathlib import Path

from actions.core.dates import YearMonth
from actions.core.figures import Figures
from actions.core.timeline import Plan, compute_plan

FIGURES_FILE = Path(__file__).resolve().parents[2] / "data" / "content" / "timeline.yml"
TODAY = YearMonth(2026, 5)


def plan(figures: Figures, **overrides: object) -> Plan:
    """A full-time certificate plan from TODAY, documents not ready, unless overridden."""
    arguments: dict[str, object] = {
        "program": "certificate",
        "pace": "full_time",
        "documents_ready": False,
        "program_start": None,
        "today": TODAY,
    }
    arguments.update(overrides)
    return compute_plan(figures, **arguments)  # type: ignore[arg-type]
