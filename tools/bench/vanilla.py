"""The framework's floor: Rasa's own `rasa init --no-prompt` bot, trained in a temp folder.

The trained scaffold is kept under build/bench/ (keyed by the Rasa version) so
later benchmark runs reuse it; `--fresh-vanilla` retrains it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"

# Messages the scaffold answers with a plain response (its "guide answer").
MESSAGES = ["hello", "are you a bot?", "I am feeling great", "goodbye"]


def rasa_version() -> str:
    import rasa

    return rasa.__version__


def home() -> Path:
    return ROOT / "build" / "bench" / f"vanilla-rasa-{rasa_version()}"


def ensure(fresh: bool = False) -> tuple[Path, float | None]:
    """The scaffold's folder (model, credentials) and its training seconds when trained now."""
    target = home()
    models = sorted(target.glob("models/*.tar.gz"))
    if models and not fresh:
        return target, None
    shutil.rmtree(target, ignore_errors=True)
    print("Training the vanilla `rasa init` bot (once, a few minutes) ...", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="imgcma-vanilla-") as tmp:
        started = time.monotonic()
        subprocess.run(
            [str(BIN / "rasa"), "init", "--no-prompt", "--init-dir", tmp],
            cwd=tmp,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        seconds = time.monotonic() - started
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(tmp, target, ignore=shutil.ignore_patterns(".rasa", "__pycache__"))
    return target, seconds


def model(folder: Path) -> Path:
    return sorted(folder.glob("models/*.tar.gz"))[-1]


if __name__ == "__main__":
    print(ensure(fresh="--fresh" in sys.argv))
