"""The timeline figures file: the real numbers and the validation of broken files."""

import re
from pathlib import Path

import pytest

from actions.core.figures import Figures, load_figures
from actions.core.timeline import PROGRAMS

ROOT = Path(__file__).resolve().parents[2]
FIGURES_FILE = ROOT / "data" / "content" / "timeline.yml"
FIXTURES = ROOT / "tests" / "fixtures"
FAQ = "How long does the whole process typically take?"


@pytest.fixture(scope="module")
def figures() -> Figures:
    return load_figures(FIGURES_FILE)


def test_figures_cover_exactly_the_plannable_programs(figures: Figures) -> None:
    assert tuple(figures.programs) == PROGRAMS


def test_real_figures_match_the_guide_faq(figures: Figures) -> None:
    certificate, associate = figures.programs["certificate"], figures.programs["associate"]
    assert (certificate.shortest, certificate.longest) == (9, 12)
    assert (associate.shortest, associate.longest) == (18, 24)
    assert figures.whole_path_years == (1.5, 2.5)
    assert figures.whole_path_months == (18, 30)
    for duration in (certificate, associate):
        assert duration.source is not None and FAQ in duration.source
        assert duration.assumption is None


def test_guide_faq_really_says_so(guide_text: str) -> None:
    faq = next(line for line in guide_text.splitlines() if FAQ in line)
    for figure in ("9-12 months", "18-24 months", "1.5 to 2.5 years"):
        assert figure in faq


def test_real_figures_assumptions(figures: Figures) -> None:
    for duration, expected in (
        (figures.documents_not_ready, (3, 6)),
        (figures.documents_ready, (1, 2)),
        (figures.exam, (3, 6)),
        (figures.job_search, (3, 6)),
    ):
        assert (duration.shortest, duration.longest) == expected
        assert duration.is_assumption and duration.source is None
    assert figures.part_time.value == 1.5 and figures.part_time.assumption
    assert figures.seasons == {"fall": 9, "autumn": 9, "spring": 1, "summer": 6, "winter": 1}
    assert figures.far_start_months == 36


@pytest.mark.parametrize(
    ("fixture", "bad_key"),
    [
        ("timeline_min_above_max.yml", "program_months.certificate.min"),
        ("timeline_missing_source.yml", "program_months.associate.note"),
        ("timeline_bad_season.yml", "season_months.months.summer"),
        ("timeline_missing_phase.yml", "job_search_months"),
        ("timeline_not_a_number.yml", "part_time_factor.value"),
        ("timeline_bool_months.yml", "exam_months.min"),
        ("timeline_not_mapping.yml", "top level"),
        ("timeline_not_yaml.yml", "not valid YAML"),
    ],
)
def test_load_figures_rejects_broken_files(fixture: str, bad_key: str) -> None:
    with pytest.raises(ValueError, match=re.escape(bad_key)):
        load_figures(FIXTURES / fixture)


def test_load_figures_needs_a_source_or_an_assumption(tmp_path: Path) -> None:
    text = FIGURES_FILE.read_text(encoding="utf-8")
    assumption = "  assumption: The guide gives no duration for the job search"
    assert assumption in text
    broken = tmp_path / "timeline.yml"
    broken.write_text(text.replace(assumption, "  # (reason deleted)"), encoding="utf-8")
    with pytest.raises(ValueError, match="job_search_months: needs exactly one of"):
        load_figures(broken)
