"""Which user messages go to review, how they are grouped, and the closest guide section."""

from tests.conftest import GUIDE
from tools.operators.review import (
    SectionMatcher,
    flag,
    group,
    guide_sections,
    mask,
    review_rows,
)


def user(text: str, intent: str, confidence: float, ranking: list | None = None) -> dict:
    return {
        "event": "user",
        "text": text,
        "parse_data": {
            "intent": {"name": intent, "confidence": confidence},
            "intent_ranking": ranking or [{"name": intent, "confidence": confidence}],
        },
    }


def test_what_needs_review() -> None:
    fell_back = user(
        "externship school stuff",
        "nlu_fallback",
        0.55,
        [
            {"name": "nlu_fallback", "confidence": 0.55},
            {"name": "externship", "confidence": 0.41},
        ],
    )
    flagged = flag(fell_back)
    assert flagged is not None
    assert (flagged.reason, flagged.best_guess, flagged.confidence) == (
        "fell back",
        "externship",
        0.41,
    )
    declined = flag(user("work visa?", "immigration_legal", 0.98))
    assert declined is not None and declined.reason == "declined"
    unsure = flag(user("pay and time", "salary", 0.62))
    assert unsure is not None and unsure.reason == "low confidence"
    assert flag(user("how much does a cma make", "salary", 0.97)) is None
    assert flag(user("/salary", "salary", 1.0)) is None  # a button press
    assert flag({"event": "bot", "text": "hello"}) is None


def test_near_duplicates_are_grouped_and_counted() -> None:
    items = [
        flag(user(t, "out_of_scope", 0.9))
        for t in [
            "What's the weather in Boston?",
            "whats the weather in boston",
            "weather in boston today?",
            "can I get a visa",
            "whats the weather in boston",
        ]
    ]
    groups = group([i for i in items if i])
    assert [g.count for g in groups] == [4, 1]
    assert groups[0].text == "whats the weather in boston"


def test_personal_details_are_masked() -> None:
    assert mask("mail me at amira.k@example.com or +1 (555) 123-4567") == (
        "mail me at <email> or <phone>"
    )


def test_closest_guide_section() -> None:
    matcher = SectionMatcher(guide_sections(GUIDE.read_text()))
    assert matcher.closest("do i need the usmle") == (
        'FAQ "Do I need to pass the USMLE exams to become a CMA?"'
    )
    assert matcher.closest("my transcripts are in arabic").startswith("Step 1")
    assert matcher.closest("what is the weather").startswith("(none close")


def test_rows_carry_no_sender_ids() -> None:
    events = [dict(user("weather??", "out_of_scope", 0.9), sender_id="amira-123")]
    rows = review_rows(events, GUIDE.read_text())
    assert "amira-123" not in str(rows)
    assert rows[0]["count"] == "1" and rows[0]["intent"] == ""
