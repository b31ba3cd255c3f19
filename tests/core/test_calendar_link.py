"""Plan links (a placeholder token the Rasa server fills) and rebuilding a plan from slots."""

from pathlib import Path
from urllib.parse import parse_qs, urlparse

from actions.core.calendar_link import TOKEN_PLACEHOLDER, plan_link
from actions.core.dates import YearMonth
from actions.core.figures import load_figures
from actions.core.saved_plan import plan_from_slots
from tests.conftest import ROOT

FIGURES = load_figures(Path(ROOT / "data" / "content" / "timeline.yml"))


def test_the_action_writes_a_link_with_no_conversation_id() -> None:
    link = urlparse(plan_link("http://bot.example/"))
    assert link.path == "/webhooks/calendar/plan.ics"
    assert parse_qs(link.query) == {"token": [TOKEN_PLACEHOLDER]}


def test_the_saved_plan_matches_the_stored_choices() -> None:
    slots = {"program_type": "certificate", "study_pace": "full_time", "plan_start": "2027-01"}
    plan = plan_from_slots(FIGURES, slots, YearMonth(2026, 11))
    assert (plan.earliest_working, plan.latest_working) == (YearMonth(2028, 4), YearMonth(2029, 1))


def test_no_plan_without_a_program_and_pace() -> None:
    assert plan_from_slots(FIGURES, {"plan_start": "2027-01"}, YearMonth(2026, 11)) is None
