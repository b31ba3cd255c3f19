"""Month arithmetic, start-date parsing and start-date classification."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from actions.core.dates import YearMonth, classify_start, parse_start

SEASONS = {"fall": 9, "autumn": 9, "spring": 1, "summer": 6, "winter": 1}
TODAY = date(2026, 5, 15)

# No example database: property tests should not leave files in the repo.
quick = settings(database=None, deadline=None, max_examples=200)
months = st.builds(YearMonth, st.integers(2020, 2040), st.integers(1, 12))


# --- YearMonth -------------------------------------------------------------------------------


@pytest.mark.parametrize("month", [0, 13, -1])
def test_year_month_rejects_invalid_month(month: int) -> None:
    with pytest.raises(ValueError, match="month"):
        YearMonth(2027, month)


def test_year_month_rejects_non_int() -> None:
    with pytest.raises(TypeError):
        YearMonth(2027, True)
    with pytest.raises(TypeError):
        YearMonth("2027", 3)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (YearMonth(2026, 12), 1, YearMonth(2027, 1)),
        (YearMonth(2027, 1), -1, YearMonth(2026, 12)),
        (YearMonth(2027, 1), 9, YearMonth(2027, 10)),
        (YearMonth(2027, 3), 18, YearMonth(2028, 9)),
        (YearMonth(2027, 3), 24, YearMonth(2029, 3)),
        (YearMonth(2024, 2), 12, YearMonth(2025, 2)),  # from a leap-year February
        (YearMonth(2023, 2), 12, YearMonth(2024, 2)),  # into a leap-year February
        (YearMonth(2026, 6), 0, YearMonth(2026, 6)),
        (YearMonth(2026, 6), -30, YearMonth(2023, 12)),
    ],
)
def test_plus(start: YearMonth, months: int, expected: YearMonth) -> None:
    assert start.plus(months) == expected


def test_leap_february_first_day() -> None:
    assert YearMonth(2028, 2).first_day() == date(2028, 2, 1)
    assert YearMonth(2027, 12).plus(2).first_day() == date(2028, 2, 1)


@quick
@given(months, st.integers(-600, 600), st.integers(-600, 600))
def test_plus_is_consistent(start: YearMonth, a: int, b: int) -> None:
    assert start.plus(a).plus(b) == start.plus(a + b)
    assert start.months_until(start.plus(a)) == a
    assert (start.plus(a) > start) == (a > 0)
    # first_day() never fails, so every month plus() produces is a real calendar month.
    assert start.plus(a).first_day().day == 1


@quick
@given(months, months)
def test_months_until_matches_ordering(a: YearMonth, b: YearMonth) -> None:
    assert a.plus(a.months_until(b)) == b
    assert (a.months_until(b) > 0) == (a < b)


def test_labels_and_from_date() -> None:
    assert YearMonth(2027, 3).label() == "March 2027"
    assert YearMonth(2027, 9).short_label() == "Sep 2027"
    assert YearMonth.from_date(date(2026, 12, 31)) == YearMonth(2026, 12)


# --- parse_start -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("March 2027", (2027, 3)),
        ("mar 2027", (2027, 3)),
        ("in march 2027", (2027, 3)),
        ("sept 2027", (2027, 9)),
        ("Sept. 2027", (2027, 9)),
        ("03/2027", (2027, 3)),
        ("3/2027", (2027, 3)),
        ("01/2027", (2027, 1)),
        ("2027-03", (2027, 3)),
        ("next fall", (2026, 9)),
        ("this fall", (2026, 9)),
        ("fall 2027", (2027, 9)),
        ("in the fall of 2027", (2027, 9)),
        ("next spring", (2027, 1)),
        ("winter 2027", (2027, 1)),
        ("in the summer", (2026, 6)),
        ("in 3 months", (2026, 8)),
        ("in three months", (2026, 8)),
        ("in eighteen months", (2027, 11)),
        ("3 months from now", (2026, 8)),
        ("in 2 weeks", (2026, 5)),
        ("in a couple of months", (2026, 7)),
        ("next month", (2026, 6)),
        ("next year", (2027, 1)),
        ("March next year", (2027, 3)),
        ("next year in the fall", (2027, 9)),
        ("next january", (2027, 1)),
        ("in january", (2027, 1)),
        ("right away", (2026, 5)),
        ("now", (2026, 5)),
        ("asap", (2026, 5)),
        ("ASAP please!", (2026, 5)),
        ("immediately", (2026, 5)),
        ("this month", (2026, 5)),
        ("March 15, 2027", (2027, 3)),
        ("03/15/2027", (2027, 3)),
        ("2027-03-15", (2027, 3)),
        ("Dec '27", (2027, 12)),
        ("may", (2026, 5)),
    ],
)
def test_parse_start_forms(text: str, expected: tuple[int, int]) -> None:
    assert parse_start(text, TODAY, SEASONS) == YearMonth(*expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "I graduated in Cairo in 2019, transcripts not translated, "
            "starting a certificate in May 2027",
            (2027, 5),
        ),
        ("I graduated in June 2019 and want to start in May 2027", (2027, 5)),
        ("May 2027 is when I'd start, I finished school in March 2020", (2027, 5)),
        ("May I start next fall?", (2026, 9)),
        ("Right now I work in a lab; I'd like to begin in fall 2027", (2027, 9)),
        ("Now that I think of it, next fall would work", (2026, 9)),  # "now" is filler here
        ("I'm 34, I have 2 kids and 10 years of experience. Start 03/2027?", (2027, 3)),
        ("I want to start in March 2020", (2020, 3)),  # a past start is reported, then flagged
    ],
)
def test_parse_start_picks_the_start_date_in_a_sentence(
    text: str, expected: tuple[int, int]
) -> None:
    assert parse_start(text, TODAY, SEASONS) == YearMonth(*expected)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "hello",
        "I graduated in June 2019",
        "I was born in 1990",
        "starting in 2027",  # a year alone is not a month; the bot should ask
        "May I ask something?",
        "This may take a while",
        "I don't want to fall behind",
        "I have 10 years of experience and I'm 35 years old",
        "How long is the spring break?",
        "😀🎉🙏",
        "أريد أن أبدأ في مارس ٢٠٢٧",
        "\u202eשלום 2027\u202c",
        pytest.param("9" * 5000, id="5000-digits"),
        # Long whitespace runs must not make the regexes crawl.
        pytest.param("march" + " " * 5000 + "madness", id="5000-spaces"),
    ],
)
def test_parse_start_no_date(text: str) -> None:
    assert parse_start(text, TODAY, SEASONS) is None


@pytest.mark.parametrize(
    ("today", "text", "expected"),
    [
        (date(2026, 12, 20), "in 2 weeks", (2027, 1)),  # rolls over the year end
        (date(2026, 12, 20), "next month", (2027, 1)),
        (date(2026, 12, 20), "next year", (2027, 1)),
        (date(2026, 12, 20), "next january", (2027, 1)),
        (date(2027, 1, 10), "in january", (2027, 1)),  # this month is not in the past
        (date(2027, 1, 10), "next january", (2027, 1)),
        (date(2026, 10, 1), "next fall", (2027, 9)),  # September 2026 has passed
        (date(2026, 11, 3), "this winter", (2027, 1)),
        (date(2024, 2, 29), "in 1 year", (2025, 2)),  # from a leap day
        (date(2026, 12, 31), "right away", (2026, 12)),
    ],
)
def test_parse_start_relative_to_today(today: date, text: str, expected: tuple[int, int]) -> None:
    assert parse_start(text, today, SEASONS) == YearMonth(*expected)


def test_parse_start_in_a_long_message() -> None:
    text = "I have lots of questions about the program. " * 120 + "I'd start in May 2027."
    assert len(text) > 5000
    assert parse_start(text, TODAY, SEASONS) == YearMonth(2027, 5)


def test_parse_start_uses_the_given_seasons() -> None:
    assert parse_start("next fall", TODAY, {"fall": 8}) == YearMonth(2026, 8)
    assert parse_start("next fall", TODAY, {}) is None


@settings(database=None, deadline=None, max_examples=300)
@given(st.text(max_size=300))
def test_parse_start_never_raises(text: str) -> None:
    result = parse_start(text, TODAY, SEASONS)
    assert result is None or isinstance(result, YearMonth)


@settings(database=None, deadline=None, max_examples=100)
@given(
    st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 12, 31)),
    st.integers(1, 12),
    st.integers(2020, 2040),
)
def test_month_and_year_forms_agree(today: date, month: int, year: int) -> None:
    expected = YearMonth(year, month)
    name = expected.label()
    for text in (
        name,
        name.lower(),
        f"{month:02d}/{year}",
        f"{month}/{year}",
        f"{year}-{month:02d}",
    ):
        assert parse_start(f"I want to start in {text}", today, SEASONS) == expected, text


# --- classify_start --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (YearMonth(2026, 4), "past"),
        (YearMonth(2025, 12), "past"),
        (YearMonth(2026, 5), "ok"),
        (YearMonth(2027, 1), "ok"),
        (YearMonth(2029, 5), "ok"),  # exactly 36 months ahead
        (YearMonth(2029, 6), "far"),
        (YearMonth(2040, 1), "far"),
    ],
)
def test_classify_start(start: YearMonth, expected: str) -> None:
    assert classify_start(start, YearMonth(2026, 5), far_months=36) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I started my certificate in August 2024, when will I finish?", YearMonth(2024, 8)),
        ("already enrolled since jan 2026, end date?", YearMonth(2026, 1)),
        ("I joined the associate program in 09/2025", YearMonth(2025, 9)),
    ],
)
def test_a_start_already_made_is_still_the_start(text: str, expected: YearMonth) -> None:
    assert parse_start(text, date(2026, 11, 27), SEASONS) == expected


@given(st.integers(1, 9999), st.integers(1, 12))
def test_iso_round_trips(year: int, month: int) -> None:
    assert YearMonth.from_iso(YearMonth(year, month).iso()) == YearMonth(year, month)


@pytest.mark.parametrize("text", ["", "2027-13", "2027-3", "March 2027", "now", "2027-00x"])
def test_from_iso_rejects_anything_else(text: str) -> None:
    assert YearMonth.from_iso(text) is None


@pytest.mark.parametrize("text", ["write me a poem about spring", "i love the fall colours"])
def test_a_season_word_alone_is_not_a_date(text: str) -> None:
    assert parse_start(text, date(2026, 11, 27), SEASONS) is None
