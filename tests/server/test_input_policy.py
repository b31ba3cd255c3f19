"""The input policy: one verdict per message, markup stripped to its words."""

import pytest

from server.input_policy import Kind, clean, examine, is_no, is_yes, looks_like_sql
from server.payload_allowlist import load_allowlist

ALLOWLIST = load_allowlist()


@pytest.mark.parametrize("text", [None, "", "   ", "\n\t", 42, ["hi"]])
def test_empty_or_not_text(text: object) -> None:
    assert examine(text, ALLOWLIST).kind is Kind.EMPTY


def test_too_long_is_measured_on_the_raw_text() -> None:
    assert examine("a" * 2001, ALLOWLIST).kind is Kind.TOO_LONG
    assert examine("a" * 2000, ALLOWLIST).kind is Kind.PASS
    assert examine("a" * 11, ALLOWLIST, max_chars=10).kind is Kind.TOO_LONG


@pytest.mark.parametrize(
    "text",
    [
        "'; DROP TABLE users;--",
        "Robert'); DROP TABLE Students;--",
        "' or '1'='1",
        "1 UNION SELECT password FROM users",
        "SELECT * FROM events",
        "x'; exec xp_cmdshell 'dir'",
        "1; waitfor delay '0:0:5'",
        "insert into users values (1)",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<!-- -->",
        "\x00\x01\x02",
        "/",
        "\u202e\u200b",
    ],
)
def test_code_or_nothing_readable_is_not_understood(text: str) -> None:
    assert examine(text, ALLOWLIST).kind is Kind.NOT_UNDERSTOOD


@pytest.mark.parametrize(
    "text",
    [
        "I want to delete this item from my list",
        "select a program from the list",
        "thanks; delete my data",
        "update me on the exam please",
        "what's the pass rate? I'm 1 or 2 years out",
        "it's a 'certificate' program",
    ],
)
def test_ordinary_questions_with_sql_words_pass(text: str) -> None:
    verdict = examine(text, ALLOWLIST)
    assert verdict.kind is Kind.PASS
    assert not looks_like_sql(text)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("<b>how long</b> does it take", "how long does it take"),
        ("<script>alert(1)</script>how long does it take", "how long does it take"),
        ("salary &amp; pay", "salary & pay"),
        ("a\x00b\x1bc\x7f", "a b c"),
        ("  many   spaces\n\nhere ", "many spaces here"),
        ("\u202eevil\u202c text", "evil text"),
        ("مرحبا كيف حالك", "مرحبا كيف حالك"),
        ("👩‍⚕️ how do I become a CMA?", "👩‍⚕️ how do I become a CMA?"),
        ("bad \ufffd byte", "bad byte"),
        ("lone \ud800surrogate", "lone surrogate"),
    ],
)
def test_clean_keeps_the_words(text: str, words: str) -> None:
    assert clean(text) == words
    assert examine(text, ALLOWLIST) == examine(words, ALLOWLIST)


def test_bot_payloads_pass_unchanged() -> None:
    for payload in ["/timeline", "/restart", " /show_progress "]:
        verdict = examine(payload, ALLOWLIST)
        assert verdict.kind is Kind.PAYLOAD
        assert verdict.text == payload.strip()


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('/timeline{"program_type": "x"}', 'timeline{"program_type": "x"}'),
        ("/inform", "inform"),
        ("/greet@0.9", "greet@0.9"),
        ("//restart", "restart"),
    ],
)
def test_other_payloads_become_plain_text(text: str, words: str) -> None:
    assert examine(text, ALLOWLIST) == examine(words, ALLOWLIST)
    assert examine(text, ALLOWLIST).kind is Kind.PASS
    assert not examine(text, ALLOWLIST).text.startswith("/")


@pytest.mark.parametrize("text", ["yes", "Yes!", "yes, delete it", " OK "])
def test_yes(text: str) -> None:
    assert is_yes(text) and not is_no(text)


@pytest.mark.parametrize("text", ["no", "No.", "no, keep it", "keep it"])
def test_no(text: str) -> None:
    assert is_no(text) and not is_yes(text)


def test_a_question_is_neither_yes_nor_no() -> None:
    assert not is_yes("yes but how long does it take")
    assert not is_no("no idea what a CMA is")


def urgent(text: str) -> bool:
    """A stand-in for the safety rules (components/safety_rules.py)."""
    return "not breathing" in text


def test_a_too_long_emergency_still_reaches_the_assistant() -> None:
    text = "sorry for the long story " * 100 + "and now my dad is not breathing"
    assert examine(text, ALLOWLIST).kind is Kind.TOO_LONG
    verdict = examine(text, ALLOWLIST, urgent=urgent)
    assert verdict.kind is Kind.PASS and verdict.text.endswith("not breathing")


def test_a_too_long_message_is_read_only_up_to_a_bound() -> None:
    text = "a " * 10_000 + "not breathing"
    assert examine(text, ALLOWLIST, urgent=urgent).kind is Kind.TOO_LONG
    assert examine("x" * 3000, ALLOWLIST, urgent=urgent).kind is Kind.TOO_LONG


def test_an_emergency_that_looks_like_sql_still_reaches_the_assistant() -> None:
    text = "he said 'I feel weird' -- and now he is not breathing"
    assert examine(text, ALLOWLIST).kind is Kind.NOT_UNDERSTOOD
    verdict = examine(text, ALLOWLIST, urgent=urgent)
    assert verdict.kind is Kind.PASS and "not breathing" in verdict.text


def test_the_safety_rules_rescue_real_messages() -> None:
    from components.safety_rules import classify, load_rules

    rules = load_rules()
    text = "my friend wrote 'bye everyone' -- I think she wants to kill herself"
    verdict = examine(text, ALLOWLIST, urgent=lambda t: classify(t, rules) is not None)
    assert verdict.kind is Kind.PASS
    assert examine(
        "' or '1'='1", ALLOWLIST, urgent=lambda t: classify(t, rules) is not None
    ).kind is (Kind.NOT_UNDERSTOOD)
