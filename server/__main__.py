"""`python -m server run ...`: the `rasa` command with our fixes installed first.

Environment: ACTION_TIMEOUT_SECONDS (default 10) limits each custom action call;
SESSION_MAX_EVENTS (default 100, 0 = off) starts a new session in long conversations.
The fixes replace Rasa internals: it refuses to start on a Rasa version other
than the one they were written for (server/patch_guard.py).
The safety settings (limits, production mode) are in server/settings.py and
docs/security.md.
"""

import os
import sys

from server import patch_guard
from server import settings as safety


def main() -> None:
    # Checks first: refusing to start must not wait for Rasa's slow imports.
    problem = patch_guard.version_problem()
    if problem:
        print(problem, file=sys.stderr)
        raise SystemExit(2)
    config = safety.from_env()
    argv = safety.apply(sys.argv[1:], config)
    install_patches(config)
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *argv]
    rasa_main()


def install_patches(config: safety.Settings) -> None:
    """Every change to Rasa's internals (listed, with hashes, in server/patch_guard.py)."""
    from server import (
        action_response_check,
        event_lookup,
        resilient_actions,
        session_rollover,
        slot_carry_over,
    )

    resilient_actions.install(float(os.environ.get("ACTION_TIMEOUT_SECONDS", "10")))
    install_guards(config)
    action_response_check.install()
    event_lookup.install()
    session_rollover.install(int(os.environ.get("SESSION_MAX_EVENTS", "100")))
    slot_carry_over.install()


def install_guards(config: safety.Settings) -> None:
    """Input policy, rate limits, privacy and fault handling (server/message_guard.py ...)."""
    from components.safety_rules import classify, load_rules
    from server import http_guard, message_guard
    from server.payload_allowlist import load_allowlist
    from server.replies import load_replies

    replies = load_replies()
    rules = load_rules()
    message_guard.install(
        config, load_allowlist(), replies, urgent=lambda text: classify(text, rules) is not None
    )
    http_guard.install(config, replies["rate_limited"])


if __name__ == "__main__":
    main()
