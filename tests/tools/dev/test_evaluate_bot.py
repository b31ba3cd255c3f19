"""tools/dev/evaluate_bot.py.run_evaluator against a loopback stand-in for the Rasa server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.fakes.rasa_http import FakeRasa
from tools.dev.evaluate_bot import run_evaluator

CASES = ROOT / "tests" / "fixtures" / "eval" / "one_decline_case.yml"


@pytest.fixture()
def fake_rasa() -> Iterator[FakeRasa]:
    server = FakeRasa().start()
    yield server
    server.stop()


# secrets.token_urlsafe starts with "-" once in 64 tokens: CI once failed on exactly that.
@pytest.mark.parametrize("token", ["plainToken123", "-starts-with-a-dash", "--looks-like-a-flag"])
def test_the_token_reaches_the_bot_whatever_it_starts_with(
    fake_rasa: FakeRasa, token: str, tmp_path: Path
) -> None:
    out = tmp_path / "eval.json"
    run = run_evaluator(fake_rasa.url, CASES, token, out)
    assert run.returncode == 0, run.stderr
    reads = fake_rasa.find(lambda c: c.method.endswith("/tracker"))
    assert [c.body.get("token") for c in reads] == [token]
    assert json.loads(out.read_text())
