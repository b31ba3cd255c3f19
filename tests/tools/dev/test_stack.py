"""tools/dev/stack.py helpers that need no running bot."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.fakes.rasa_http import FakeRasa
from tools.dev import stack


def test_generated_tokens_are_long_hex_so_never_read_as_an_option() -> None:
    tokens = {stack.new_token() for _ in range(200)}
    assert len(tokens) == 200
    assert all(re.fullmatch(r"[0-9a-f]{48}", t) for t in tokens)


def test_an_isolated_stack_keeps_its_tracker_in_its_own_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[dict[str, Any]] = []
    monkeypatch.setattr(stack, "start", lambda model, **kw: started.append(kw) or kw)

    stack.start_isolated(Path("m.tar.gz"), tmp_path, log_dir=tmp_path / "logs")
    (tmp_path / "b").mkdir()
    stack.start_isolated(Path("m.tar.gz"), tmp_path / "b")

    first, second = started
    assert first["endpoints"] == tmp_path / "endpoints.yml"
    endpoints = yaml.safe_load(first["endpoints"].read_text())
    assert endpoints["tracker_store"]["db"] == str(tmp_path / "tracker.db")
    assert endpoints["action_endpoint"]["url"] == f"http://127.0.0.1:{first['action_port']}/webhook"
    assert first["log_dir"] == tmp_path / "logs"
    assert first["rasa_port"] != first["action_port"]
    assert first["token"] != second["token"]
    assert second["endpoints"] == tmp_path / "b" / "endpoints.yml"


def test_an_isolated_stack_uses_the_ports_and_token_it_is_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stack, "start", lambda model, **kw: kw)
    chosen = stack.start_isolated(
        Path("m.tar.gz"), tmp_path, token="t0k", rasa_port=5999, action_port=5998
    )
    assert (chosen["token"], chosen["rasa_port"], chosen["action_port"]) == ("t0k", 5999, 5998)
    assert "5998/webhook" in (tmp_path / "endpoints.yml").read_text()


def test_waiting_for_a_bot_that_could_not_load_its_model_fails_at_once_with_the_reason(
    tmp_path: Path,
) -> None:
    log = tmp_path / "rasa_server.log"
    log.write_text(
        "2026-11-27 17:15:05 ERROR    rasa.core.agent  - Could not load model due to "
        "Can't find model 'build/spacy/en_imgcma-1.0.0'.\n"
    )
    rasa = FakeRasa(status=409).start()
    try:
        bot = stack.Stack(rasa_port=rasa.port, action_port=None, token="t", logs=[log])
        with pytest.raises(RuntimeError, match="could not load the model: Could not load model"):
            stack.wait_ready(bot, timeout=30, progress=False)
        assert not rasa.find(lambda c: c.method == "/webhooks/rest/webhook")
    finally:
        rasa.stop()


def test_a_bot_is_ready_once_its_model_is_loaded_and_a_message_gets_an_answer() -> None:
    rasa = FakeRasa(reply="Hello! I help doctors trained abroad become CMAs.").start()
    try:
        bot = stack.Stack(rasa_port=rasa.port, action_port=None, token="t")
        assert stack.wait_ready(bot, timeout=30, progress=False) < 30
        asked = rasa.find(lambda c: c.method == "/webhooks/rest/webhook")
        assert len(asked) == 1
        assert rasa.find(lambda c: c.method == "/status" and c.body.get("token") == "t")
    finally:
        rasa.stop()


@pytest.mark.parametrize("source", ["endpoints.yml", "configs/endpoints.scaleout.yml"])
def test_rasa_is_pointed_at_the_action_server_this_stack_started(
    tmp_path: Path, source: str
) -> None:
    original = stack.ROOT / source
    pinned = stack.pin_action_endpoint(original, 5123, tmp_path / "endpoints.yml")
    assert yaml.safe_load(pinned.read_text())["action_endpoint"]["url"] == (
        "http://127.0.0.1:5123/webhook"
    )
    # Nothing else changes: ${VARS} stay plain scalars for Rasa to expand.
    before, after = original.read_text().splitlines(), pinned.read_text().splitlines()
    assert len(before) == len(after)
    assert [b for a, b in zip(before, after, strict=True) if a != b] == [
        next(line for line in after if "5123" in line)
    ]


def test_an_endpoints_file_without_an_action_url_is_refused(tmp_path: Path) -> None:
    (tmp_path / "e.yml").write_text("tracker_store:\n  type: SQL\n")
    with pytest.raises(ValueError, match="action_endpoint"):
        stack.pin_action_endpoint(tmp_path / "e.yml", 5123, tmp_path / "out.yml")


def test_a_port_in_use_is_refused_before_anything_starts(tmp_path: Path) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = busy.getsockname()[1]
        assert stack.port_in_use(taken)
        with pytest.raises(stack.PortTaken, match=f"port {taken} \\(for the action server\\)"):
            stack.start(Path("m.tar.gz"), token="t", rasa_port=stack.free_port(), action_port=taken)
        with pytest.raises(stack.PortTaken, match=f"port {taken} \\(for the Rasa\\)"):
            stack.start(Path("m.tar.gz"), token="t", rasa_port=taken, action_port=stack.free_port())
    assert not stack.port_in_use(taken)
