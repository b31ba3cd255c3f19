"""Conversations that lean on what came before: follow-ups, stories, checklist items.

Against a real bot over REST (NLU, the follow-up policy, the action server).
Texts are written for these tests, not taken from training or evaluation data.
"""

import pytest

from tests.e2e.test_rest_conversation import new_sender, say, tracker
from tools.dev import stack

DECLINES = {"utter_out_of_scope", "action_default_fallback"}


def reply_after(bot: stack.Stack, first: str, then: str) -> tuple[str, str]:
    """The reply to `then`, said right after `first` by a new sender, and that sender."""
    sender = new_sender()
    say(bot, sender, first)
    text, _ = say(bot, sender, then)
    return text, sender


def actions_after_last_message(bot: stack.Stack, sender: str) -> list[str]:
    events = tracker(bot, sender)["events"]
    last_user = max(i for i, e in enumerate(events) if e["event"] == "user")
    return [e["name"] for e in events[last_user:] if e["event"] == "action"]


@pytest.mark.parametrize(
    ("question", "follow_up", "expected", "not_expected"),
    [
        (
            "what separates a certificate from an associate degree",
            "ok which one is quicker?",
            "certificate is the faster",
            "did you mean",
        ),
        ("tell me about the clinical externship", "is it paid at least?", "isn't paid", "$38,000"),
        ("tell me about the clinical externship", "why?", "hands-on experience", "did you mean"),
        ("what does a CMA do all day", "and compared to an LPN?", "LPN/LVN", "did you mean"),
        ("what do medical assistants earn", "is that per year?", "per year", "did you mean"),
        (
            "what is the CMA exam like",
            "what should I focus on for it?",
            "Administrative",
            "did you mean",
        ),
        (
            "which of CNA, LPN, RN and CMA differ how",
            "which takes longest to study?",
            "bachelor",
            "did you mean",
        ),
        ("what does a CMA do all day", "tell me more", "LPN/LVN", "did you mean"),
        # a follow-up on the role just compared, then on the compared roles' schooling
        ("is a CNA the same thing as a CMA", "so what do they do on a shift", "bathing", "$38,000"),
        ("whats an lpn compared to a cma", "how long is their school", "1-2 years", "did you mean"),
        ("do i need the usmle to be a cma", "then what's it for", "licensing exam", "did you mean"),
        ("do medical assistants earn well", "why does it differ so much", "state", "did you mean"),
    ],
)
def test_a_follow_up_is_answered_within_the_last_topic(
    bot: stack.Stack, question: str, follow_up: str, expected: str, not_expected: str
) -> None:
    text, sender = reply_after(bot, question, follow_up)
    assert expected in text and not_expected not in text, text
    assert "action_answer_follow_up" in actions_after_last_message(bot, sender)


def test_a_follow_up_the_guide_cannot_answer_is_declined_for_that_topic(bot: stack.Stack) -> None:
    text, sender = reply_after(
        bot, "tell me about the clinical externship", "how long does that take?"
    )
    assert "the guide doesn't say how long the externship lasts" in text
    assert DECLINES & set(actions_after_last_message(bot, sender))


def test_benefits_after_the_pay_answer_are_declined_for_that_topic(bot: stack.Stack) -> None:
    text, sender = reply_after(
        bot, "what do medical assistants earn", "and does that come with a 401k or health insurance"
    )
    assert "benefits such as insurance" in text and "38,000" not in text
    assert DECLINES & set(actions_after_last_message(bot, sender))


def test_a_new_question_after_an_answer_is_not_taken_for_a_follow_up(bot: stack.Stack) -> None:
    text, _sender = reply_after(
        bot,
        "tell me about the clinical externship",
        "how much does a certified medical assistant earn in a year?",
    )
    assert "38,000" in text


def test_details_told_in_passing_are_remembered_for_the_plan_and_checklists(
    bot: stack.Stack,
) -> None:
    sender = new_sender()
    text, _ = say(
        bot,
        sender,
        "I got my transcripts translated already, and I'm planning to begin an associate "
        "degree in January 2027. Is a WES report needed?",
    )
    assert "evaluation" in text.lower() and "Your plan" not in text
    slots = tracker(bot, sender)["slots"]
    assert slots["plan_start"] == "2027-01"
    assert slots["program_type"] and "associate" in slots["program_type"].lower()
    text, _ = say(bot, sender, "so when could I be working?")
    # January 2027 + 18..24 months (associate) + exam and job search.
    assert "When do you plan to start" not in text
    assert "2029" in text, text
    text, _ = say(bot, sender, "show me the documents checklist")
    assert "(1 of 4 done)" in text, text


def test_an_item_is_ticked_by_what_it_is(bot: stack.Stack) -> None:
    text, sender = reply_after(
        bot,
        "show me the documents checklist",
        "i already have my transcripts translated into english",
    )
    assert "certified translation" in text.lower() or "translated" in text.lower()
    assert "certified_translation" in " ".join(tracker(bot, sender)["slots"]["checklist_done"])


def test_a_bare_program_after_a_plan_re_plans_and_a_job_question_uses_the_plan(
    bot: stack.Stack,
) -> None:
    sender = new_sender()
    text, _ = say(bot, sender, "plan it for me: certificate, starting in March 2027")
    assert "certificate" in text and "Mar 2027" in text, text
    text, _ = say(bot, sender, "associate degree")
    assert "Your plan for a full-time MA associate's degree" in text, text
    assert "action_compute_timeline" in actions_after_last_message(bot, sender)
    text, _ = say(bot, sender, "and a job?")
    assert "When do you plan to start" not in text and "associate's degree" in text, text


def test_and_now_after_a_checklist_names_the_next_item(bot: stack.Stack) -> None:
    text, _sender = reply_after(bot, "show me the exam prep checklist", "ok and now?")
    assert text.startswith("Next on your cma (aama) exam prep list"), text


def test_what_is_left_lists_the_open_items_after_ticking_one(bot: stack.Stack) -> None:
    text, sender = reply_after(
        bot, "documents checklist", "the official transcripts are done. what else is left?"
    )
    assert "Marked as done" in text, text
    text, _ = say(bot, sender, "and what's still left after that?")
    assert text.startswith("Still open on your documents to gather list"), text


def test_an_item_told_as_done_is_ticked_rather_than_answered_as_its_topic(
    bot: stack.Stack,
) -> None:
    text, _sender = reply_after(
        bot,
        "checklist for the job search",
        "my cv now has an International Medical Education section",
    )
    assert "Marked as done" in text, text


def test_a_detail_the_guide_lacks_is_declined_when_asked_straight_out(bot: stack.Stack) -> None:
    sender = new_sender()
    text, _ = say(bot, sender, "how many weeks is the clinical externship")
    assert "the guide doesn't say how long the externship lasts" in text, text
    assert DECLINES & set(actions_after_last_message(bot, sender))


def test_which_state_pays_most_after_the_salary_is_declined(bot: stack.Stack) -> None:
    text, sender = reply_after(
        bot, "what do medical assistants earn", "which state pays them the most?"
    )
    assert "38,000" not in text, text
    assert DECLINES & set(actions_after_last_message(bot, sender))


def test_a_pace_said_in_passing_after_a_plan_re_plans(bot: stack.Stack) -> None:
    text, sender = reply_after(
        bot,
        "when would i be done with a part time associate starting in may 2027",
        "hmm thats a lot. full-time instead?",
    )
    assert "action_compute_timeline" in actions_after_last_message(bot, sender)
    assert "full-time MA associate" in text, text


def test_several_items_of_one_list_said_done_are_all_ticked(bot: stack.Stack) -> None:
    text, sender = reply_after(
        bot,
        "checklist for picking a school please",
        "already looked at tuition and at on campus versus hybrid",
    )
    assert "Compare what each program costs." in text and "on-campus or hybrid" in text, text
    done = tracker(bot, sender)["slots"]["checklist_done"]
    assert {"choosing_program.program_cost", "choosing_program.program_format"} <= set(done)


def test_a_checklist_asked_for_with_a_topic_question_is_that_topics_list(bot: stack.Stack) -> None:
    sender = new_sender()
    text, _ = say(bot, sender, "how do I pick a good MA school? give me a checklist")
    assert "action_show_checklist" in actions_after_last_message(bot, sender)
    assert tracker(bot, sender)["slots"]["active_checklist"] == "choosing_program", text


def test_part_time_pay_after_the_pay_answer_is_declined_for_that_topic(bot: stack.Stack) -> None:
    text, sender = reply_after(
        bot, "how much do medical assistants make", "ok and if i only work part time?"
    )
    assert "part-time or full-time hours" in text, text
    assert DECLINES & set(actions_after_last_message(bot, sender))


def test_medical_advice_is_declined_without_a_crisis_reply(bot: stack.Stack) -> None:
    sender = new_sender()
    text, _ = say(bot, sender, "what tablet is best for a bad headache after a night shift")
    assert "988" not in text and "911" not in text, text
    assert DECLINES & set(actions_after_last_message(bot, sender))


def test_a_length_question_after_a_story_is_answered_with_the_users_plan(bot: stack.Stack) -> None:
    text, sender = reply_after(
        bot,
        "i can only study in the evenings because i work at a pharmacy during the day",
        "how long would the associate degree take me?",
    )
    assert "action_compute_timeline" in actions_after_last_message(bot, sender)
    assert "part-time" in text.lower(), text


def test_a_typed_answer_to_which_checklist_shows_that_list(bot: stack.Stack) -> None:
    text, sender = reply_after(bot, "a checklist please", "the job one")
    assert "action_show_checklist" in actions_after_last_message(bot, sender)
    assert tracker(bot, sender)["slots"]["active_checklist"] == "job_search", text


def test_an_item_of_the_list_just_shown_is_ticked_when_said_tersely(bot: stack.Stack) -> None:
    text, sender = reply_after(
        bot, "checklist for choosing a program", "verified: my three colleges are caahep accredited"
    )
    assert "Marked as done" in text, text
    assert "choosing_program.accreditation" in tracker(bot, sender)["slots"]["checklist_done"]


def test_the_catch_after_the_career_paths_is_their_challenges(bot: stack.Stack) -> None:
    text, sender = reply_after(
        bot, "is being a CMA better as a stepping stone or as a career", "ok so whats the catch?"
    )
    assert "exhausting" in text and "did you mean" not in text.lower(), text
    assert "action_answer_follow_up" in actions_after_last_message(bot, sender)
