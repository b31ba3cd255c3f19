"""The figures behind the personal timeline: data/content/timeline.yml, loaded and validated."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, NoReturn

import yaml

# The programs the file must give lengths for; actions.core.timeline.PROGRAMS names the same
# ones (a test keeps the two in step).
_PROGRAM_KEYS = ("certificate", "associate")


@dataclass(frozen=True)
class Duration:
    """A phase length in whole months, and where the numbers come from."""

    shortest: int
    longest: int
    source: str | None = None
    assumption: str | None = None

    @property
    def is_assumption(self) -> bool:
        return self.assumption is not None


@dataclass(frozen=True)
class Factor:
    """A multiplier (part-time study), kept exact so rounding up is never off by one."""

    value: Fraction
    source: str | None = None
    assumption: str | None = None


@dataclass(frozen=True)
class Figures:
    """The numbers in data/content/timeline.yml, validated."""

    programs: Mapping[str, Duration]
    whole_path_years: tuple[Fraction, Fraction]
    documents_not_ready: Duration
    documents_ready: Duration
    exam: Duration
    job_search: Duration
    part_time: Factor
    seasons: Mapping[str, int]
    far_start_months: int

    @property
    def whole_path_months(self) -> tuple[int, int]:
        """The guide's whole-path range in months (1.5-2.5 years is 18-30)."""
        low, high = self.whole_path_years
        return math.floor(low * 12), math.ceil(high * 12)


@dataclass(frozen=True)
class _At:
    """Where in the figures file a value sits, so errors name the bad key."""

    path: Path
    key: str = ""

    def child(self, name: str) -> _At:
        return _At(self.path, f"{self.key}.{name}" if self.key else name)

    def fail(self, problem: str) -> NoReturn:
        raise ValueError(f"{self.path}: {self.key or 'top level'}: {problem}")


_TOP_KEYS = {
    "program_months",
    "whole_path_years",
    "documents_months",
    "exam_months",
    "job_search_months",
    "part_time_factor",
    "season_months",
    "far_start_months",
}
_BASIS_KEYS = {"source", "assumption"}


def load_figures(path: Path) -> Figures:
    """Read and validate the timeline figures; a ValueError names any bad key."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ValueError(f"{path}: not valid YAML: {error}") from error
    at = _At(Path(path))
    root = _mapping(data, at, required=_TOP_KEYS)
    programs_at = at.child("program_months")
    programs = _mapping(root["program_months"], programs_at, required=set(_PROGRAM_KEYS))
    documents_at = at.child("documents_months")
    documents = _mapping(root["documents_months"], documents_at, required={"not_ready", "ready"})
    whole_at = at.child("whole_path_years")
    whole = _mapping(root["whole_path_years"], whole_at, required={"min", "max"}, basis=True)
    low, high = (_number(whole[key], whole_at.child(key)) for key in ("min", "max"))
    if low > high:
        whole_at.child("min").fail(f"min ({whole['min']}) is greater than max ({whole['max']})")
    part_at = at.child("part_time_factor")
    part = _mapping(root["part_time_factor"], part_at, required={"value"}, basis=True)
    factor = _number(part["value"], part_at.child("value"))
    if factor < 1:
        part_at.child("value").fail(f"must be at least 1 (part-time is not faster), got {factor}")
    far_at = at.child("far_start_months")
    far = _mapping(root["far_start_months"], far_at, required={"value"}, basis=True)
    return Figures(
        programs={
            name: _duration(programs[name], programs_at.child(name), minimum=1)
            for name in _PROGRAM_KEYS
        },
        whole_path_years=(low, high),
        documents_not_ready=_duration(documents["not_ready"], documents_at.child("not_ready")),
        documents_ready=_duration(documents["ready"], documents_at.child("ready")),
        exam=_duration(root["exam_months"], at.child("exam_months")),
        job_search=_duration(root["job_search_months"], at.child("job_search_months")),
        part_time=Factor(factor, *_basis(part, part_at)),
        seasons=_seasons(root["season_months"], at.child("season_months")),
        far_start_months=_whole(far["value"], far_at.child("value"), minimum=1),
    )


def _mapping(node: Any, at: _At, *, required: set[str], basis: bool = False) -> dict[str, Any]:
    """A mapping with exactly the expected keys; unknown keys are typos, so they fail too."""
    if not isinstance(node, dict):
        at.fail(f"expected a mapping, got {type(node).__name__}")
    allowed = required | (_BASIS_KEYS if basis else set())
    for key in node:
        if key not in allowed:
            at.child(str(key)).fail(f"unknown key; expected {', '.join(sorted(allowed))}")
    for key in sorted(required - node.keys()):
        at.child(key).fail("missing")
    if basis:
        _basis(node, at)
    return node


def _basis(node: Mapping[str, Any], at: _At) -> tuple[str | None, str | None]:
    """(source, assumption): every figure says where it comes from, in exactly one way."""
    given = [key for key in ("source", "assumption") if key in node]
    if len(given) != 1:
        at.fail("needs exactly one of 'source' (from the guide) or 'assumption' (with a reason)")
    text = node[given[0]]
    if not isinstance(text, str) or not text.strip():
        at.child(given[0]).fail("must be a non-empty line of text")
    return (text.strip(), None) if given[0] == "source" else (None, text.strip())


def _whole(node: Any, at: _At, *, minimum: int = 0) -> int:
    # bool is an int subclass; "yes" in YAML must not become 1 month.
    if isinstance(node, bool) or not isinstance(node, int):
        at.fail(f"expected a whole number, got {node!r}")
    if node < minimum:
        at.fail(f"must be at least {minimum}, got {node}")
    return node


def _number(node: Any, at: _At) -> Fraction:
    if isinstance(node, bool) or not isinstance(node, int | float) or not math.isfinite(node):
        at.fail(f"expected a number, got {node!r}")
    if node <= 0:
        at.fail(f"must be positive, got {node}")
    # Via str, so 1.1 is exactly 11/10 rather than the nearest binary float.
    return Fraction(str(node))


def _duration(node: Any, at: _At, *, minimum: int = 0) -> Duration:
    fields = _mapping(node, at, required={"min", "max"}, basis=True)
    shortest = _whole(fields["min"], at.child("min"), minimum=minimum)
    longest = _whole(fields["max"], at.child("max"), minimum=minimum)
    if shortest > longest:
        at.child("min").fail(f"min ({shortest}) is greater than max ({longest})")
    return Duration(shortest, longest, *_basis(fields, at))


def _seasons(node: Any, at: _At) -> dict[str, int]:
    fields = _mapping(node, at, required={"months"}, basis=True)
    months_at = at.child("months")
    if not isinstance(fields["months"], dict) or not fields["months"]:
        months_at.fail("expected a non-empty mapping of season word to month number")
    seasons: dict[str, int] = {}
    for word, month in fields["months"].items():
        if not isinstance(word, str) or not word.strip():
            months_at.fail(f"season {word!r} must be a word")
        seasons[word.strip().lower()] = _whole(month, months_at.child(word), minimum=1)
        if month > 12:
            months_at.child(word).fail(f"month must be 1-12, got {month}")
    return seasons
