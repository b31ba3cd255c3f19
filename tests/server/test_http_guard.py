"""The REST body check: repair invalid UTF-8, reject what Rasa's channel would 500 on."""

import json
from types import SimpleNamespace

import pytest

from server.http_guard import _check_rest_body


def request(body: bytes) -> SimpleNamespace:
    return SimpleNamespace(body=body, parsed_json=None)


def test_invalid_utf8_is_repaired() -> None:
    req = request(b'{"sender": "a", "message": "hi \xff there"}')
    assert _check_rest_body(req) is None  # type: ignore[arg-type]
    assert req.parsed_json == {"sender": "a", "message": "hi \ufffd there"}


def test_a_good_body_passes_unchanged() -> None:
    req = request(json.dumps({"sender": "a", "message": "hi"}).encode())
    assert _check_rest_body(req) is None  # type: ignore[arg-type]
    assert req.parsed_json == {"sender": "a", "message": "hi"}


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (b"{oops", "invalid_json"),
        (b"[]", "invalid_body"),
        (b'{"message": 3}', "invalid_message"),
        (b'{"message": "hi", "sender": 3}', "invalid_sender"),
        (b'{"message": "hi", "sender": "' + b"x" * 300 + b'"}', "invalid_sender"),
        (b'{"message": "hi", "sender": "\\ud800"}', "invalid_sender"),
    ],
)
def test_bad_bodies_get_a_400(body: bytes, error: str) -> None:
    answer = _check_rest_body(request(body))  # type: ignore[arg-type]
    assert answer is not None and answer.status == 400
    assert json.loads(answer.body)["error"] == error
