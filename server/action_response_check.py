"""Check action-server responses against a validator built once, not on every call.

Why: Rasa 3.6 checks each custom action's response with `jsonschema.validate`,
which first validates the schema itself against the JSON Schema meta-schema,
on every call. With the pinned jsonschema 4.17 that took ~50 ms of CPU per
action call on a quiet machine (~200 ms under load; py-spy: a fifth of the
server's time under a timeline load), more than the rest of a turn. The schema
never changes, so we build its validator once; responses are checked exactly
as before and a bad one raises the same ValidationError with the same message.
"""

from __future__ import annotations

from typing import Any

from jsonschema import ValidationError, validators
from jsonschema.exceptions import best_match
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

_INSTALLED = "_imgcma_cached_validator"


def install() -> None:
    """Patch RemoteAction._validate_action_result (idempotent)."""
    if getattr(RemoteAction._validate_action_result, _INSTALLED, False):
        return
    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)  # once, at start-up
    validator = validator_class(schema)

    def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
        error: ValidationError | None = best_match(validator.iter_errors(result))
        if error is not None:
            error.message += (
                ". Failed to validate Action server response from API, "
                "make sure your response from the Action endpoint is valid. "
                "For more information about the format visit "
                f"{DOCS_BASE_URL}/custom-actions"
            )
            raise error
        return True

    setattr(_validate_action_result, _INSTALLED, True)
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
