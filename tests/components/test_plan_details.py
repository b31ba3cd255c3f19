"""components/plan_details.py: a told-in-passing "done" ticks the item, not the topic answer."""

from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.plan_details import PlanDetailsExtractor


def parsed(text: str, ranking: list[tuple[str, float]]) -> Message:
    entries = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    return Message(data={TEXT: text, INTENT: entries[0], INTENT_RANKING_KEY: entries})


def test_a_statement_that_an_item_is_done_ticks_it() -> None:
    message = parsed(
        "my resume already has an International Medical Education section",
        [("resume_tips", 0.75), ("mark_item_done", 0.25), ("salary", 0.0)],
    )
    [message] = PlanDetailsExtractor().process([message])
    assert message.get(INTENT)["name"] == "mark_item_done"
    assert [e["value"] for e in message.get("entities")] == ["job_search.resume_section"]


def test_a_question_keeps_its_answer_and_remembers_the_item() -> None:
    message = parsed(
        "my resume already has an International Medical Education section, is that right?",
        [("resume_tips", 0.75), ("mark_item_done", 0.25), ("salary", 0.0)],
    )
    [message] = PlanDetailsExtractor().process([message])
    assert message.get(INTENT)["name"] == "resume_tips"
    assert [e["value"] for e in message.get("entities")] == ["job_search.resume_section"]


def test_marking_done_must_be_among_the_model_s_own_guesses() -> None:
    message = parsed(
        "my resume already has an International Medical Education section",
        [
            ("resume_tips", 0.95),
            ("interview_tips", 0.03),
            ("salary", 0.01),
            ("mark_item_done", 0.01),
        ],
    )
    [message] = PlanDetailsExtractor().process([message])
    assert message.get(INTENT)["name"] == "resume_tips"


def test_a_statement_that_ends_asking_what_is_next_still_ticks() -> None:
    message = parsed(
        "my resume already has an International Medical Education section. what else is left?",
        [("resume_tips", 0.6), ("mark_item_done", 0.3), ("next_item", 0.1)],
    )
    [message] = PlanDetailsExtractor().process([message])
    assert message.get(INTENT)["name"] == "mark_item_done"


def test_a_story_telling_two_items_done_remembers_both() -> None:
    message = parsed(
        "I got my transcripts from Kabul and they were translated by a certified translator. "
        "What else do programs ask for?",
        [("transcripts_translation", 0.9), ("show_checklist", 0.1)],
    )
    [message] = PlanDetailsExtractor().process([message])
    values = [e["value"] for e in message.get("entities") if e["entity"] == "done_item"]
    assert values == ["documents.official_transcripts", "documents.certified_translation"]
