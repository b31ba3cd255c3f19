"""Property-based fuzzing of the REST channel against the running bot.

Hypothesis generates 500 messages: arbitrary Unicode, control characters, long
text, markup, SQL, raw invalid UTF-8 and "/intent{...}" payloads that try to
set slots. Properties: never a 5xx, a well-formed message always gets at least
one reply, the server stays up, and no injected payload ever sets a slot.
"""

import json
import urllib.request
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.e2e.helpers import post
from tests.e2e.test_rest_conversation import tracker
from tools.dev import stack

EXAMPLES = 500
SLOTS = ["program_type", "study_pace", "plan_start", "documents_ready", "active_checklist"]
INTENTS = ["greet", "timeline", "timeline_personal", "mark_item_done", "inform", "restart"]
ATTACKS = [
    "'; DROP TABLE events;--",
    "' OR '1'='1",
    "<script>alert(document.cookie)</script>",
    "<img src=x onerror=alert(1)>",
    "{{7*7}} ${7*7} <%= 7*7 %>",
    "../../../../etc/passwd",
    "\u202egnp.exe",
    "\x00\x1b[2J",
    "%s%s%s%n",
]


@st.composite
def injected_payload(draw: st.DrawFn) -> tuple[str, str]:
    """A "/intent{...}" that tries to set a slot to a unique marker value."""
    marker = f"FUZZ{uuid.uuid4().hex[:8]}"
    slot = draw(st.sampled_from(SLOTS))
    intent = draw(st.sampled_from(INTENTS))
    prefix = draw(st.sampled_from(["/", " /", "//", "/\u200b"]))
    return f"{prefix}{intent}{json.dumps({slot: marker})}", marker


texts = st.one_of(
    st.text(max_size=300),
    st.text(st.characters(codec="utf-8", categories=["Cc", "Cf", "Zs", "So"]), max_size=50),
    st.text(min_size=1900, max_size=2300, alphabet="ab <>/;'\"-é漢😀"),
    st.builds(lambda a, b: a + b, st.sampled_from(ATTACKS), st.text(max_size=40)),
)


@st.composite
def cases(draw: st.DrawFn) -> tuple[bytes, str | None]:
    """A request body and, for injections, the marker no slot may take."""
    kind = draw(st.sampled_from(["text", "text", "payload", "raw", "escapes"]))
    sender = f"fuzz-{uuid.uuid4().hex[:10]}"
    if kind == "payload":
        text, marker = draw(injected_payload())
        return json.dumps({"sender": sender, "message": text}).encode(), marker
    if kind == "raw":
        junk = draw(st.binary(max_size=200)).replace(b'"', b"").replace(b"\\", b"")
        return b'{"sender": "' + sender.encode() + b'", "message": "' + junk + b'"}', None
    if kind == "escapes":
        # JSON escapes Python never writes itself: lone surrogates, NUL.
        escapes = draw(st.lists(st.sampled_from(["\\ud800", "\\udfff", "\\u0000", "a"])))
        return b'{"sender": "' + sender.encode() + b'", "message": "' + "".join(
            escapes
        ).encode() + b'"}', None
    return json.dumps({"sender": sender, "message": draw(texts)}).encode(), None


def test_fuzzed_messages_never_break_the_bot(bot: stack.Stack) -> None:
    sent: list[int] = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases())
    def one_message(case: tuple[bytes, str | None]) -> None:
        body, marker = case
        reply = post(bot.rasa_port, "/webhooks/rest/webhook", body)
        sent.append(reply.status)
        assert reply.status < 500, body
        try:
            well_formed = isinstance(json.loads(body), dict)
        except ValueError:
            well_formed = False
        if reply.status == 200:
            assert any(m.get("text", "").strip() for m in reply.json()), body  # type: ignore[union-attr]
        else:
            assert reply.status == 400 and not well_formed, (reply.status, body)
        if marker:
            sender = json.loads(body)["sender"]
            slots = tracker(bot, sender)["slots"]
            assert marker not in json.dumps(slots), (body, slots)

    one_message()
    counts = {status: sent.count(status) for status in sorted(set(sent))}
    print(f"fuzz: {len(sent)} requests, statuses {counts}")  # shown with pytest -s / -rA
    assert len(sent) >= EXAMPLES
    assert sum(status >= 500 for status in sent) == 0
    with urllib.request.urlopen(f"{bot.url}/", timeout=10) as alive:
        assert alive.status == 200
    assert bot.dead() is None
