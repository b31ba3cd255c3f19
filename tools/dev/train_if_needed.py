"""Train a model when the training data, domain or config changed.

The model file is named after a fingerprint of everything that shapes it, so
an unchanged project reuses its model and `make run` starts in seconds.
Prints the path of the model to serve as its last line.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MODELS = ROOT / "models"
# What the model depends on. data/content is read by the action server at run
# time, so editing it never needs a retrain.
INPUTS = ["config.yml", "domain.yml", "data/nlu", "data/rules", "data/stories", "data/spacy"]


def fingerprint(root: Path = ROOT) -> str:
    """A short hash of the training inputs and the Rasa version."""
    import rasa

    digest = hashlib.sha256(rasa.__version__.encode())
    for name in INPUTS:
        path = root / name
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in files:
            if file.is_file():
                digest.update(str(file.relative_to(root)).encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


def model_path(root: Path = ROOT) -> Path:
    return root / "models" / f"imgcma-{fingerprint(root)}.tar.gz"


def served_model(root: Path = ROOT) -> Path:
    """The model `make run` serves: the promoted one (models/current, written by
    `make add-topic`/`make retrain`/`make rollback`) if any, else the one for the current data."""
    pointer = root / "models" / "current"
    if pointer.is_file():
        promoted = root / pointer.read_text(encoding="utf-8").strip()
        if promoted.is_file():
            return promoted
    return model_path(root)


KEEP_MODELS = 3


def prune_old_models(keep: int = KEEP_MODELS) -> None:
    """Keep the newest few models (to roll back to) so models/ does not grow forever."""
    models = sorted(MODELS.glob("imgcma-*.tar.gz"), key=lambda p: p.stat().st_mtime)
    for old in models[:-keep]:
        old.unlink()
        print(f"Removed old model {old.name}", file=sys.stderr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--force", action="store_true", help="train even if up to date")
    args = parser.parse_args()
    target = model_path()
    if target.exists() and not args.force:
        print(f"Model up to date: {target.relative_to(ROOT)}", file=sys.stderr)
        print(target)
        return 0
    print(f"Training {target.name} (a few minutes on 2 cores) ...", file=sys.stderr)
    started = time.monotonic()
    env = {**os.environ, "SQLALCHEMY_SILENCE_UBER_WARNING": "1", "TF_CPP_MIN_LOG_LEVEL": "2"}
    result = subprocess.run(
        [
            # The interpreter running this script: .venv's here, the system one in the image.
            sys.executable,
            "-m",
            "rasa",
            "train",
            "--out",
            str(MODELS),
            "--fixed-model-name",
            target.name.removesuffix(".tar.gz"),
        ],
        cwd=ROOT,
        env=env,
        check=False,
    )
    if result.returncode != 0 or not target.exists():
        print(f"Training failed (exit code {result.returncode}).", file=sys.stderr)
        return result.returncode or 1
    print(
        f"Trained {target.relative_to(ROOT)} in {time.monotonic() - started:.0f} s", file=sys.stderr
    )
    prune_old_models()
    print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
