"""`python -m server run ...`: the `rasa` command with our fixes installed first.

Environment: ACTION_TIMEOUT_SECONDS (default 10) limits each custom action call;
SESSION_MAX_EVENTS (default 100, 0 = off) starts a new session in long conversations.
"""

import os
import sys

from server import (
    action_response_check,
    fast_model_load,
    resilient_actions,
    session_rollover,
    sqlite_wal,
)


def main() -> None:
    resilient_actions.install(float(os.environ.get("ACTION_TIMEOUT_SECONDS", "10")))
    fast_model_load.install()
    action_response_check.install()
    sqlite_wal.install()
    session_rollover.install(int(os.environ.get("SESSION_MAX_EVENTS", "100")))
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *sys.argv[1:]]
    rasa_main()


if __name__ == "__main__":
    main()
