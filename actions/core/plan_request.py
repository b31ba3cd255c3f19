"""What a user's message already says about their plan: program, pace, documents, start."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from actions.core.dates import YearMonth, parse_start

Program = Literal["certificate", "associate"]
Pace = Literal["full_time", "part_time"]

_ASSOCIATE = re.compile(r"\bassoc\w*|\baas\b|\badn\b", re.IGNORECASE)
_CERTIFICATE = re.compile(r"\bcert\w*|\bdiploma\b", re.IGNORECASE)
_PART_TIME = re.compile(r"\bpart[\s_-]?time\b|\bevenings?\b|\bweekends?\b|\bnight classes\b", re.I)
_FULL_TIME = re.compile(r"\bfull[\s_-]?time\b", re.IGNORECASE)
_DOCUMENTS = r"(?:transcripts?|translat\w*|evaluat\w*|\bwes\b|documents?|papers?|credentials?)"
# "not translated yet", "haven't done my WES", "still need to translate": not ready.
_NOT_READY = re.compile(
    rf"(?:\bnot\b|n't|\bno\b|\byet to\b|\bstill need|\bneed to|\bhave to|\bwithout\b)"
    rf"[^.?!]{{0,40}}{_DOCUMENTS}|{_DOCUMENTS}[^.?!]{{0,40}}(?:\bnot\b|n't|\byet\b)",
    re.IGNORECASE,
)
# "already translated", "my WES evaluation is done", "I have my transcripts evaluated".
_READY = re.compile(
    rf"(?:\balready\b|\bdone\b|\bfinished\b|\bcompleted?\b|\bhave my\b|\bgot my\b)"
    rf"[^.?!]{{0,40}}{_DOCUMENTS}|{_DOCUMENTS}[^.?!]{{0,40}}"
    rf"(?:\balready\b|\bdone\b|\bready\b|\bcompleted?\b|\btranslated\b|\bevaluated\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PlanRequest:
    """What the user said; None where they did not say."""

    program: Program | None = None
    pace: Pace | None = None
    documents_ready: bool | None = None
    start: YearMonth | None = None


def read_program(text: str) -> Program | None:
    if _ASSOCIATE.search(text):
        return "associate"
    if _CERTIFICATE.search(text):
        return "certificate"
    return None


def read_pace(text: str) -> Pace | None:
    if _PART_TIME.search(text):
        return "part_time"
    if _FULL_TIME.search(text):
        return "full_time"
    return None


def read_documents_ready(text: str) -> bool | None:
    # Negation first: "transcripts are not translated yet" also contains "translated".
    if _NOT_READY.search(text):
        return False
    if _READY.search(text):
        return True
    return None


def read_plan_request(
    text: str,
    today: date,
    seasons: Mapping[str, int],
    entities: Sequence[Mapping[str, Any]] = (),
) -> PlanRequest:
    """Read one message; entities from the NLU (spaCy's ruler) are used where present."""
    text = text[:2000]
    said = " ".join(str(e.get("value", "")) for e in entities if e.get("entity") == "program_type")
    paced = " ".join(str(e.get("value", "")) for e in entities if e.get("entity") == "study_pace")
    return PlanRequest(
        program=read_program(said) or read_program(text),
        pace=read_pace(paced) or read_pace(text),
        documents_ready=read_documents_ready(text),
        start=parse_start(text, today, seasons),
    )
