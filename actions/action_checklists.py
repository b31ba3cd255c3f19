"""Checklist actions: show a list, tick items off, what's next, overall progress.

A user's progress lives in the `checklist_done` slot (a list of
"<checklist>.<item>" keys), so the tracker store keeps it across restarts and
sessions.
"""

import asyncio
import os
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.core.checklist_source import ChecklistSource
from actions.core.checklists import (
    OPEN_MARK,
    Checklist,
    Item,
    asks_what_is_left,
    choose_checklist,
    lookup,
    mark_done,
    mark_lists_done,
    next_open,
    open_items,
    render_checklist,
    render_progress,
    sources,
    stages_behind,
)
from actions.core.item_match import AMBIGUOUS, DONE, NOT_DONE, SEVERAL, match_item
from actions.paths import CONTENT_DIR

SOURCE = ChecklistSource(
    CONTENT_DIR / "checklists.yml",
    os.environ.get("CHECKLISTS_URL"),
    timeout=float(os.environ.get("CHECKLISTS_TIMEOUT_SECONDS", "3")),
    cache_seconds=float(os.environ.get("CHECKLISTS_CACHE_SECONDS", "300")),
)
MAX_DONE_BUTTONS = 3
MAX_WHICH_BUTTONS = 4


async def current_checklists() -> dict[str, Checklist]:
    # A configured URL means network I/O: keep it off the action server's event loop.
    return await asyncio.to_thread(SOURCE.get)


def done_of(tracker: Tracker) -> list[str]:
    """Ticked items, with those the user told in passing (slot story_done) after them."""
    done: list[str] = []
    for slot in ("checklist_done", "story_done"):
        value = tracker.get_slot(slot)
        if isinstance(value, list):
            done += [v for v in value if isinstance(v, str) and v not in done]
    return done


def done_button(checklist: Checklist, item: Item) -> dict[str, str]:
    key = checklist.item_key(item)
    return {
        "title": f"Done: {item.short}",
        "payload": f'/mark_item_done{{"checklist_item":"{key}"}}',
    }


def open_buttons(checklist: Checklist, done: list[str]) -> list[dict[str, str]]:
    finished = set(done)
    open_items = [i for i in checklist.items if checklist.item_key(i) not in finished]
    return [done_button(checklist, item) for item in open_items[:MAX_DONE_BUTTONS]]


def choice_buttons(checklists: dict[str, Checklist]) -> list[dict[str, str]]:
    return [
        {"title": c.title, "payload": f'/show_checklist{{"checklist":"{key}"}}'}
        for key, c in checklists.items()
    ]


def source_line(checklist: Checklist) -> str:
    return "📖 From the guide: " + ", ".join(f'"{s}"' for s in sources(checklist))


def named_checklist(tracker: Tracker, checklists: dict[str, Checklist]) -> Checklist | None:
    asked = next(tracker.get_latest_entity_values("checklist"), None)
    if asked in checklists:
        return checklists[asked]
    return choose_checklist(checklists, tracker.latest_message.get("text") or "")


def ask_which(
    dispatcher: CollectingDispatcher, candidates: tuple[tuple[Checklist, Item], ...]
) -> None:
    """Two or more items fit the message equally well: ask, rather than guess."""
    shown = candidates[:MAX_WHICH_BUTTONS]
    lines = "\n".join(f"{OPEN_MARK} {item.text}" for _, item in shown)
    dispatcher.utter_message(
        text=f"Which one did you finish?\n{lines}",
        buttons=[done_button(checklist, item) for checklist, item in shown],
    )


def say_not_ticked(
    dispatcher: CollectingDispatcher, mentioned: tuple[tuple[Checklist, Item], ...]
) -> None:
    """A question, a worry or a plan names no finished item: tick nothing, say so."""
    text = (
        "I haven't ticked anything off: that doesn't sound like something you've already "
        "done. Ask me anything about it, and when you finish an item, tell me "
        '(for example "I already have my certified translation").'
    )
    buttons = [done_button(c, i) for c, i in mentioned[:MAX_DONE_BUTTONS]]
    if buttons:
        text += " If you have in fact finished it, tap it below."
    buttons.append({"title": "Show my progress", "payload": "/show_progress"})
    dispatcher.utter_message(text=text, buttons=buttons)


def say_done_and_next(
    dispatcher: CollectingDispatcher,
    text: str,
    following: tuple[Checklist, Item] | None,
    name_the_list: bool = False,
) -> None:
    """What was ticked, then the next open item (with its list's name when it moved on)."""
    buttons: list[dict[str, str]] = []
    if following is None:
        text += "\nThat was the last open item on every checklist."
    else:
        where = f", on your {following[0].title} list" if name_the_list else ""
        text += f"\nNext{where}: {following[1].text}"
        buttons = [done_button(*following)]
    buttons.append({"title": "Show my progress", "payload": "/show_progress"})
    dispatcher.utter_message(text=text, buttons=buttons)


def latest_text(tracker: Tracker) -> str:
    return tracker.latest_message.get("text") or ""


def finish_stages(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    checklists: dict[str, Checklist],
    behind: list[Checklist],
) -> list[dict[str, Any]]:
    """ "I finished an accredited program, what now?": those lists are done; point onward."""
    done = mark_lists_done(done_of(tracker), behind)
    titles = ", ".join(checklist.title.lower() for checklist in behind)
    following = next_open(checklists, done)
    say_done_and_next(
        dispatcher,
        f"Congratulations! I've marked every item on these lists as done: {titles}.",
        following,
        name_the_list=True,
    )
    active = following[0].key if following else behind[-1].key
    return [SlotSet("checklist_done", done), SlotSet("active_checklist", active)]


class ActionShowChecklist(Action):
    def name(self) -> str:
        return "action_show_checklist"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        checklists = await current_checklists()
        checklist = named_checklist(tracker, checklists)
        if checklist is None:
            dispatcher.utter_message(
                text="Which checklist would you like?", buttons=choice_buttons(checklists)
            )
            return []
        done = done_of(tracker)
        dispatcher.utter_message(
            text=(
                f"{render_checklist(checklist, done)}\n\n"
                "Tap an item when it's done, or just tell me "
                '(for example "I already have my certified translation").\n\n'
                f"{source_line(checklist)}"
            ),
            buttons=open_buttons(checklist, done),
        )
        return [SlotSet("active_checklist", checklist.key)]


class ActionMarkItemDone(Action):
    def name(self) -> str:
        return "action_mark_item_done"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        checklists = await current_checklists()
        active = tracker.get_slot("active_checklist")
        key = next(tracker.get_latest_entity_values("checklist_item"), None)
        if key is None and (behind := stages_behind(checklists, latest_text(tracker))):
            return finish_stages(dispatcher, tracker, checklists, behind)
        found = lookup(checklists, key) if key else None
        ticked = [found] if found else []
        if found is None:
            match = match_item(checklists, tracker.latest_message.get("text") or "", active)
            if match.kind == AMBIGUOUS:
                ask_which(dispatcher, match.candidates)
                # "what's still open?" next is about the list the question came from.
                lists = {checklist.key for checklist, _ in match.candidates}
                return [SlotSet("active_checklist", lists.pop())] if len(lists) == 1 else []
            if match.kind == NOT_DONE:
                say_not_ticked(dispatcher, match.candidates)
                return []
            found = match.best
            ticked = list(match.candidates) if match.kind == SEVERAL else [found] if found else []
            found = ticked[0] if ticked else None
        if found is None:
            checklist = checklists.get(active) if active else None
            if checklist is None:
                dispatcher.utter_message(
                    text="Which checklist is that item on?", buttons=choice_buttons(checklists)
                )
            else:
                dispatcher.utter_message(
                    text=f"Which item on your {checklist.title.lower()} list did you finish?",
                    buttons=open_buttons(checklist, done_of(tracker)),
                )
            return []
        checklist = found[0]
        done = done_of(tracker)
        for each_list, each_item in ticked:
            done = mark_done(done, each_list, each_item)
        following = next_open(checklists, done, checklist.key)
        text = "Well done! Marked as done: " + "\n".join(entry.text for _, entry in ticked)
        say_done_and_next(dispatcher, text, following)
        return [SlotSet("checklist_done", done), SlotSet("active_checklist", checklist.key)]


class ActionNextItem(Action):
    def name(self) -> str:
        return "action_next_item"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        checklists = await current_checklists()
        text = tracker.latest_message.get("text") or ""
        active = tracker.get_slot("active_checklist")
        said_done = match_item(checklists, text, active).kind in (DONE, SEVERAL)
        if not text.startswith("/") and (said_done or stages_behind(checklists, text)):
            # "translation is done too, what's next?": tick it first; that reply says what's next.
            return await ActionMarkItemDone().run(dispatcher, tracker, domain)
        following = next_open(checklists, done_of(tracker), active)
        if following is None:
            dispatcher.utter_message(text="You've finished every item on every checklist!")
            return []
        checklist, item = following
        left = open_items(checklist, done_of(tracker))
        if asks_what_is_left(text) and len(left) > 1:
            lines = "\n".join(f"{OPEN_MARK} {entry.text}" for entry in left)
            reply = f"Still open on your {checklist.title.lower()} list:\n{lines}"
        else:
            reply = f"Next on your {checklist.title.lower()} list: {item.text}"
            # "next?" may be asked right after the bot named this item: say what follows it too.
            if after := [entry for entry in left if entry != item][:1]:
                reply += f"\nAfter that: {after[0].text}"
        dispatcher.utter_message(text=reply, buttons=[done_button(checklist, item)])
        return [SlotSet("active_checklist", checklist.key)]


class ActionShowProgress(Action):
    def name(self) -> str:
        return "action_show_progress"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        checklists = await current_checklists()
        done = done_of(tracker)
        finished = set(done)
        total = sum(len(c.items) for c in checklists.values())
        count = sum(c.item_key(i) in finished for c in checklists.values() for i in c.items)
        dispatcher.utter_message(
            text=f"Your progress: {count} of {total} items done.\n\n"
            + render_progress(checklists, done),
            buttons=[{"title": "What's next?", "payload": "/next_item"}],
        )
        return []
