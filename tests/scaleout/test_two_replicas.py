"""20 conversations whose turns alternate between two Rasa replicas keep whole, ordered trackers.

Runs against the real PostgreSQL tracker store and Redis lock store
(configs/endpoints.scaleout.yml); skips only when one of them is absent.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

from tools.dev import scaleout, stack

CONVERSATIONS = 20
# (message, what the reply must contain); turn k goes to replica (conversation + k) % 2.
SCRIPT = [
    ("hello", "welcome"),
    # A timeline request without a date: the form asks for the start month ...
    ("make me a personal timeline", "When do you plan to start"),
    # ... which the user answers on the other replica.
    ("march 2027", "You could be working as a CMA"),
    ("what does a cma do", "From the guide"),
]
# Finally one message to each replica at the same moment: the Redis lock must serialise them.
SIMULTANEOUS = [("thank you", ""), ("how is the cma exam structured", "From the guide")]


def reply_text(replica: stack.Stack, sender: str, message: str) -> str:
    replies = stack.ask(replica.url, sender, message, timeout=120)
    return "\n".join(r.get("text", "") for r in replies)


def converse(replicas: list[stack.Stack], index: int) -> str:
    sender = f"scale-{index}-{uuid.uuid4().hex[:6]}"
    for turn, (message, expected) in enumerate(SCRIPT):
        text = reply_text(replicas[(index + turn) % 2], sender, message)
        assert expected in text, f"{sender} turn {turn} ({message!r}) got {text!r}"
    with ThreadPoolExecutor(2) as both:
        texts = list(
            both.map(
                lambda pair: reply_text(replicas[pair[0]], sender, pair[1][0]),
                enumerate(SIMULTANEOUS),
            )
        )
    for text, (message, expected) in zip(texts, SIMULTANEOUS, strict=True):
        assert text and expected in text, f"{sender} ({message!r}) got {text!r}"
    return sender


def tracker(replica: stack.Stack, sender: str) -> dict:
    url = f"{replica.url}/conversations/{sender}/tracker?include_events=ALL&token={replica.token}"
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.loads(response.read())


def watch_locks(services: scaleout.Services, stop: threading.Event, seen: set[bytes]) -> None:
    while not stop.is_set():
        seen.update(services.redis_keys())
        time.sleep(0.005)


def check_turns(events: list[dict], sender: str) -> None:
    """Every user message is followed by the bot's actions and one action_listen, never mixed."""
    expecting_listen = False
    for event in events:
        if event["event"] == "user":
            assert not expecting_listen, f"{sender}: a user message arrived mid-turn"
            expecting_listen = True
        elif event["event"] == "action" and event["name"] == "action_listen":
            expecting_listen = False
    assert not expecting_listen, f"{sender}: the last turn never finished"


def test_conversations_alternating_between_replicas_stay_whole(
    replicas: list[stack.Stack], services: scaleout.Services
) -> None:
    stop, lock_keys = threading.Event(), set()
    watcher = threading.Thread(target=watch_locks, args=(services, stop, lock_keys), daemon=True)
    watcher.start()
    try:
        with ThreadPoolExecutor(CONVERSATIONS) as pool:
            senders = list(pool.map(lambda i: converse(replicas, i), range(CONVERSATIONS)))
    finally:
        stop.set()
        watcher.join()
    # The replicas really took their locks in the shared Redis, under our own prefix.
    assert any(b":lock:" in key for key in lock_keys), lock_keys

    for index, sender in enumerate(senders):
        state = tracker(replicas[index % 2], sender)
        events = state["events"]
        texts = [e["text"] for e in events if e["event"] == "user"]
        sent = [message for message, _ in SCRIPT]
        # Exactly once and in order (the two simultaneous ones in either order).
        assert texts[: len(sent)] == sent, (sender, texts)
        assert sorted(texts[len(sent) :]) == sorted(m for m, _ in SIMULTANEOUS), (sender, texts)
        check_turns(events, sender)

        # The form completed across replicas: it asked on one and finished on the other.
        assert state["slots"]["plan_start"] == "2027-03"
        assert not state["active_loop"], state["active_loop"]
        loops = [e.get("name") for e in events if e["event"] == "active_loop"]
        assert loops == ["timeline_form", None], loops
        actions = [e["name"] for e in events if e["event"] == "action"]
        assert actions.count("action_compute_timeline") == 1, actions

        # What PostgreSQL holds is that same tracker, row for row, nothing twice.
        rows = services.query(
            "SELECT type_name, timestamp, data FROM events WHERE sender_id = %s ORDER BY id",
            sender,
        )
        assert [json.loads(data) for _, _, data in rows] == events
        assert len({data for _, _, data in rows}) == len(rows), f"{sender}: duplicated rows"
        stamps = [stamp for _, stamp, _ in rows]
        assert stamps == sorted(stamps), f"{sender}: events stored out of order"
