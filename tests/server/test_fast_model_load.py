"""server/fast_model_load.py changes load time only: the same intents and the same actions.

Loads the trained model twice in a fresh interpreter, stock and with the patch,
and compares the full intent ranking, the entities and the next-action
prediction (action, policy, confidence; scores to 6 decimals) for a set of
messages. A subprocess, so the patch never leaks into other tests.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from train_if_needed import model_path

SCRIPT = r"""
import asyncio, json, sys
from rasa.core.agent import Agent
from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

TEXTS = json.loads(sys.argv[2])

async def predictions(agent):
    out = []
    for text in TEXTS:
        parsed = await agent.parse_message(text)
        tracker = DialogueStateTracker.from_events(
            "equivalence",
            [
                ActionExecuted("action_session_start"),
                SessionStarted(),
                ActionExecuted("action_listen"),
                UserUttered(text, parsed["intent"], parsed["entities"], parse_data=parsed),
            ],
            agent.domain.slots,
        )
        nxt = agent.processor.predict_next_with_tracker(tracker)
        scores = sorted(nxt["scores"], key=lambda s: (-s["score"], s["action"]))
        out.append({
            "text": text,
            "ranking": [[i["name"], round(i["confidence"], 6)] for i in parsed["intent_ranking"]],
            "entities": [[e["entity"], e["value"]] for e in parsed["entities"]],
            "action": [nxt["policy"], round(nxt["confidence"], 6)],
            "scores": [[s["action"], round(s["score"], 6)] for s in scores[:5]],
        })
    return out

if sys.argv[3] == "fast":
    from server import fast_model_load
    fast_model_load.install()
    from rasa.utils.tensorflow.models import RasaModel
    assert getattr(RasaModel.load, "_imgcma_fast_load", False)
agent = Agent.load(sys.argv[1])
print("RESULT " + json.dumps(asyncio.run(predictions(agent))))
"""

TEXTS = [
    "hi, i am doctor from egypt",
    "can i take the cma exam with my mbbs",
    "RN vs CMA - what education does each one need?",
    "what kind of externship connections should a good MA program have?",
    "what does a cma do",
    "if i start a certificate in march 2027 when can i work",
    "i already have my wes evaluation",
    "delete my data",
    "do i need a work visa for that",
    "hospital",
    "who won the football world cup in 2010",
]


def predictions(model: str, mode: str) -> list[dict]:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, model, json.dumps(TEXTS), mode],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    line = next(x for x in result.stdout.splitlines() if x.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def test_fast_load_predicts_exactly_what_the_stock_load_predicts() -> None:
    model = model_path()
    if not model.exists():
        pytest.fail(f"no trained model at {model}: run `make train` first")
    stock = predictions(str(model), "stock")
    fast = predictions(str(model), "fast")
    assert len(stock) == len(TEXTS)
    assert all(p["ranking"] for p in stock), "the model ranked no intents"
    for expected, got in zip(stock, fast, strict=True):
        assert got == expected, expected["text"]
