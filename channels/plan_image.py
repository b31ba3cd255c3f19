"""The plan picture as a PNG, drawn on the server with Pillow (no external service).

Slack and Telegram can not run the widget's SVG, so they get this image of the same payload
(actions/core/plan_picture.py): one bar per phase over the months, hatched when the length is
our estimate, today and the earliest and latest month of work marked, and a legend.
"""

from __future__ import annotations

import importlib.util
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from actions.core.dates import YearMonth
from actions.core.plan_picture import is_plan_picture, month

WIDTH = 640  # logical pixels; drawn at SCALE for sharp text on phones
SCALE = 2
MAX_PHASES = 8
MAX_MONTHS = 240

INK = "#1d2733"
MUTED = "#4f5b69"
ACCENT = "#0b5f8a"
ESTIMATE_BG = "#dcecf5"
TODAY = "#b3261e"
WORK = "#17702f"
WORK_BAND = "#e3f4e8"
GRID = "#d5dbe1"
BACKGROUND = "#ffffff"

_SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _font_file(bold: bool) -> Path | None:
    """DejaVu Sans: shipped inside matplotlib (a Rasa dependency), else the system's copy."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    spec = importlib.util.find_spec("matplotlib")
    candidates = []
    if spec and spec.origin:
        candidates.append(Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf" / name)
    candidates.append(Path("/usr/share/fonts/truetype/dejavu") / name)
    return next((path for path in candidates if path.is_file()), None)


def _font(size: float, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = _font_file(bold)
    if path is not None:
        return ImageFont.truetype(str(path), round(size * SCALE))
    return ImageFont.load_default(round(size * SCALE))


def short(value: YearMonth) -> str:
    return f"{_SHORT_MONTHS[value.month - 1]} {value.year}"


@dataclass(frozen=True)
class _Bar:
    name: str
    when: str
    start: YearMonth
    end: YearMonth
    estimate: bool


@dataclass(frozen=True)
class _Picture:
    title: str
    first: YearMonth
    months: int  # columns on the axis, first month included, last month's start at the end
    today: YearMonth
    earliest: YearMonth
    latest: YearMonth
    bars: list[_Bar]


def _read(payload: dict[str, Any]) -> _Picture:
    """The payload checked and clamped; ValueError if it is not a usable plan picture."""
    if not is_plan_picture(payload):
        raise ValueError("not a plan picture payload")
    months = [
        month(payload.get(key))
        for key in ("today", "earliest_work", "latest_work", "first_month", "last_month")
    ]
    found = [m for m in months if m is not None]
    phases = payload.get("phases")
    if len(found) != len(months) or not isinstance(phases, list):
        raise ValueError("a plan picture needs today, earliest/latest work, months and phases")
    today, earliest, latest, first, last = found
    bars = []
    for phase in phases[:MAX_PHASES]:
        if not isinstance(phase, dict):
            raise ValueError(f"a phase must be an object, not {phase!r}")
        start, end = month(phase.get("start")), month(phase.get("end"))
        if start is None or end is None:
            raise ValueError(f"phase without start/end months: {phase!r}")
        name = str(phase.get("short") or phase.get("name") or "")[:60]
        bars.append(
            _Bar(name, str(phase.get("when") or "")[:60], start, end, bool(phase.get("estimate")))
        )
    span = first.months_until(last)
    if not 0 <= span <= MAX_MONTHS:
        raise ValueError(f"a plan picture spans 0-{MAX_MONTHS} months, not {span}")
    title = str(payload.get("title") or "Your plan")[:80]
    return _Picture(title, first, max(span, 1), today, earliest, latest, bars)


class _Canvas:
    """Pillow drawing in logical pixels (multiplied by SCALE)."""

    def __init__(self, height: int) -> None:
        self.image = Image.new("RGB", (WIDTH * SCALE, height * SCALE), BACKGROUND)
        self.draw = ImageDraw.Draw(self.image)

    def text(
        self,
        x: float,
        y: float,
        text: str,
        size: float,
        fill: str = INK,
        bold: bool = False,
        anchor: str = "la",
    ) -> None:
        self.draw.text(
            (x * SCALE, y * SCALE), text, font=_font(size, bold), fill=fill, anchor=anchor
        )

    def rect(
        self,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        fill: str | None,
        outline: str | None = None,
        width: float = 0,
    ) -> None:
        self.draw.rectangle(
            (x0 * SCALE, y0 * SCALE, x1 * SCALE - 1, y1 * SCALE - 1),
            fill=fill,
            outline=outline,
            width=round(width * SCALE),
        )

    def line(
        self,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        fill: str,
        width: float = 1,
        dash: float = 0,
    ) -> None:
        if not dash:
            self.draw.line(
                (x0 * SCALE, y0 * SCALE, x1 * SCALE, y1 * SCALE),
                fill=fill,
                width=round(width * SCALE),
            )
            return
        y = y0  # vertical dashes only: that is all the picture needs
        while y < y1:
            self.draw.line(
                (x0 * SCALE, y * SCALE, x1 * SCALE, min(y + dash, y1) * SCALE),
                fill=fill,
                width=round(width * SCALE),
            )
            y += 2 * dash

    def hatch(self, x0: float, y0: float, x1: float, y1: float, color: str, gap: float = 6) -> None:
        """Diagonal stripes inside a rectangle (the estimate pattern)."""
        stripes = Image.new("RGBA", self.image.size, (0, 0, 0, 0))
        pen = ImageDraw.Draw(stripes)
        height = y1 - y0
        offset = x0 - height
        while offset < x1:
            pen.line(
                ((offset) * SCALE, y1 * SCALE, (offset + height) * SCALE, y0 * SCALE),
                fill=color,
                width=round(1.5 * SCALE),
            )
            offset += gap
        mask = Image.new("L", self.image.size, 0)
        ImageDraw.Draw(mask).rectangle(
            (x0 * SCALE, y0 * SCALE, x1 * SCALE - 1, y1 * SCALE - 1), fill=255
        )
        self.image.paste(
            stripes, (0, 0), Image.composite(stripes, Image.new("RGBA", self.image.size), mask)
        )


# Layout, in logical pixels.
_LEFT, _RIGHT = 20, WIDTH - 20
_TITLE_H = 40
_MARKS_H = 36  # marker labels above the rows
_AXIS_H = 26
_ROW_H = 62
_BAR_H = 16
_LEGEND_H = 76


@dataclass(frozen=True)
class _Frame:
    """Where things go on the canvas for one picture."""

    picture: Any
    rows_top: float
    rows_bottom: float
    axis_y: float
    per_month: float

    def x(self, value: YearMonth) -> float:
        index = min(max(self.picture.first.months_until(value), 0), self.picture.months)
        return _LEFT + index * self.per_month


def render_png(payload: dict[str, Any]) -> bytes:
    """The plan picture as PNG bytes; ValueError for a payload that is not a plan picture."""
    picture = _read(payload)
    rows_top = _TITLE_H + _MARKS_H + _AXIS_H
    rows_bottom = rows_top + _ROW_H * len(picture.bars)
    canvas = _Canvas(rows_bottom + _LEGEND_H)
    frame = _Frame(
        picture, rows_top, rows_bottom, _TITLE_H + _MARKS_H, (_RIGHT - _LEFT) / picture.months
    )
    canvas.text(_LEFT, 12, picture.title, 17, bold=True)
    # The months the user could start working: a green band behind everything.
    canvas.rect(
        frame.x(picture.earliest),
        frame.axis_y,
        max(frame.x(picture.latest), frame.x(picture.earliest) + 2),
        rows_bottom,
        WORK_BAND,
    )
    _draw_axis(canvas, frame)
    _draw_bars(canvas, frame)
    _draw_markers(canvas, frame)
    _draw_legend(canvas, rows_bottom + 14)
    out = io.BytesIO()
    canvas.image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _estimate_box(canvas: _Canvas, x0: float, y0: float, x1: float, y1: float) -> None:
    canvas.rect(x0, y0, x1, y1, ESTIMATE_BG)
    canvas.hatch(x0, y0, x1, y1, ACCENT)
    canvas.rect(x0, y0, x1, y1, None, ACCENT, 1.5)


def _draw_axis(canvas: _Canvas, frame: _Frame) -> None:
    """A tick per month, a label per year (at January, or the first month)."""
    picture, axis_y = frame.picture, frame.axis_y
    free_from = float(_LEFT)  # where the last year label ends
    for index in range(picture.months + 1):
        when = picture.first.plus(index)
        tick_x = _LEFT + index * frame.per_month
        if when.month == 1 or index == 0:
            canvas.line(tick_x, axis_y, tick_x, frame.rows_bottom, GRID, 1)
            label = str(when.year) if when.month == 1 else short(when)
            if tick_x >= free_from and tick_x <= _RIGHT - 36:
                canvas.text(tick_x + 3, axis_y + 4, label, 12, MUTED)
                free_from = tick_x + 12 + 7.5 * len(label)
        canvas.line(tick_x, axis_y + 18, tick_x, axis_y + 24, GRID, 1)
    canvas.line(_LEFT, axis_y + 24, _RIGHT, axis_y + 24, MUTED, 1)


def _draw_bars(canvas: _Canvas, frame: _Frame) -> None:
    for number, bar in enumerate(frame.picture.bars):
        top = frame.rows_top + number * _ROW_H
        canvas.text(_LEFT, top + 4, f"{number + 1}. {bar.name}", 13, bold=True)
        canvas.text(
            _LEFT + 18, top + 22, bar.when + (" (estimate)" if bar.estimate else ""), 12, MUTED
        )
        x0, x1 = frame.x(bar.start), max(frame.x(bar.end), frame.x(bar.start) + 3)
        y0, y1 = top + 40, top + 40 + _BAR_H
        if bar.estimate:
            _estimate_box(canvas, x0, y0, x1, y1)
        else:
            canvas.rect(x0, y0, x1, y1, ACCENT)


def _draw_markers(canvas: _Canvas, frame: _Frame) -> None:
    """Today (red, dashed) and the earliest/latest month of work (green)."""
    picture, top, bottom = frame.picture, _TITLE_H, frame.rows_bottom
    today = frame.x(picture.today)
    canvas.line(today, top + 16, today, bottom, TODAY, 2, dash=4)
    canvas.text(today + 4, top, f"Today {short(picture.today)}", 12, TODAY, bold=True)
    for row, value in enumerate((picture.earliest, picture.latest)):
        canvas.line(frame.x(value), top + 16 + row * 16, frame.x(value), bottom, WORK, 2)
    earliest, latest = frame.x(picture.earliest), frame.x(picture.latest)
    label = f"Earliest work {short(picture.earliest)}"
    canvas.text(earliest - 4, top, label, 12, WORK, bold=True, anchor="ra")
    label = f"Latest work {short(picture.latest)}"
    canvas.text(min(latest - 4, _RIGHT), top + 16, label, 12, WORK, bold=True, anchor="ra")


def _draw_legend(canvas: _Canvas, legend_y: float) -> None:
    canvas.rect(_LEFT, legend_y, _LEFT + 26, legend_y + 14, ACCENT)
    canvas.text(_LEFT + 34, legend_y, "Length from the guide", 12)
    half = _LEFT + (_RIGHT - _LEFT) / 2
    _estimate_box(canvas, half, legend_y, half + 26, legend_y + 14)
    canvas.text(half + 34, legend_y, "Estimate (no figure in the guide)", 12)
    legend_y += 26
    canvas.rect(_LEFT, legend_y, _LEFT + 26, legend_y + 14, WORK_BAND, WORK, 1)
    canvas.text(_LEFT + 34, legend_y, "When you could be working as a CMA", 12)
