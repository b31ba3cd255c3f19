"""actions/core/follow_ups.py: follow-ups answered within the last topic."""

import pytest
import yaml

from actions.core.follow_ups import (
    FollowUps,
    Reply,
    answer_follow_up,
    asks_own_length,
    direct_reply,
    leans_on_last_answer,
    load_follow_ups,
    parse_follow_ups,
    topic_before_last_message,
    topics_before_last_message,
)
from tests.conftest import ROOT

ROLES_PAY = "the pay of the other roles (it gives only the median pay of medical assistants)"
BENEFITS = "benefits such as insurance, retirement plans or paid leave"
STATE_PAY = (
    "the pay in a particular state or city"
    " (it gives the national median and says pay varies by state)"
)
IMMIGRATION_INTERVIEW = "visa, green-card or other immigration interviews"
USMLE_ITSELF = "the USMLE steps themselves (their order, or how to prepare for them)"
RESPONSES = set(yaml.safe_load((ROOT / "domain.yml").read_text())["responses"])


@pytest.fixture(scope="module")
def follow_ups() -> FollowUps:
    return load_follow_ups(ROOT / "data" / "content" / "follow_ups.yml", RESPONSES)


def test_every_topic_with_an_answer_has_follow_ups(follow_ups: FollowUps) -> None:
    titles = yaml.safe_load((ROOT / "data" / "content" / "topics.yml").read_text())
    guide_topics = set(titles) - {"timeline_personal", "show_checklist"}
    assert guide_topics <= set(follow_ups.topics)


@pytest.mark.parametrize(
    ("topic", "text", "expected"),
    [
        ("certificate_vs_associate", "which one is quicker?", Reply("utter_fu_certificate_faster")),
        ("externship", "is it paid at least?", Reply("utter_fu_externship_paid")),
        ("exam_prep", "coding is the death of me lol, any tips?", Reply("utter_exam_study_focus")),
        ("accreditation_requirement", "and abhes?", Reply("utter_accreditation_requirement")),
        ("compare_roles", "and the test they take?", Reply("utter_compare_roles")),
        (
            "certificate_vs_associate",
            "can the shorter one get me to the exam too, am i eligible",
            Reply("utter_accreditation_requirement"),
        ),
        ("stepping_stone_vs_career", "so whats the catch", Reply("utter_fu_career_downsides")),
        ("accreditation_requirement", "how can i verify that", Reply("utter_find_programs")),
        ("externship", "then why bother", Reply("utter_fu_externship_why")),
        (
            "externship",
            "how many hours a week is it",
            Reply(missing="how long the externship lasts"),
        ),
        ("salary", "is that per year?", Reply("utter_fu_salary_period")),
        ("salary", "can i ask for more as a doctor", Reply("utter_fu_salary_negotiate")),
        ("compare_roles", "which of them takes longest to study", Reply("utter_fu_roles_training")),
        ("what_is_cma", "and compared to an LPN?", Reply("utter_compare_roles")),
        ("exam_format", "what should I focus on for it?", Reply("utter_exam_study_focus")),
        ("exam_format", "wich domians", Reply("utter_exam_study_focus")),
        ("transcripts_translation", "how much does that cost", Reply(missing="what it costs")),
        ("externship", "tell me more", Reply("utter_fu_externship_why")),
        ("compare_roles", "and what does a cna do all day", Reply("utter_compare_roles")),
        ("compare_roles", "how much are they paid", Reply(missing=ROLES_PAY)),
        ("usmle_needed", "then whats the purpose of it", Reply("utter_usmle_needed")),
        (
            "usmle_needed",
            "which step do i take first then",
            Reply(missing=USMLE_ITSELF),
        ),
        ("school_questions", "is 75% a good one?", Reply(missing="what pass rate counts as good")),
        (
            "transcripts_translation",
            "my school closed, what if i cannot get them",
            Reply(missing="what to do when transcripts cannot be obtained"),
        ),
        ("credit_transfer", "not even one?", Reply("utter_credit_transfer")),
        (
            "credit_transfer",
            "so the classes will be easy for me",
            Reply("utter_fu_background_counts"),
        ),
        ("what_is_cma", "which record systems do they use", Reply("utter_fu_cma_ehr")),
        ("degree_exam_eligibility", "so right after i graduate?", Reply("utter_fu_exam_when")),
        ("degree_exam_eligibility", "how do i get ready for it", Reply("utter_exam_prep")),
        ("certificate_vs_associate", "and the other one?", Reply("utter_certificate_vs_associate")),
        ("stepping_stone_vs_career", "any drawbacks", Reply("utter_fu_career_downsides")),
        ("getting_started", "and the documents part?", Reply("utter_transcripts_translation")),
        (
            "usmle_needed",
            "can i work as a cma while studying for step 1",
            Reply("utter_fu_stepping_stone_hard"),
        ),
        (
            "timeline",
            "and if i start the short program in may?",
            Reply(action="action_compute_timeline"),
        ),
        ("getting_started", "how long does all that take", Reply("utter_timeline")),
        (
            "stepping_stone_vs_career",
            "which hospitals are those",
            Reply(missing="which particular hospitals, clinics or employers"),
        ),
        (
            "accreditation_requirement",
            "any exceptions for doctors?",
            Reply("utter_accreditation_requirement"),
        ),
        ("exam_study_focus", "what about the admin section", Reply("utter_exam_study_focus")),
        ("resume_tips", "what exactly do i write under that heading", Reply("utter_resume_tips")),
        ("salary", "why does it differ so much", Reply("utter_salary")),
        ("salary", "does it come with health insurance", Reply(missing=BENEFITS)),
        (
            "stepping_stone_vs_career",
            "could i pick a specialty then",
            Reply("utter_fu_career_specialize"),
        ),
        ("timeline", "i'd study on weekends only", Reply(action="action_compute_timeline")),
        ("credit_transfer", "then was my training a waste", Reply("utter_fu_background_counts")),
        (
            "find_programs",
            "can i get around that somehow",
            Reply("utter_accreditation_requirement"),
        ),
        (
            "accreditation_requirement",
            "what if my local college is unaccredited",
            Reply("utter_accreditation_requirement"),
        ),
        ("resume_tips", "what exactly should i put there", Reply("utter_resume_tips")),
        ("externship", "any way around it for doctors?", Reply("utter_externship")),
        ("timeline_personal", "how many questions does it have", Reply("utter_exam_format")),
    ],
)
def test_a_follow_up_is_answered_within_its_topic(
    follow_ups: FollowUps, topic: str, text: str, expected: Reply
) -> None:
    assert answer_follow_up(follow_ups, topic, text) == expected


def test_without_a_topic_there_is_nothing_to_lean_on(follow_ups: FollowUps) -> None:
    assert answer_follow_up(follow_ups, None, "is it paid?") is None


@pytest.mark.parametrize(
    ("intent", "text", "topic", "leans"),
    [
        ("follow_up", "why?", "externship", True),
        ("nlu_fallback", "what's the catch", "stepping_stone_vs_career", True),
        ("school_questions", "how do i check a school has it", "accreditation_requirement", True),
        ("salary", "is it paid at least?", "externship", True),
        ("nlu_fallback", "which of the two takes longer to study for?", "compare_roles", True),
        ("nlu_fallback", "tell me more", "what_is_cma", True),
        ("nlu_fallback", "hmm okay", "what_is_cma", False),
        ("salary", "how much does a CMA make in a year?", "externship", False),
        ("salary", "is it paid at least?", None, False),
        ("resume_tips", "how should i write my resume as an img with an md", "salary", False),
        ("timeline", "how long is their training", "compare_roles", True),
        ("externship", "and the administrative part?", "exam_format", True),
        ("out_of_scope", "any cons to that plan?", "stepping_stone_vs_career", True),
        (
            "find_programs",
            "and if i choose the short program and start in march?",
            "timeline",
            True,
        ),
        ("timeline", "ok and roughly by when working as a cma?", "timeline_personal", True),
        ("salary", "and money wise how much does a cma earn", "compare_roles", False),
        ("out_of_scope", "can i get a work visa with it", "stepping_stone_vs_career", False),
        ("salary", "and what about an lpn", "compare_roles", True),
        ("salary", "and how much would a cma be making per year then", "externship", False),
    ],
)
def test_only_short_messages_that_point_back_lean_on_the_last_answer(
    follow_ups: FollowUps, intent: str, text: str, topic: str | None, leans: bool
) -> None:
    assert leans_on_last_answer(follow_ups, intent, text, topic) is leans


def test_a_follow_up_reaches_back_to_the_topic_before_the_last_one(
    follow_ups: FollowUps,
) -> None:
    # "and for the other one?" moved on to the programs; the next question is about the lengths.
    text = "why would anyone pick the longer one then"
    reply = answer_follow_up(follow_ups, "find_programs", text, "certificate_vs_associate")
    assert reply == Reply("utter_fu_certificate_choice", topic="certificate_vs_associate")
    assert leans_on_last_answer(
        follow_ups, "follow_up", text, "find_programs", "certificate_vs_associate"
    )
    # "cons?" after the specialties answer: the career's downsides, one answer back.
    assert answer_follow_up(
        follow_ups, "specialty_positioning", "cons?", "stepping_stone_vs_career"
    ) == Reply("utter_fu_career_downsides", topic="stepping_stone_vs_career")
    assert leans_on_last_answer(
        follow_ups, "nlu_fallback", "cons?", "specialty_positioning", "stepping_stone_vs_career"
    )
    # The last topic's own rule still comes first, and nothing fits: the last topic's `more`.
    assert answer_follow_up(follow_ups, "externship", "is it paid?", "salary") == Reply(
        "utter_fu_externship_paid"
    )
    assert answer_follow_up(follow_ups, "externship", "hmm", "salary") == Reply(
        "utter_fu_externship_why"
    )


def test_a_price_is_never_in_the_guide_even_when_a_topic_word_is_named(
    follow_ups: FollowUps,
) -> None:
    # "cna" fits a roles rule, but the price comes first.
    text = "and how much does cna training cost in florida"
    assert answer_follow_up(follow_ups, "compare_roles", text) == Reply(missing="what it costs")
    # "how much is it per hour" after the pay stays a pay question.
    assert answer_follow_up(follow_ups, "salary", "how much is it per hour") == Reply(
        "utter_fu_salary_period"
    )


def test_an_unsure_topic_reading_leans_on_the_plan_just_made(follow_ups: FollowUps) -> None:
    text = "whats the total including exam and job search"
    assert leans_on_last_answer(follow_ups, "exam_format", text, "timeline_personal", None, 0.44)
    assert not leans_on_last_answer(follow_ups, "exam_format", text, "timeline_personal", None, 0.9)


def test_the_two_topics_before_the_latest_message() -> None:
    events = [
        {"event": "slot", "name": "last_topic", "value": "certificate_vs_associate"},
        {"event": "user", "text": "and for the other one?"},
        {"event": "slot", "name": "last_topic", "value": "find_programs"},
        {"event": "user", "text": "why pick the longer one"},
    ]
    assert topics_before_last_message(events) == ("find_programs", "certificate_vs_associate")
    assert topics_before_last_message(events[:2]) == ("certificate_vs_associate", None)
    assert topics_before_last_message([{"event": "restart"}, *events[2:]]) == (
        "find_programs",
        None,
    )


def test_the_topic_is_the_one_before_the_latest_message_set_its_own() -> None:
    events = [
        {"event": "slot", "name": "last_topic", "value": "externship"},
        {"event": "user", "text": "is it paid at least?"},
        {"event": "slot", "name": "last_topic", "value": "salary"},
    ]
    assert topic_before_last_message(events) == "externship"
    assert topic_before_last_message(events[1:]) is None


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"topics": {"salary": {"more": "utter_nowhere"}}},
        {"topics": {"salary": {"more": "utter_salary", "follow_ups": [{"when": "("}]}}},
        {"topics": {"salary": {"more": "utter_salary", "follow_ups": [{"when": "x"}]}}},
    ],
)
def test_a_broken_file_is_refused_with_its_place(data: dict) -> None:
    with pytest.raises(ValueError):
        parse_follow_ups(data, RESPONSES)


def test_a_bare_program_after_a_plan_re_plans(follow_ups: FollowUps) -> None:
    assert leans_on_last_answer(
        follow_ups, "certificate_vs_associate", "associates", "timeline_personal"
    )
    assert answer_follow_up(follow_ups, "timeline_personal", "associates") == Reply(
        action="action_compute_timeline"
    )
    assert answer_follow_up(follow_ups, "timeline_personal", "and a job?") == Reply(
        action="action_compute_timeline"
    )
    # Only as the whole message: a question of its own about programs stays one.
    assert not leans_on_last_answer(
        follow_ups,
        "certificate_vs_associate",
        "associates or certificate, which has more clinical training",
        "timeline_personal",
    )


def test_and_now_after_a_checklist_asks_for_the_next_item(follow_ups: FollowUps) -> None:
    assert leans_on_last_answer(follow_ups, "nlu_fallback", "and now?", "checklist")
    assert answer_follow_up(follow_ups, "checklist", "and now?") == Reply(action="action_next_item")
    # "what's left" lists the open items (action_next_item); "so far" the whole picture.
    assert answer_follow_up(follow_ups, "checklist", "whats left") == Reply(
        action="action_next_item"
    )
    assert answer_follow_up(follow_ups, "checklist", "how am i doing so far") == Reply(
        action="action_show_progress"
    )


@pytest.mark.parametrize(
    ("intent", "text", "missing"),
    [
        ("externship", "how long is the externship", "how long the externship lasts"),
        ("credential_evaluation", "how many weeks does wes take", "how long an evaluation takes"),
        ("exam_format", "what is the passing score", "the exam's passing score or retakes"),
        ("salary", "do medical assistants get a 401k", BENEFITS),
        ("salary", "what do mas make in ohio", STATE_PAY),
        (
            "salary",
            "how much does an lpn make an hour",
            "the pay of roles other than medical assistants",
        ),
        (
            "timeline",
            "how long does wes take",
            "how long credential evaluations or translations take",
        ),
        ("resume_tips", "do i add a photo to my cv", "photos or personal details on a US resume"),
        ("interview_tips", "tips for my uscis interview?", IMMIGRATION_INTERVIEW),
        (
            "transcripts_translation",
            "My med school in Aleppo was bombed and all the records are gone. "
            "What do I do if I can't get my transcripts?",
            "what to do when transcripts cannot be obtained",
        ),
        ("usmle_needed", "which step should i do first", USMLE_ITSELF),
        (
            "school_questions",
            "what is a good pass rate, 90 percent?",
            "what pass rate counts as good",
        ),
    ],
)
def test_a_question_the_guide_lacks_is_declined_when_asked_straight_out(
    follow_ups: FollowUps, intent: str, text: str, missing: str
) -> None:
    assert direct_reply(follow_ups, intent, text) == Reply(missing=missing)


@pytest.mark.parametrize(
    ("intent", "text"),
    [
        ("externship", "is the externship paid or is it long"),  # the pay answer comes first
        ("externship", "is the externship mandatory"),
        ("salary", "does the salary vary by state"),
        ("salary", "does my pay depend on which state i work in"),
        ("follow_up", "how long is it"),  # not a topic: the last topic decides
        # the accrediting bodies' directories are in the guide: no prep-website gap
        ("find_programs", "ok. which websites do i use to find accredited schools"),
        # a long message whose closing sentence is no short question
        (
            "transcripts_translation",
            "My school closed last year and I cannot get my transcripts, "
            "so I want to know everything about translating the ones I have",
        ),
    ],
)
def test_questions_the_guide_answers_are_not_declined(
    follow_ups: FollowUps, intent: str, text: str
) -> None:
    assert direct_reply(follow_ups, intent, text) is None


@pytest.mark.parametrize(
    "entry",
    [
        {"when": "x", "answer": "utter_salary", "action": "action_next_item"},
        {"when": "x", "action": "utter_salary"},
        {"when": "x", "action": "action_next_item", "direct": True},
    ],
)
def test_an_entry_with_a_wrong_combination_is_refused(entry: dict) -> None:
    data = {"topics": {"salary": {"more": "utter_salary", "follow_ups": [entry]}}}
    with pytest.raises(ValueError):
        parse_follow_ups(data, RESPONSES)


def test_a_follow_up_that_holds_for_any_topic_needs_no_topic(follow_ups: FollowUps) -> None:
    # Right after a decline there is no topic, but only the exam has questions.
    reply = answer_follow_up(follow_ups, None, "how many questions on the real one?")
    assert reply == Reply(response="utter_exam_format")
    assert answer_follow_up(follow_ups, None, "why?") is None


def test_what_the_guide_lacks_for_every_topic_is_declined_straight_out(
    follow_ups: FollowUps,
) -> None:
    hiring = "is Mayo Clinic hiring medical assistants right now?"
    assert direct_reply(follow_ups, "employer_perception", hiring) == Reply(
        missing="which employers are hiring now (it names no employer)"
    )
    book = "can you recommend a specific prep book i should buy on amazon?"
    assert direct_reply(follow_ups, "exam_prep", book) == Reply(
        missing="particular books, apps or courses"
    )
    assert direct_reply(follow_ups, "exam_prep", "what resources does my program give?") is None


def test_a_sure_question_of_another_topic_does_not_reach_back(follow_ups: FollowUps) -> None:
    text = "how would I list those surgery years on my resume?"
    assert not leans_on_last_answer(
        follow_ups, "resume_tips", text, "timeline_personal", "credit_transfer", 1.0
    )
    # Unsure, the same words still reach back to the credits ("those years").
    assert leans_on_last_answer(
        follow_ups, "resume_tips", text, "timeline_personal", "credit_transfer", 0.45
    )


def test_a_direct_answer_gives_the_point_asked_straight_out(follow_ups: FollowUps) -> None:
    """Read as the CMA's role, a question about the software gets the EHR answer."""
    reply = direct_reply(follow_ups, "what_is_cma", "which computer systems would i use there")
    assert reply == Reply(response="utter_fu_cma_ehr")
    assert direct_reply(follow_ups, "what_is_cma", "what does a cma do all day") is None


def test_a_question_read_as_an_item_done_still_leans_on_the_last_answer(
    follow_ups: FollowUps,
) -> None:
    text = "and ecg? i did hundreds of them"
    assert leans_on_last_answer(follow_ups, "mark_item_done", text, "exam_study_focus", None, 0.6)
    assert answer_follow_up(follow_ups, "exam_study_focus", text).response == (
        "utter_exam_study_focus"
    )
    # Said without a question, it ticks an item.
    told = "did hundreds of ecgs back home"
    assert not leans_on_last_answer(
        follow_ups, "mark_item_done", told, "exam_study_focus", None, 0.6
    )


def test_why_not_asks_the_reason_for_the_last_answer(follow_ups: FollowUps) -> None:
    """Read as the degree's worth, "why not?" still asks why the courses do not transfer."""
    text = "why not? i studied 6 years"
    assert leans_on_last_answer(follow_ups, "img_value", text, "credit_transfer", None, 0.59)
    assert answer_follow_up(follow_ups, "credit_transfer", text).response == "utter_credit_transfer"
    # A "why" that asks a question of its own is no lean.
    assert not leans_on_last_answer(
        follow_ups,
        "accreditation_requirement",
        "why does accreditation matter so much",
        "credit_transfer",
        None,
        0.95,
    )


def test_an_item_said_done_is_not_taken_for_a_follow_up(follow_ups: FollowUps) -> None:
    text = "WES evaluation - did that last year"
    assert not leans_on_last_answer(
        follow_ups, "mark_item_done", text, "transcripts_translation", None, 0.7
    )
    assert leans_on_last_answer(
        follow_ups, "mark_item_done", text, "transcripts_translation", None, 0.3
    )


@pytest.mark.parametrize(
    ("topic", "text", "expected"),
    [
        ("timeline_personal", "what if i pick the associate degree", "action_compute_timeline"),
        ("timeline_personal", "too long. full time then?", "action_compute_timeline"),
        ("credential_evaluation", "what does it do exactly", "utter_credential_evaluation"),
    ],
)
def test_more_follow_up_shapes(follow_ups: FollowUps, topic: str, text: str, expected: str) -> None:
    reply = answer_follow_up(follow_ups, topic, text)
    assert expected in (reply.action, reply.response)


def test_part_time_pay_is_not_in_the_guide(follow_ups: FollowUps) -> None:
    assert answer_follow_up(follow_ups, "salary", "and for part time?") == Reply(
        missing="the pay for part-time or full-time hours (it gives one yearly median)"
    )


def test_a_short_fragment_ending_in_then_goes_on_with_the_last_answer(
    follow_ups: FollowUps,
) -> None:
    assert leans_on_last_answer(
        follow_ups, "timeline", "too long. part time then?", "timeline_personal", None, 0.74
    )
    longer = "ok what should I ask the admissions office then?"
    assert not leans_on_last_answer(
        follow_ups, "school_questions", longer, "certificate_vs_associate", None, 0.7
    )


@pytest.mark.parametrize(
    ("intent", "text", "own"),
    [
        ("certificate_vs_associate", "how long would the associate take me?", True),
        ("timeline", "when will i be done with all of it", True),
        ("certificate_vs_associate", "how long is a certificate program?", False),
        ("salary", "when would i get paid more", False),
    ],
)
def test_a_length_asked_about_ones_own_case(intent: str, text: str, own: bool) -> None:
    assert asks_own_length(intent, text) is own


def test_a_question_about_hiring_in_general_is_not_a_hiring_now_question(
    follow_ups: FollowUps,
) -> None:
    general = "quick q: are employers weird about hiring doctors as MAs?"
    assert direct_reply(follow_ups, "employer_perception", general) is None
    assert not leans_on_last_answer(
        follow_ups, "usmle_needed", "so what is USMLE for then", "accreditation_requirement"
    )


def test_the_same_topic_asked_again_on_a_point_gets_that_point(follow_ups: FollowUps) -> None:
    text = "so no translation needed for me, right?"
    topic = "transcripts_translation"
    assert leans_on_last_answer(follow_ups, topic, text, topic, None, 0.9)
    assert answer_follow_up(follow_ups, topic, text) == Reply(
        response="utter_fu_translation_needed"
    )


def test_a_what_if_after_the_externship_is_not_a_question_about_its_tasks(
    follow_ups: FollowUps,
) -> None:
    tasks = answer_follow_up(follow_ups, "externship", "what will they have me doing there")
    assert tasks == Reply(response="utter_externship")
    what_if = "what if I do the associate degree instead"
    assert not leans_on_last_answer(follow_ups, "timeline_change", what_if, "externship", None, 0.9)


def test_already_done_notes_name_known_responses() -> None:
    data = {
        "topics": {"cma_role": {"more": "utter_cma_role"}},
        "already_done": {"utter_cma_role": {"item": "documents.x", "note": "utter_missing"}},
    }
    with pytest.raises(ValueError, match="utter_missing"):
        parse_follow_ups(data, responses={"utter_cma_role"})
    data["already_done"]["utter_cma_role"]["note"] = "utter_cma_role"
    notes = parse_follow_ups(data, responses={"utter_cma_role"}).already_done
    assert notes["utter_cma_role"].item == "documents.x"
