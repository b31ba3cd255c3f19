"""Shared fixtures: project paths and the parsed domain."""

import os
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
GUIDE = Path(
    os.environ.get("IMGCMA_GUIDE", ROOT.parent / "shared" / "guide" / "img-to-cma-guide.txt")
)


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def guide_text() -> str:
    if not GUIDE.exists():
        pytest.fail(f"guide not found at {GUIDE} (set IMGCMA_GUIDE)")
    return GUIDE.read_text(encoding="utf-8")
