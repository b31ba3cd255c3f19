"""plan_picture: the plan as data for the timeline picture, from the text plan's numbers."""

import json
import re

from actions.core.dates import YearMonth
from actions.core.figures import Figures
from actions.core.plan_picture import calendar_line, is_plan_picture, plan_picture
from actions.core.plan_text import render_plan
from tests.core.plans import TODAY, plan


def test_the_picture_has_the_text_plans_phases_and_months(figures: Figures) -> None:
    the_plan = plan(figures, program_start=YearMonth(2027, 1), today=YearMonth(2026, 11))
    picture = plan_picture(the_plan)
    text = render_plan(the_plan)
    assert is_plan_picture(picture)
    assert picture["today"] == "2026-11"
    assert picture["earliest_work"] == "2028-04" and picture["latest_work"] == "2029-01"
    assert [p["key"] for p in picture["phases"]] == ["documents", "program", "exam", "job_search"]
    for number, phase in enumerate(picture["phases"], 1):
        # The text plan's own line for this phase: same name, same months.
        assert f"{number}. {phase['name']}: {phase['when']}" in text.splitlines()
    documents, program, exam, jobs = picture["phases"]
    assert (documents["start"], documents["end"]) == ("2026-11", "2027-01")
    assert (program["start"], program["end_earliest"], program["end"]) == (
        "2027-01",
        "2027-10",
        "2028-01",
    )
    assert (exam["start"], exam["end"]) == ("2027-10", "2028-07")
    assert (jobs["start"], jobs["end"]) == ("2028-01", "2029-01")
    assert picture["working"] in text
    assert picture["first_month"] == "2026-11" and picture["last_month"] == "2029-01"


def test_estimates_are_the_phases_the_guide_gives_no_figure_for(figures: Figures) -> None:
    full_time = plan_picture(plan(figures))
    assert [p["estimate"] for p in full_time["phases"]] == [True, False, True, True]
    # Part-time program lengths are our 1.5x assumption, so that bar is an estimate too.
    part_time = plan_picture(plan(figures, pace="part_time"))
    assert [p["estimate"] for p in part_time["phases"]] == [True, True, True, True]
    assert part_time["phases"][1]["short"] == "Part-time MA certificate + externship"
    associate = plan_picture(plan(figures, program="associate", pace="part_time"))
    assert associate["phases"][1]["short"] == "Part-time associate's degree + externship"
    assert plan_picture(plan(figures, program="associate"))["phases"][1]["short"] == (
        "MA associate's degree + externship"
    )


def test_the_summary_is_a_text_alternative(figures: Figures) -> None:
    picture = plan_picture(plan(figures))
    summary = picture["summary"]
    assert summary.startswith("Timeline of your plan. 1. Documents and applications: ")
    assert "(estimated length)" in summary
    assert f"Today: {TODAY.label()}." in summary
    assert "Earliest month of work: " in summary


def test_a_past_start_widens_the_axis_to_today(figures: Figures) -> None:
    picture = plan_picture(plan(figures, program_start=YearMonth(2020, 3)))
    assert picture["first_month"] == "2020-03"
    assert picture["today"] == TODAY.iso()


def test_the_payload_is_json_and_carries_the_calendar_link(figures: Figures) -> None:
    picture = plan_picture(plan(figures), "https://bot.example.org/webhooks/calendar/plan.ics?x=1")
    assert json.loads(json.dumps(picture)) == picture
    assert picture["calendar_url"].endswith("plan.ics?x=1")
    assert all(re.fullmatch(r"\d{4}-\d{2}", p["start"]) for p in picture["phases"])
    assert not is_plan_picture({"type": "other"}) and not is_plan_picture("plan_timeline")


def test_the_calendar_line_suits_the_channel() -> None:
    link = "https://bot.example.org/webhooks/calendar/plan.ics?sender=a&sig=b"
    assert calendar_line(link, "socketio") == (
        f"📅 [Add to calendar]({link}) (the milestones as an .ics file)"
    )
    assert calendar_line(link, "slack") is None  # a button on the picture instead
    assert calendar_line(link, "telegram") is None
    assert calendar_line(link, "rest") == f"📅 Add these milestones to your calendar: {link}"
    assert link in (calendar_line(link, None) or "")
