"""Signed plan links and rebuilding a plan from stored slots."""

from pathlib import Path
from urllib.parse import parse_qs, urlparse

from actions.core.calendar_link import plan_link, signature, verify
from actions.core.dates import YearMonth
from actions.core.figures import load_figures
from actions.core.saved_plan import plan_from_slots
from tests.conftest import ROOT

FIGURES = load_figures(Path(ROOT / "data" / "content" / "timeline.yml"))


def test_links_verify_only_for_their_sender_and_secret() -> None:
    link = urlparse(plan_link("http://bot.example/", "s3cret", "amira-1"))
    query = parse_qs(link.query)
    assert link.path == "/webhooks/calendar/plan.ics"
    assert query["sender"] == ["amira-1"]
    assert verify("s3cret", "amira-1", query["sig"][0])
    assert not verify("s3cret", "someone-else", query["sig"][0])
    assert not verify("other", "amira-1", query["sig"][0])
    assert not verify("", "amira-1", signature("", "amira-1"))


def test_the_saved_plan_matches_the_stored_choices() -> None:
    slots = {"program_type": "certificate", "study_pace": "full_time", "plan_start": "2027-01"}
    plan = plan_from_slots(FIGURES, slots, YearMonth(2026, 11))
    assert (plan.earliest_working, plan.latest_working) == (YearMonth(2028, 4), YearMonth(2029, 1))


def test_no_plan_without_a_program_and_pace() -> None:
    assert plan_from_slots(FIGURES, {"plan_start": "2027-01"}, YearMonth(2026, 11)) is None
