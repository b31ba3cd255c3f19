"""`make run`: start the action server and the Rasa server in the foreground.

Prints what runs where, then waits; Ctrl-C or SIGTERM stops both servers.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

from tools.dev import channel_config, stack
from tools.dev.train_if_needed import model_path, served_model

RASA_PORT = int(os.environ.get("RASA_PORT", "5005"))
ACTION_PORT = int(os.environ.get("ACTION_PORT", "5055"))


def main() -> int:
    model = served_model()
    if model != model_path():
        print(
            f"Serving the promoted model {model.name} (models/current; `make rollback` "
            "switches back)."
        )
    if not model.exists():
        print("No trained model for the current data: run `make train` first.", file=sys.stderr)
        return 1
    for name, number in (("RASA_PORT", RASA_PORT), ("ACTION_PORT", ACTION_PORT)):
        if stack.port_in_use(number):
            print(
                f"Port {number} ({name}) is already in use on 127.0.0.1: is another bot "
                f"running? Stop it, or choose a free port, e.g. {name}={number + 1} make run.",
                file=sys.stderr,
            )
            return 1
    token = os.environ.get("RASA_AUTH_TOKEN") or ""
    if not token:
        token = stack.new_token()
        print(f"RASA_AUTH_TOKEN was not set; generated one for this run:\n  {token}\n")
    print(
        f"Starting the action server (:{ACTION_PORT}) and Rasa (:{RASA_PORT}) "
        f"with {model.relative_to(stack.ROOT)} ..."
    )
    # Rasa gets a copy of endpoints.yml pointing at the action server started here.
    bot = stack.start(model, token=token, rasa_port=RASA_PORT, action_port=ACTION_PORT)
    print(channel_config.describe(bot.channels), flush=True)

    def stop(signum: int, _frame: object) -> None:
        print(f"\nStopping (signal {signum}) ...")
        bot.stop()
        sys.exit(0)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        seconds = stack.wait_ready(bot)
    except (RuntimeError, TimeoutError) as exc:
        print(f"The bot did not start: {exc}", file=sys.stderr)
        bot.stop()
        return 1
    print(_ready_banner(seconds, bot), flush=True)
    while True:
        crashed = bot.dead()
        if crashed is not None:
            print(
                f"{crashed.args[0]} exited with code {crashed.returncode}; stopping.",
                file=sys.stderr,
            )
            bot.stop()
            return 1
        time.sleep(1)


def _ready_banner(seconds: float, bot: stack.Stack) -> str:
    """Where to reach what `make run` started."""
    return (
        f"\nReady in {seconds:.0f} s.\n"
        f"  REST channel  POST http://localhost:{RASA_PORT}/webhooks/rest/webhook\n"
        f'                body: {{"sender": "me", "message": "hi"}}\n'
        + channel_config.webhook_lines(bot.channels, f"http://localhost:{RASA_PORT}")
        + f"  HTTP API      http://localhost:{RASA_PORT}/  (token: ?token=$RASA_AUTH_TOKEN)\n"
        f"  Web widget    http://localhost:{RASA_PORT}/widget/"
        "  (demo page; embed: see docs/channels.md)\n"
        f"  Actions       http://localhost:{ACTION_PORT}/webhook\n"
        f"  Conversations {Path('tracker.db').resolve()}\n"
        "Press Ctrl-C to stop.\n"
    )


if __name__ == "__main__":
    sys.exit(main())
