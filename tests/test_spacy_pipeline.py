"""Tests for tools/dev/build_spacy_pipeline.py and the pipeline it builds from data/spacy/."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import spacy
import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SPEC_DIR = PROJECT_ROOT / "data" / "spacy"

from tools.dev import build_spacy_pipeline as bsp  # noqa: E402


def _spec_version(spec_path: Path = SPEC_DIR / "pipeline.yml") -> str:
    return yaml.safe_load(spec_path.read_text(encoding="utf-8"))["version"]


def _copy_spec(dest: Path) -> Path:
    """A private copy of data/spacy/ that a test may modify; returns its pipeline.yml."""
    shutil.copytree(SPEC_DIR, dest)
    return dest / "pipeline.yml"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The pipeline built from the real data/spacy/ recipe into a temporary directory."""
    out_dir = tmp_path_factory.mktemp("spacy_out")
    assert bsp.main(["--out-dir", str(out_dir)]) == bsp.EXIT_OK
    path = out_dir / f"en_imgcma-{_spec_version()}"
    assert path.is_dir()
    return path


@pytest.fixture(scope="module")
def nlp(built):
    return spacy.load(built)


def _ents(nlp, text):
    return [(ent.text, ent.label_, ent.ent_id_) for ent in nlp(text).ents]


# ------------------------------------------------------------------------------------------
# Output location, loading, metadata
# ------------------------------------------------------------------------------------------


def test_pipeline_path_is_versioned():
    version = _spec_version()
    expected = PROJECT_ROOT / "build" / "spacy" / f"en_imgcma-{version}"
    assert bsp.pipeline_path(PROJECT_ROOT) == expected
    assert bsp.pipeline_path(PROJECT_ROOT, out_dir=Path("/x/y")) == Path(
        f"/x/y/en_imgcma-{version}"
    )


def test_spacy_load_and_meta(built, nlp):
    assert nlp.pipe_names == ["lemmatizer", "attribute_ruler", "entity_ruler"]
    assert nlp.lang == "en"
    assert nlp.meta["name"] == "imgcma"
    assert nlp.meta["version"] == _spec_version()
    assert spacy.util.is_compatible_version(spacy.__version__, nlp.meta["spacy_version"])
    record = bsp.read_build_record(built)
    assert record["content_hash"] == bsp.content_hash(record["inputs"])
    assert record["inputs"]["spacy"] == spacy.__version__
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


def test_lemma_table_is_stored_in_the_pipeline(built, nlp):
    # Loading must not depend on spacy-lookups-data: the table is serialised with the pipeline.
    assert (built / "lemmatizer" / "lookups" / "lookups.bin").is_file()
    lemmatizer = nlp.get_pipe("lemmatizer")
    assert lemmatizer.mode == "lookup"
    assert "lemma_lookup" in lemmatizer.lookups.tables
    assert len(lemmatizer.lookups.get_table("lemma_lookup")) > 10_000


# ------------------------------------------------------------------------------------------
# Lemmas and entities
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "word, lemma",
    [
        ("studying", "study"),
        ("programs", "program"),
        ("exams", "exam"),
        ("studies", "study"),
        ("was", "be"),
        ("months", "month"),
    ],
)
def test_lemmas(nlp, word, lemma):
    assert nlp(f"I keep {word} today")[2].lemma_ == lemma


def test_lookup_lemmas_are_case_sensitive(nlp):
    # spaCy's lookup lemmatizer looks up token.text as is; Rasa's SpacyNLP lowercases the text
    # first (case_sensitive: false), so in the bot lemmas come out right.
    assert nlp("Studying")[0].lemma_ == "Studying"
    assert nlp("studying")[0].lemma_ == "study"


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


# ------------------------------------------------------------------------------------------
# Build behaviour
# ------------------------------------------------------------------------------------------


def test_rebuild_is_up_to_date_and_fast(built, capsys):
    before = bsp.directory_digest(built)
    started = time.perf_counter()
    assert bsp.main(["--out-dir", str(built.parent)]) == bsp.EXIT_OK
    assert time.perf_counter() - started < 2
    assert "up to date" in capsys.readouterr().out
    assert bsp.directory_digest(built) == before


def test_build_is_deterministic(built, tmp_path):
    assert bsp.main(["--out-dir", str(tmp_path)]) == bsp.EXIT_OK
    again = tmp_path / built.name
    assert bsp.directory_digest(again) == bsp.directory_digest(built)
    assert sorted(p.name for p in tmp_path.iterdir()) == [built.name]  # no temp dirs left


def test_check_flag(built, tmp_path, capsys):
    assert bsp.main(["--out-dir", str(built.parent), "--check"]) == bsp.EXIT_OK
    assert bsp.main(["--out-dir", str(tmp_path / "none"), "--check"]) == bsp.EXIT_MISSING
    assert "has not been built yet" in capsys.readouterr().out
    assert not (tmp_path / "none").exists()


def test_changed_inputs_require_a_version_bump(tmp_path, capsys):
    spec_path = _copy_spec(tmp_path / "spacy")
    out_dir = tmp_path / "out"
    args = ["--spec", str(spec_path), "--out-dir", str(out_dir)]
    assert bsp.main(args) == bsp.EXIT_OK
    target = out_dir / f"en_imgcma-{_spec_version(spec_path)}"
    digest = bsp.directory_digest(target)

    patterns = spec_path.parent / "entity_patterns.jsonl"
    with patterns.open("a", encoding="utf-8") as f:
        f.write(
            json.dumps({"label": "credential_body", "pattern": [{"LOWER": "nhanow"}], "id": "nha"})
            + "\n"
        )
    capsys.readouterr()
    assert bsp.main(args) == bsp.EXIT_STALE
    err = capsys.readouterr().err
    assert "different inputs" in err and "entity_patterns" in err
    assert "Bump `version`" in err and "config.yml" in err
    assert bsp.directory_digest(target) == digest  # untouched
    assert bsp.main([*args, "--check"]) == bsp.EXIT_STALE

    text = spec_path.read_text(encoding="utf-8")
    old = _spec_version(spec_path)
    spec_path.write_text(text.replace(f'version: "{old}"', 'version: "9.9.9"'), encoding="utf-8")
    assert bsp.main(args) == bsp.EXIT_OK
    bumped = spacy.load(out_dir / "en_imgcma-9.9.9")
    assert _ents(bumped, "is nhanow required") == [("nhanow", "credential_body", "nha")]


def test_foreign_directory_is_refused(tmp_path, capsys):
    (tmp_path / f"en_imgcma-{_spec_version()}").mkdir()
    assert bsp.main(["--out-dir", str(tmp_path)]) == bsp.EXIT_STALE
    assert "no build record" in capsys.readouterr().err


def test_invalid_pattern_leaves_nothing_behind(tmp_path, capsys):
    spec_path = _copy_spec(tmp_path / "spacy")
    with (spec_path.parent / "entity_patterns.jsonl").open("a", encoding="utf-8") as f:
        f.write(json.dumps({"label": "x", "pattern": [{"LOWERR": "typo"}]}) + "\n")
    out_dir = tmp_path / "out"
    assert bsp.main(["--spec", str(spec_path), "--out-dir", str(out_dir)]) == bsp.EXIT_INVALID
    assert "invalid pattern" in capsys.readouterr().err
    assert not out_dir.exists() or not any(out_dir.iterdir())


@pytest.mark.parametrize(
    "old, new, message",
    [
        ('version: "{version}"', "version: 1.0", "quoted semantic version"),
        ("name: en_imgcma", "name: En-IMG", "'name' must match"),
        ("[next, this, in,", "[next, this, on, in,", "quote those words"),
        ("patterns: entity_patterns.jsonl", "patterns: missing.jsonl", "not found"),
    ],
)
def test_invalid_spec(tmp_path, capsys, old, new, message):
    spec_path = _copy_spec(tmp_path / "spacy")
    text = spec_path.read_text(encoding="utf-8")
    old = old.format(version=_spec_version(spec_path))
    assert old in text
    spec_path.write_text(text.replace(old, new, 1), encoding="utf-8")
    code = bsp.main(["--spec", str(spec_path), "--out-dir", str(tmp_path / "out")])
    assert code == bsp.EXIT_INVALID
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_script_runs_standalone(built):
    # As `make spacy` runs it: `.venv/bin/python -m tools.dev.build_spacy_pipeline` from the root.
    # (The up-to-date/--check paths do not import spaCy, so this is quick.)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tools.dev.build_spacy_pipeline",
            "--out-dir",
            str(built.parent),
            "--check",
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout


def test_config_yml_points_at_current_version():
    config = PROJECT_ROOT / "config.yml"
    if not config.is_file():
        pytest.skip("no config.yml yet")
    pipeline = (yaml.safe_load(config.read_text(encoding="utf-8")) or {}).get("pipeline") or []
    models = [
        c.get("model") for c in pipeline if isinstance(c, dict) and c.get("name") == "SpacyNLP"
    ]
    if not models:
        pytest.skip("config.yml has no SpacyNLP component")
    expected = bsp.pipeline_path(PROJECT_ROOT).relative_to(PROJECT_ROOT).as_posix()
    assert models[0] == expected, (
        "SpacyNLP `model:` in config.yml must match data/spacy/pipeline.yml's version"
    )


# ------------------------------------------------------------------------------------------
# Through Rasa's own component
# ------------------------------------------------------------------------------------------


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
    assert [t.lemma_ for t in doc][:3] == ["be", "a", "caahep"]
