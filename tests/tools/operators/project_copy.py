"""A throwaway copy of the project, for tests that change data or train."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import GUIDE, ROOT

SKIP = {
    ".git",
    ".venv",
    "build",
    "results",
    ".rasa",
    "models",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
}


def copy_project(target: Path) -> Path:
    """Copy sources and data; share .venv and the built spaCy pipeline by symlink."""
    target.mkdir(parents=True, exist_ok=True)
    for item in ROOT.iterdir():
        if item.name in SKIP or item.suffix in (".db", ".db-journal"):
            continue
        if item.is_dir():
            shutil.copytree(
                item, target / item.name, ignore=shutil.ignore_patterns("__pycache__", "*.db")
            )
        else:
            shutil.copy2(item, target / item.name)
    (target / ".venv").symlink_to(ROOT / ".venv")
    (target / "build").symlink_to(ROOT / "build")
    (target / "models").mkdir()
    return target


def shared_paths() -> dict[str, str]:
    """Environment for a copy outside the checkout: where the shared guide and dev cases are."""
    from tools.operators.pipeline import EVAL_DIR

    return {"IMGCMA_GUIDE": str(GUIDE), "IMGCMA_EVAL_DIR": str(EVAL_DIR)}
