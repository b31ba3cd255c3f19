"""The plan picture as a PNG (channels/plan_image.py), from plan_picture's payload."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from actions.core.dates import YearMonth
from actions.core.figures import load_figures
from actions.core.plan_picture import plan_picture
from actions.core.timeline import compute_plan
from channels.plan_image import ACCENT, SCALE, WIDTH, render_png
from tests.core.plans import FIGURES_FILE

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def payload(**overrides: object) -> dict:
    arguments: dict = {
        "program": "certificate",
        "pace": "full_time",
        "documents_ready": None,
        "program_start": YearMonth(2027, 1),
        "today": YearMonth(2026, 11),
    }
    arguments.update(overrides)
    return plan_picture(compute_plan(load_figures(FIGURES_FILE), **arguments))


def test_the_picture_is_a_valid_png_wide_enough_for_a_phone() -> None:
    png = render_png(payload())
    assert png.startswith(PNG_MAGIC)
    image = Image.open(io.BytesIO(png))
    image.verify()
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.width == WIDTH * SCALE
    assert 300 * SCALE < image.height < 1000 * SCALE
    # The solid program bar is drawn in the accent colour.
    colours = {colour for _, colour in image.convert("RGB").getcolors(1 << 20) or []}
    assert tuple(int(ACCENT[i : i + 2], 16) for i in (1, 3, 5)) in colours


@pytest.mark.parametrize(
    "overrides",
    [
        {"program": "associate", "pace": "part_time", "program_start": None},
        {"program_start": YearMonth(2020, 3)},  # a start in the past
        {"documents_ready": True, "program_start": None},
    ],
)
def test_every_kind_of_plan_draws(overrides: dict) -> None:
    assert render_png(payload(**overrides)).startswith(PNG_MAGIC)


@pytest.mark.parametrize(
    "bad",
    [
        {"type": "something_else"},
        {**payload(), "today": "yesterday"},
        {**payload(), "phases": "none"},
        {**payload(), "phases": ["not a phase"]},
        {**payload(), "first_month": "1900-01"},  # far too many months to draw
    ],
)
def test_a_payload_that_is_not_a_plan_picture_is_refused(bad: dict) -> None:
    with pytest.raises(ValueError):
        render_png(bad)
