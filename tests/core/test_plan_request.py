"""Reading program, pace, documents and start date from one message."""

from datetime import date

import pytest

from actions.core.dates import YearMonth
from actions.core.plan_request import read_documents_ready, read_pace, read_plan_request

TODAY = date(2026, 11, 27)
SEASONS = {"fall": 9, "autumn": 9, "spring": 1, "summer": 6, "winter": 1}


@pytest.mark.parametrize(
    ("text", "program", "pace", "start"),
    [
        ("starting a certificate program in March 2027", "certificate", None, YearMonth(2027, 3)),
        ("associate degree part time from next fall", "associate", "part_time", YearMonth(2027, 9)),
        ("associates degree full-time 01/2027", "associate", "full_time", YearMonth(2027, 1)),
        ("diploma course, evenings, in 3 months", "certificate", "part_time", YearMonth(2027, 2)),
        ("when could i work", None, None, None),
    ],
)
def test_reads_what_the_user_said(
    text: str, program: str | None, pace: str | None, start: YearMonth | None
) -> None:
    request = read_plan_request(text, TODAY, SEASONS)
    assert (request.program, request.pace, request.start) == (program, pace, start)


def test_entities_win_over_the_text() -> None:
    entities = [{"entity": "program_type", "value": "associate's"}]
    assert read_plan_request("a cert or so", TODAY, SEASONS, entities).program == "associate"


@pytest.mark.parametrize(
    ("text", "ready"),
    [
        ("graduated in Cairo in 2019, transcripts not translated yet", False),
        ("I still need to get my WES evaluation", False),
        ("haven't translated my documents", False),
        ("I already have my WES evaluation", True),
        ("my transcripts are translated and evaluated", True),
        ("starting in May", None),
    ],
)
def test_documents_ready(text: str, ready: bool | None) -> None:
    assert read_documents_ready(text) is ready


def test_survives_hostile_input() -> None:
    for text in ["", "🙂" * 3000, "\u202e٢٠٢٧ مارس", "<script>alert(1)</script>", "\x00\x1f"]:
        read_plan_request(text, TODAY, SEASONS)


def test_the_pace_stored_in_the_slot_reads_back() -> None:
    # action_compute_timeline stores "part_time": a later re-plan must keep that pace.
    assert read_pace("part_time") == "part_time"
    assert read_pace("full_time") == "full_time"
