#!/usr/bin/env python3
"""Build the project's own spaCy pipeline for Rasa's ``SpacyNLP`` component.

The recipe lives in ``data/spacy/pipeline.yml`` (name, version, context rules) and
``data/spacy/entity_patterns.jsonl`` (EntityRuler patterns). The result is a plain spaCy
pipeline directory, loadable with ``spacy.load(path)``, made of:

    tokenizer (blank "en") -> lemmatizer (lookup mode) -> attribute_ruler -> entity_ruler

* The lemmatizer's ``lemma_lookup`` table comes from the installed spacy-lookups-data package
  and is saved inside the pipeline, so loading it needs neither a download nor that package.
* The attribute_ruler applies the ``context_rules`` from pipeline.yml: it gives a capitalised
  NORM to words that are dates only in context ("in May" vs. "you may"), and the entity_ruler
  patterns match on that NORM.

The pipeline is written to ``<out-dir>/<name>-<version>/`` (default
``build/spacy/en_imgcma-1.0.0``). The version is in the path because Rasa caches the loaded
spaCy model by the ``model:`` string only. A content hash of the inputs is stored in the
pipeline's meta.json: rebuilding with unchanged inputs is a no-op ("up to date"), and a
changed input with an unchanged version is refused, so the operator bumps ``version`` in
pipeline.yml and the ``model:`` path in config.yml.

Usage (from the project root):

    .venv/bin/python -m tools.dev.build_spacy_pipeline            # build if needed
    .venv/bin/python -m tools.dev.build_spacy_pipeline --check    # only verify, exit 0/1/2

Relative ``--spec``/``--out-dir`` paths are taken relative to the project root (the parent of
this script's directory, or ``--project-root``), like the ``model:`` path in config.yml.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SPEC = Path("data/spacy/pipeline.yml")
DEFAULT_OUT_DIR = Path("build/spacy")

# Bump when the way the pipeline is assembled in build_nlp() changes in a way that changes
# its output; it is part of the content hash.
RECIPE_VERSION = 1
# Key of our build record inside the pipeline's meta.json.
META_KEY = "imgcma_build"

EXIT_OK = 0
EXIT_MISSING = 1  # --check only: the pipeline has not been built yet
EXIT_STALE = 2  # the output exists but was built from other inputs
EXIT_INVALID = 3  # bad pipeline.yml / patterns file / environment

SPEC_KEYS = {"version", "name", "lang", "patterns", "context_rules"}
VERSION_RE = re.compile(r"^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]+)?$")
NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
LANG_RE = re.compile(r"^[a-z]{2,3}$")


class BuildError(Exception):
    """A problem the operator has to fix; ``exit_code`` is what the CLI returns."""

    def __init__(self, message: str, exit_code: int = EXIT_INVALID) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class PipelineSpec:
    """The parsed ``pipeline.yml``."""

    spec_path: Path
    name: str
    version: str
    lang: str
    patterns_path: Path
    context_rules: list[dict[str, Any]] = field(default_factory=list)

    @property
    def dir_name(self) -> str:
        return f"{self.name}-{self.version}"

    @property
    def meta_name(self) -> str:
        """spaCy's meta "name" excludes the language prefix (spacy package adds it back)."""
        prefix = f"{self.lang}_"
        return self.name[len(prefix) :] if self.name.startswith(prefix) else self.name


# --------------------------------------------------------------------------------------
# Reading and validating the inputs (no spaCy import: keeps the up-to-date path fast)
# --------------------------------------------------------------------------------------


def _resolve(path: Path, root: Path) -> Path:
    path = Path(path).expanduser()
    return path if path.is_absolute() else root / path


def _display(path: Path, root: Path = PROJECT_ROOT) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def _check_no_yaml_booleans(value: Any, where: str) -> None:
    """Reject booleans in IN/NOT_IN lists: YAML 1.1 reads on/off/yes/no/y/n as booleans."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("IN", "NOT_IN") and isinstance(item, list):
                bad = [x for x in item if isinstance(x, bool)]
                if bad:
                    raise BuildError(
                        f"{where}: {key} list contains the boolean(s) {bad}; YAML reads "
                        "on/off/yes/no/y/n as booleans - quote those words."
                    )
            _check_no_yaml_booleans(item, where)
    elif isinstance(value, list):
        for item in value:
            _check_no_yaml_booleans(item, where)


def _check_token_patterns(patterns: Any, where: str) -> None:
    if not isinstance(patterns, list) or not patterns:
        raise BuildError(f"{where}: 'patterns' must be a non-empty list of token patterns")
    for pattern in patterns:
        if not isinstance(pattern, list) or not pattern:
            raise BuildError(f"{where}: each pattern must be a non-empty list of token dicts")
        if not all(isinstance(token, dict) for token in pattern):
            raise BuildError(f"{where}: each token in a pattern must be a mapping")
    _check_no_yaml_booleans(patterns, where)


def load_spec(spec_path: Path) -> PipelineSpec:
    """Parse and validate ``pipeline.yml``."""
    spec_path = Path(spec_path)
    if not spec_path.is_file():
        raise BuildError(f"pipeline spec not found: {spec_path}")
    try:
        data = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise BuildError(f"{spec_path}: invalid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise BuildError(f"{spec_path}: expected a mapping at the top level")
    unknown = sorted(k for k in data if k not in SPEC_KEYS and not str(k).startswith("x-"))
    if unknown:
        raise BuildError(
            f"{spec_path}: unknown key(s) {unknown}; allowed: {sorted(SPEC_KEYS)} "
            "(and x-* keys for YAML anchors)"
        )

    version = data.get("version")
    if not isinstance(version, str) or not VERSION_RE.match(version):
        raise BuildError(
            f"{spec_path}: 'version' must be a quoted semantic version such as \"1.0.0\" "
            f"(got {version!r})"
        )
    name = data.get("name")
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise BuildError(
            f"{spec_path}: 'name' must match {NAME_RE.pattern} such as en_imgcma (got {name!r})"
        )
    lang = data.get("lang", "en")
    if not isinstance(lang, str) or not LANG_RE.match(lang):
        raise BuildError(f"{spec_path}: 'lang' must be a language code such as en (got {lang!r})")
    patterns = data.get("patterns")
    if not isinstance(patterns, str) or not patterns:
        raise BuildError(f"{spec_path}: 'patterns' must name the entity patterns file")
    patterns_path = _resolve(Path(patterns), spec_path.parent)
    if not patterns_path.is_file():
        raise BuildError(f"{spec_path}: patterns file not found: {patterns_path}")

    rules = data.get("context_rules") or []
    if not isinstance(rules, list):
        raise BuildError(f"{spec_path}: 'context_rules' must be a list")
    for number, rule in enumerate(rules, start=1):
        where = f"{spec_path}: context_rules[{number}]"
        if not isinstance(rule, dict) or set(rule) - {"patterns", "attrs", "index"}:
            raise BuildError(f"{where}: expected a mapping with patterns, attrs and index")
        _check_token_patterns(rule.get("patterns"), where)
        if not isinstance(rule.get("attrs"), dict) or not rule["attrs"]:
            raise BuildError(f"{where}: 'attrs' must be a non-empty mapping")
        if not isinstance(rule.get("index", 0), int) or isinstance(rule.get("index"), bool):
            raise BuildError(f"{where}: 'index' must be an integer")

    return PipelineSpec(
        spec_path=spec_path,
        name=name,
        version=version,
        lang=lang,
        patterns_path=patterns_path,
        context_rules=rules,
    )


def load_entity_patterns(path: Path) -> list[dict[str, Any]]:
    """Read the EntityRuler JSONL file, with line numbers in error messages."""
    patterns = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BuildError(f"{where}: invalid JSON: {exc}") from None
        if not isinstance(entry, dict) or set(entry) - {"label", "pattern", "id"}:
            raise BuildError(f"{where}: expected an object with label, pattern and optional id")
        if not isinstance(entry.get("label"), str) or not entry["label"]:
            raise BuildError(f"{where}: 'label' must be a non-empty string")
        if "id" in entry and (not isinstance(entry["id"], str) or not entry["id"]):
            raise BuildError(f"{where}: 'id' must be a non-empty string")
        pattern = entry.get("pattern")
        if isinstance(pattern, list):
            _check_token_patterns([pattern], where)
        elif not isinstance(pattern, str) or not pattern:
            raise BuildError(f"{where}: 'pattern' must be a token pattern list or a phrase")
        patterns.append(entry)
    if not patterns:
        raise BuildError(f"{path}: no patterns found")
    return patterns


def _package_version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        raise BuildError(
            f"the Python package {dist!r} is not installed in this environment "
            f"({sys.executable}); install the project's requirements first"
        ) from None


def _sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_inputs(spec: PipelineSpec) -> dict[str, str]:
    """What the content hash is made of."""
    return {
        "pipeline.yml": _sha256_file(spec.spec_path),
        "entity_patterns": _sha256_file(spec.patterns_path),
        "spacy": _package_version("spacy"),
        "spacy-lookups-data": _package_version("spacy-lookups-data"),
        "recipe": str(RECIPE_VERSION),
    }


def content_hash(inputs: dict[str, str]) -> str:
    canonical = json.dumps(inputs, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def pipeline_path(
    project_root: Path,
    out_dir: Path | None = None,
    spec_path: Path | None = None,
) -> Path:
    """Where the pipeline for the current pipeline.yml version is (or will be) built.

    With the defaults this is ``<project_root>/build/spacy/<name>-<version>``; config.yml's
    SpacyNLP ``model:`` should be that path relative to the project root.
    """
    project_root = Path(project_root)
    spec = load_spec(_resolve(spec_path or DEFAULT_SPEC, project_root))
    return _resolve(out_dir or DEFAULT_OUT_DIR, project_root) / spec.dir_name


def read_build_record(path: Path) -> dict[str, Any] | None:
    """Our build record from ``<path>/meta.json``, or None if there is none."""
    try:
        meta = json.loads((Path(path) / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    record = meta.get(META_KEY) if isinstance(meta, dict) else None
    return record if isinstance(record, dict) and "content_hash" in record else None


def directory_digest(path: Path) -> str:
    """sha256 over the relative paths and bytes of all files below ``path``."""
    path = Path(path)
    digest = hashlib.sha256()
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        digest.update(file.relative_to(path).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


def _next_patch(version: str) -> str:
    major, minor, patch = re.match(r"^(\d+)\.(\d+)\.(\d+)", version).groups()
    return f"{major}.{minor}.{int(patch) + 1}"


def _stale_message(
    spec: PipelineSpec,
    target: Path,
    record: dict[str, Any] | None,
    inputs: dict[str, str],
    new_hash: str,
) -> str:
    if record is None:
        why = (
            "exists but has no build record in meta.json (not built by this script, or an "
            "interrupted/foreign directory)"
        )
    else:
        old_inputs = record.get("inputs") or {}
        changed = sorted(
            k for k in set(inputs) | set(old_inputs) if inputs.get(k) != old_inputs.get(k)
        )
        why = (
            f"was built from different inputs (content hash {str(record['content_hash'])[:12]}"
            f", now {new_hash[:12]}; changed: {', '.join(changed) or 'unknown'})"
        )
    new_version = _next_patch(spec.version)
    new_dir = target.parent / f"{spec.name}-{new_version}"
    return (
        f"ERROR: {_display(target)} {why}.\n"
        "Rasa caches spaCy models by the SpacyNLP `model:` path, so rebuilding this version "
        "in place would be silently ignored by already-trained models and caches.\n"
        f'Bump `version` in {_display(spec.spec_path)} (e.g. "{spec.version}" -> '
        f'"{new_version}") and the SpacyNLP `model:` path in config.yml (e.g. to '
        f"{_display(new_dir)}), then run this script again.\n"
        "(Only if this version was never used anywhere: delete the directory and rebuild.)"
    )


# --------------------------------------------------------------------------------------
# Building (imports spaCy)
# --------------------------------------------------------------------------------------


def _load_lemma_lookups(lang: str):
    """The lookup lemmatizer's table from spacy-lookups-data, found via its entry points."""
    from spacy.lookups import load_lookups
    from spacy.util import registry

    if lang not in registry.lookups:
        raise BuildError(
            f"spaCy finds no lookup tables for {lang!r}: spacy-lookups-data registers them "
            "through the 'spacy_lookups' entry points; (re)install spacy-lookups-data in this "
            "environment"
        )
    return load_lookups(lang=lang, tables=["lemma_lookup"])


def build_nlp(
    spec: PipelineSpec,
    patterns: list[dict[str, Any]],
    inputs: dict[str, str],
    digest: str,
    log=print,
):
    """Assemble the pipeline in memory."""
    # thinc imports TensorFlow when it is installed (Rasa brings it); silence its INFO noise.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import spacy

    log(f"[2/5] Creating blank {spec.lang!r} pipeline (spaCy {spacy.__version__})")
    nlp = spacy.blank(spec.lang)

    # English's lemmatizer factory defaults to "rule" mode, which needs POS tags that a
    # blank pipeline doesn't have; "lookup" mode only needs the lemma_lookup table.
    lookups = _load_lemma_lookups(spec.lang)
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup", "overwrite": False})
    lemmatizer.initialize(lookups=lookups)
    entries = len(lookups.get_table("lemma_lookup"))
    log(
        f"[3/5] Lemmatizer: lookup mode, {entries:,} lemma_lookup entries from "
        f"spacy-lookups-data {inputs['spacy-lookups-data']}"
    )

    attribute_ruler = nlp.add_pipe("attribute_ruler", config={"validate": True})
    try:
        attribute_ruler.add_patterns(spec.context_rules)
    except Exception as exc:  # spaCy raises ValueError/MatchPatternError for bad patterns
        raise BuildError(f"{_display(spec.spec_path)}: invalid context_rules: {exc}") from None

    ruler = nlp.add_pipe(
        "entity_ruler",
        config={"overwrite_ents": True, "phrase_matcher_attr": "LOWER", "validate": True},
    )
    try:
        ruler.add_patterns(patterns)
    except Exception as exc:
        raise BuildError(f"{_display(spec.patterns_path)}: invalid pattern: {exc}") from None
    labels = sorted({p["label"] for p in patterns})
    log(
        f"[4/5] Rules: {len(spec.context_rules)} context rules, {len(patterns)} entity "
        f"patterns for {len(labels)} labels ({', '.join(labels)})"
    )

    nlp.meta["name"] = spec.meta_name
    nlp.meta["version"] = spec.version
    nlp.meta["description"] = (
        "Rule-based pipeline for the IMG-to-CMA assistant: lookup lemmatizer, context rules "
        "and entity ruler. Built by tools/dev/build_spacy_pipeline.py from data/spacy/."
    )
    nlp.meta["sources"] = [
        {
            "name": f"spacy-lookups-data {inputs['spacy-lookups-data']} ({spec.lang} lemma_lookup)",
            "url": "https://github.com/explosion/spacy-lookups-data",
            "license": f"MIT; see also spacy_lookups_data/data/{spec.lang}_license.txt",
        }
    ]
    nlp.meta[META_KEY] = {"content_hash": digest, "inputs": inputs}
    return nlp


def _write(
    spec: PipelineSpec, target: Path, inputs: dict[str, str], digest: str, log=print
) -> None:
    patterns = load_entity_patterns(spec.patterns_path)
    nlp = build_nlp(spec, patterns, inputs, digest, log=log)

    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".{target.name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        nlp.to_disk(tmp)
        _smoke_test(tmp)
        try:
            os.rename(tmp, target)
        except OSError:
            # Someone else finished the same build meanwhile: fine if it is the same one.
            record = read_build_record(target)
            if record is None or record.get("content_hash") != digest:
                raise BuildError(
                    _stale_message(spec, target, record, inputs, digest), EXIT_STALE
                ) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _smoke_test(path: Path) -> None:
    """Load the written pipeline back the way Rasa does and run one sentence through it."""
    import spacy

    nlp = spacy.load(path, disable=["parser"])
    doc = nlp("i want to start a certificate program part time in march 2027")
    found = {(ent.label_, ent.ent_id_) for ent in doc.ents}
    if ("program_type", "certificate") not in found:
        raise BuildError(f"smoke test failed: the reloaded pipeline found only {sorted(found)}")


# --------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------


def run(project_root: Path, spec_path: Path, out_dir: Path, check: bool, log=print) -> int:
    started = time.perf_counter()
    spec_path = _resolve(spec_path, project_root)
    out_dir = _resolve(out_dir, project_root)

    spec = load_spec(spec_path)
    target = out_dir / spec.dir_name
    inputs = build_inputs(spec)
    digest = content_hash(inputs)
    log(
        f"[1/5] {_display(spec_path)}: {spec.name} {spec.version} -> {_display(target)} "
        f"(content hash {digest[:12]})"
    )

    if target.exists():
        record = read_build_record(target)
        if record is not None and record.get("content_hash") == digest:
            log(f"{_display(target)} is up to date ({time.perf_counter() - started:.2f} s)")
            return EXIT_OK
        raise BuildError(_stale_message(spec, target, record, inputs, digest), EXIT_STALE)

    if check:
        log(
            f"{_display(target)} has not been built yet; run "
            f"`.venv/bin/python -m tools.dev.build_spacy_pipeline` without --check"
        )
        return EXIT_MISSING

    _write(spec, target, inputs, digest, log=log)
    log(
        f"[5/5] Wrote {_display(target)} (directory sha256 {directory_digest(target)[:12]}) "
        f"in {time.perf_counter() - started:.2f} s"
    )
    log(f"      SpacyNLP config: `model: {_display(target)}`")
    return EXIT_OK


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Build the project's spaCy pipeline (for Rasa's SpacyNLP) from "
        "data/spacy/pipeline.yml into <out-dir>/<name>-<version>/.",
    )
    parser.add_argument(
        "--out-dir",
        type=Path,
        default=DEFAULT_OUT_DIR,
        help="parent directory of the versioned pipeline directory "
        f"(default: {DEFAULT_OUT_DIR}, relative to the project root)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="only verify that the pipeline for the current inputs exists: "
        "exit 0 if up to date, 1 if not built yet, 2 if built from other "
        "inputs; never writes",
    )
    parser.add_argument(
        "--spec", type=Path, default=DEFAULT_SPEC, help=f"pipeline recipe (default: {DEFAULT_SPEC})"
    )
    parser.add_argument(
        "--project-root",
        type=Path,
        default=PROJECT_ROOT,
        help="base for relative paths (default: the checkout this module is in)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        return run(args.project_root.resolve(), args.spec, args.out_dir, args.check)
    except BuildError as exc:
        message = str(exc)
        print(message if message.startswith("ERROR") else f"ERROR: {message}", file=sys.stderr)
        return exc.exit_code


if __name__ == "__main__":
    sys.exit(main())
