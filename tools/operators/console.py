"""What every operator command shares: where the project is, exit codes, output to the operator."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
GUIDE = Path(
    os.environ.get("IMGCMA_GUIDE", ROOT.parent / "shared" / "guide" / "img-to-cma-guide.txt")
)
EXIT_DATA, EXIT_REFUSED = 2, 3


def say(message: str = "") -> None:
    print(message, flush=True)


def shown(path: Path) -> str:
    """A path relative to the project when it is inside it, else as it is."""
    try:
        return str(path.resolve().relative_to(ROOT.resolve()))
    except ValueError:
        return str(path)


def default_url() -> str:
    return os.environ.get("RASA_URL", "http://localhost:5005")


def token_of(args: argparse.Namespace) -> str:
    """The running bot's auth token: --token, else $RASA_AUTH_TOKEN."""
    return args.token or os.environ.get("RASA_AUTH_TOKEN", "")


def intents() -> set[str]:
    return set(yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["intents"])
