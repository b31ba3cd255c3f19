"""`make shell`: chat with the bot in the terminal (action server on ACTION_PORT, default 5055).

Like `make run`, Rasa gets a copy of endpoints.yml pointing at the action server
started here, and a port in use is refused, so it never talks to another bot's;
and the effective credentials (stock Rasa stops on an unset channel variable).
"""

from __future__ import annotations

import os
import subprocess
import sys

from tools.dev import channel_config, stack
from tools.dev.train_if_needed import model_path

ACTION_PORT = int(os.environ.get("ACTION_PORT", "5055"))


def main() -> int:
    model = model_path()
    if not model.exists():
        print("No trained model for the current data: run `make train` first.", file=sys.stderr)
        return 1
    if stack.port_in_use(ACTION_PORT):
        print(
            f"Port {ACTION_PORT} (ACTION_PORT) is already in use on 127.0.0.1: is another "
            f"bot running? Stop it, or choose another: ACTION_PORT={ACTION_PORT + 1} make shell",
            file=sys.stderr,
        )
        return 1
    endpoints = stack.pin_action_endpoint(
        stack.ROOT / "endpoints.yml",
        ACTION_PORT,
        stack.ROOT / "build" / "run" / f"endpoints-shell-{ACTION_PORT}.yml",
    )
    env = {**os.environ, "SANIC_HOST": "127.0.0.1"}
    # As `make run`: channels whose variables are unset are left out, not fatal.
    credentials, _ = channel_config.write_effective(
        stack.ROOT / "credentials.yml", env, stack.ROOT / "build" / "run" / "credentials-shell.yml"
    )
    actions = subprocess.Popen(
        [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(ACTION_PORT)],
        cwd=stack.ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        shell = [sys.executable, "-m", "server", "shell", "--model", str(model)]
        shell += ["--endpoints", str(endpoints), "--credentials", str(credentials)]
        return subprocess.call(shell, cwd=stack.ROOT, env=env)
    finally:
        actions.terminate()
        actions.wait(10)


if __name__ == "__main__":
    sys.exit(main())
