"""The Rasa image's command (deploy/docker/Dockerfile.rasa): start `python -m server run`.

Like `make run`, it hands Rasa an effective credentials file (tools/dev/channel_config.py):
stock Rasa does not expand credentials.yml's `${VAR:-default}` entries, and a
channel whose secrets are unset would stop it. Environment: RASA_AUTH_TOKEN
(required), RASA_PORT (5005), the variables configs/endpoints.scaleout.yml names,
and the channels' own (docs/channels.md).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from tools.dev import channel_config
from tools.dev.train_if_needed import model_path

ROOT = Path(__file__).resolve().parents[2]


def command(env: dict[str, str]) -> list[str] | str:
    """The server's command line, or why it cannot start."""
    model = model_path()
    if not model.exists():
        return f"no trained model at {model} (the image builds it: tools/dev/train_if_needed.py)"
    token = env.get("RASA_AUTH_TOKEN", "")
    if not token:
        return "RASA_AUTH_TOKEN is not set: the HTTP API needs a token"
    target = Path(env.get("IMGCMA_RUN_DIR") or tempfile.gettempdir()) / "imgcma-credentials.yml"
    credentials, statuses = channel_config.write_effective(ROOT / "credentials.yml", env, target)
    print(channel_config.describe(statuses), flush=True)
    return [
        sys.executable,
        "-m",
        "server",
        "run",
        "--model",
        str(model),
        "--endpoints",
        str(ROOT / "configs" / "endpoints.scaleout.yml"),
        "--credentials",
        str(credentials),
        "--enable-api",
        f"--auth-token={token}",  # one argument: a token starting with "-" is not an option
        "--port",
        env.get("RASA_PORT", "5005"),
    ]


def main() -> int:
    argv = command(dict(os.environ))
    if isinstance(argv, str):
        print(f"Not starting: {argv}", file=sys.stderr)
        return 1
    os.chdir(ROOT)
    os.execv(argv[0], argv)  # nosec B606 - our own server, fixed arguments


if __name__ == "__main__":
    sys.exit(main())
