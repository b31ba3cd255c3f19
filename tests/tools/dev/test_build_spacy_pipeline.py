"""tools/dev/build_spacy_pipeline.py and the pipeline it builds from data/spacy/."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import spacy
import yaml

from tests.conftest import ROOT
from tools.dev import build_spacy_pipeline as bsp

SPEC_DIR = ROOT / "data" / "spacy"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The pipeline built from the real recipe into a temporary directory."""
    out_dir = tmp_path_factory.mktemp("spacy_out")
    assert bsp.main(["--out-dir", str(out_dir)]) == bsp.EXIT_OK
    [path] = out_dir.iterdir()
    return path


@pytest.fixture(scope="module")
def nlp(built: Path):
    return spacy.load(built)


def _ents(nlp, text: str) -> list[tuple[str, str, str]]:
    return [(ent.text, ent.label_, ent.ent_id_) for ent in nlp(text).ents]


def _recipe_copy(tmp_path: Path) -> Path:
    """A private copy of data/spacy/ that a test may change; returns its pipeline.yml."""
    shutil.copytree(SPEC_DIR, tmp_path / "spacy")
    return tmp_path / "spacy" / "pipeline.yml"


def test_the_pipeline_is_two_rule_steps(nlp) -> None:
    assert nlp.pipe_names == ["attribute_ruler", "entity_ruler"]
    assert set(nlp.get_pipe("entity_ruler").labels) == {
        "program_type",
        "study_pace",
        "credential_body",
        "exam_name",
        "duration",
        "month",
        "year",
        "season",
    }


ENTITY_CASES = [
    (
        "I want to start a certificate program part time in March 2027",
        [
            ("certificate program", "program_type", "certificate"),
            ("part time", "study_pace", "part_time"),
            ("March", "month", "march"),
            ("2027", "year", ""),
        ],
    ),
    (
        "is my WES evaluation needed for CAAHEP programs",
        [("WES", "credential_body", "wes"), ("CAAHEP", "credential_body", "caahep")],
    ),
    (
        "associates degree takes 18-24 months",
        [("associates degree", "program_type", "associate"), ("18-24 months", "duration", "")],
    ),
    ("you may be eligible", []),
    ("this may take a while", []),
    (
        "I passed USMLE Step 1 and Step 2 CK, now the CMA (AAMA) exam or NCLEX-PN",
        [
            ("USMLE Step 1", "exam_name", "usmle_step_1"),
            ("Step 2 CK", "exam_name", "usmle_step_2_ck"),
            ("CMA (AAMA) exam", "exam_name", "cma_aama"),
            ("NCLEX-PN", "exam_name", "nclex_pn"),
        ],
    ),
    (
        "NCLEX-RN or just the NCLEX, and my ECFMG and ABHES and AAMA questions",
        [
            ("NCLEX-RN", "exam_name", "nclex_rn"),
            ("NCLEX", "exam_name", "nclex"),
            ("ECFMG", "credential_body", "ecfmg"),
            ("ABHES", "credential_body", "abhes"),
            ("AAMA", "credential_body", "aama"),
        ],
    ),
    (
        "World Education Services said two years, or 9 months, or 18 to 24 months",
        [
            ("World Education Services", "credential_body", "wes"),
            ("two years", "duration", ""),
            ("9 months", "duration", ""),
            ("18 to 24 months", "duration", ""),
        ],
    ),
    (
        "an AAS or associate of applied science or associate's, maybe a diploma or cert",
        [
            ("AAS", "program_type", "associate"),
            ("associate of applied science", "program_type", "associate"),
            ("associate's", "program_type", "associate"),
            ("diploma", "program_type", "certificate"),
            ("cert", "program_type", "certificate"),
        ],
    ),
    (
        "full-time or fulltime or full time, part-time, evenings, weekends, evening classes",
        [
            ("full-time", "study_pace", "full_time"),
            ("fulltime", "study_pace", "full_time"),
            ("full time", "study_pace", "full_time"),
            ("part-time", "study_pace", "part_time"),
            ("evenings", "study_pace", "part_time"),
            ("weekends", "study_pace", "part_time"),
            ("evening classes", "study_pace", "part_time"),
        ],
    ),
    (
        "Certifcate progam, ful time, assosiate's degree",
        [
            ("Certifcate progam", "program_type", "certificate"),
            ("ful time", "study_pace", "full_time"),
            ("assosiate's degree", "program_type", "associate"),
        ],
    ),
    (
        "I may apply in May or from may 2026, since May, not in 1999 or 2050",
        [
            ("May", "month", "may"),
            ("may", "month", "may"),
            ("2026", "year", ""),
            ("May", "month", "may"),
        ],
    ),
    (
        "Sept 2025 or Jan 2026",
        [
            ("Sept", "month", "september"),
            ("2025", "year", ""),
            ("Jan", "month", "january"),
            ("2026", "year", ""),
        ],
    ),
    (
        "next fall, in the spring, autumn 2026 or the summer semester; this coming winter",
        [
            ("fall", "season", "fall"),
            ("spring", "season", "spring"),
            ("autumn", "season", "fall"),
            ("2026", "year", ""),
            ("summer", "season", "summer"),
            ("winter", "season", "winter"),
        ],
    ),
    ("prices fall, spring is nice and summer ends", []),
]


@pytest.mark.parametrize("text, expected", ENTITY_CASES, ids=[c[0][:40] for c in ENTITY_CASES])
def test_entities(nlp, text, expected):
    assert _ents(nlp, text) == expected


@pytest.mark.parametrize("text, expected", ENTITY_CASES, ids=[c[0][:40] for c in ENTITY_CASES])
def test_entities_lowercased_like_rasa(nlp, text, expected):
    # Rasa's SpacyNLP lowercases messages before spaCy sees them (case_sensitive: false).
    assert _ents(nlp, text.lower()) == [(t.lower(), label, i) for t, label, i in expected]


def test_abbreviated_month_with_period(nlp):
    # "Jan." is one token (a spaCy tokenizer exception); lowercased "jan." is split.
    assert _ents(nlp, "from Jan. 2026") == [("Jan.", "month", "january"), ("2026", "year", "")]
    assert _ents(nlp, "from jan. 2026") == [("jan", "month", "january"), ("2026", "year", "")]


def test_modal_may_is_never_a_month(nlp):
    for text in [
        "you may be eligible",
        "You May be eligible",
        "May I apply?",
        "early may be better",
        "this may take two years",
    ]:
        assert "month" not in {ent.label_ for ent in nlp(text).ents}, text


def test_a_rebuild_of_the_same_recipe_is_up_to_date(built: Path, capsys) -> None:
    assert bsp.main(["--out-dir", str(built.parent)]) == bsp.EXIT_OK
    assert "up to date" in capsys.readouterr().out
    assert bsp.main(["--out-dir", str(built.parent), "--check"]) == bsp.EXIT_OK


def test_check_reports_a_missing_build(tmp_path: Path) -> None:
    assert bsp.main(["--out-dir", str(tmp_path), "--check"]) == bsp.EXIT_MISSING
    assert not any(tmp_path.iterdir())


def test_a_changed_recipe_needs_a_new_version(built: Path, tmp_path: Path, capsys) -> None:
    recipe = _recipe_copy(tmp_path)
    out = ["--recipe", str(recipe), "--out-dir", str(built.parent)]
    with recipe.parent.joinpath("entity_patterns.jsonl").open("a", encoding="utf-8") as f:
        f.write('{"label": "exam_name", "pattern": "rma exam", "id": "rma"}\n')
    assert bsp.main(out) == bsp.EXIT_STALE
    assert "new `version`" in capsys.readouterr().err
    bumped = recipe.read_text(encoding="utf-8").replace('version: "2.0.0"', 'version: "9.9.9"')
    recipe.write_text(bumped, encoding="utf-8")
    assert bsp.main(out) == bsp.EXIT_OK
    assert _ents(spacy.load(built.parent / "en_imgcma-9.9.9"), "the rma exam") == [
        ("rma exam", "exam_name", "rma")
    ]


def test_comments_are_not_changes(built: Path, tmp_path: Path) -> None:
    recipe = _recipe_copy(tmp_path)
    recipe.write_text("# a new comment\n" + recipe.read_text(encoding="utf-8"), encoding="utf-8")
    assert bsp.main(["--recipe", str(recipe), "--out-dir", str(built.parent)]) == bsp.EXIT_OK


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("{not json", "entity_patterns.jsonl:69"),
        ('{"label": "x", "pattern": [{"NOPE": 1}]}', "invalid pattern"),
    ],
)
def test_a_bad_pattern_is_named_and_nothing_is_written(
    tmp_path: Path, capsys, line: str, says: str
) -> None:
    recipe = _recipe_copy(tmp_path)
    with recipe.parent.joinpath("entity_patterns.jsonl").open("a", encoding="utf-8") as f:
        f.write(line + "\n")
    out = tmp_path / "out"
    assert bsp.main(["--recipe", str(recipe), "--out-dir", str(out)]) == bsp.EXIT_INVALID
    assert says in capsys.readouterr().err
    assert not out.exists() or not any(out.iterdir())


def test_config_yml_loads_the_current_version() -> None:
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    [model] = [c["model"] for c in config["pipeline"] if c["name"] == "SpacyNLP"]
    recipe, _ = bsp.load_recipe()
    assert model == bsp.pipeline_path(recipe).relative_to(ROOT).as_posix()


def test_make_spacy_runs_the_module(built: Path) -> None:
    assert "python -m tools.dev.build_spacy_pipeline" in (ROOT / "Makefile").read_text()
    result = subprocess.run(
        [sys.executable, "-m", "tools.dev.build_spacy_pipeline", "--out-dir", str(built.parent)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout


def test_loads_through_rasa_spacynlp(built):
    spacy_utils = pytest.importorskip("rasa.nlu.utils.spacy_utils")
    from rasa.shared.nlu.training_data.message import Message

    SpacyNLP = spacy_utils.SpacyNLP
    model = SpacyNLP.load_model(str(built))
    SpacyNLP.ensure_proper_language_model(model.model)
    component = SpacyNLP(model, {**SpacyNLP.get_default_config(), "model": str(built)})
    message = Message.build(text="Is a CAAHEP Certificate Program OK if I start in May 2027?")
    component.process([message], model)
    doc = message.get("text_spacy_doc")
    assert doc.text == message.get("text").lower()
    assert [(e.text, e.label_, e.ent_id_) for e in doc.ents] == [
        ("caahep", "credential_body", "caahep"),
        ("certificate program", "program_type", "certificate"),
        ("may", "month", "may"),
        ("2027", "year", ""),
    ]


def test_a_fresh_clone_without_a_build_folder_builds(tmp_path: Path) -> None:
    out_dir = tmp_path / "build" / "spacy"  # neither folder exists yet, as on a fresh clone
    assert bsp.main(["--out-dir", str(out_dir)]) == bsp.EXIT_OK
    assert [p.name for p in out_dir.iterdir() if not p.name.startswith(".")]
