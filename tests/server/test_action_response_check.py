"""server/action_response_check.py accepts and rejects exactly what stock Rasa does."""

from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from server import action_response_check

SCHEMA = RemoteAction.action_response_format_spec()
GOOD = [
    {"events": [{"event": "slot", "name": "plan_start", "value": "2027-03"}], "responses": []},
    {"events": [], "responses": [{"text": "hi", "buttons": []}]},
    {},
]
BAD = [
    {"events": "not a list"},
    {"events": [{"name": "no event type"}]},
    {"responses": ["not an object"]},
    [],
]


@pytest.fixture(scope="module")
def action() -> RemoteAction:
    action_response_check.install()
    return RemoteAction("action_compute_timeline", None)


@pytest.mark.parametrize("result", GOOD)
def test_valid_responses_pass(action: RemoteAction, result: dict) -> None:
    jsonschema.validate(result, SCHEMA)  # stock agrees
    assert action._validate_action_result(result) is True


@pytest.mark.parametrize("result", BAD)
def test_invalid_responses_raise_the_stock_error(action: RemoteAction, result: dict) -> None:
    with pytest.raises(jsonschema.ValidationError) as stock:
        jsonschema.validate(result, SCHEMA)
    with pytest.raises(jsonschema.ValidationError) as ours:
        action._validate_action_result(result)
    assert ours.value.message.startswith(stock.value.message)
    assert "Failed to validate Action server response" in ours.value.message
