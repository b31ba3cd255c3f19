"""Fixtures for the pure-module tests."""

import pytest

from actions.core.figures import Figures, load_figures
from tests.core.plans import FIGURES_FILE


@pytest.fixture(scope="module")
def figures() -> Figures:
    return load_figures(FIGURES_FILE)
