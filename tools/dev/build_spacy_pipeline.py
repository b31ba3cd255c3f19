"""Build the project's spaCy pipeline for Rasa's SpacyNLP (`make spacy`).

A blank English pipeline with two rule steps, both from data/spacy/:
context rules (pipeline.yml: "in May" is a month, "you may" is not) and the entity
patterns (entity_patterns.jsonl). It is written to build/spacy/<name>-<version>/,
the `model:` path in config.yml.

Rasa caches a loaded spaCy pipeline by that path only, so a changed recipe needs a new
version (in pipeline.yml and config.yml). The build stores a hash of the recipe as read
(comments do not count): the same recipe again is "up to date", a different one under an
existing version is refused with the bump to make.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
RECIPE = ROOT / "data" / "spacy" / "pipeline.yml"
OUT_DIR = ROOT / "build" / "spacy"
HASH_KEY = "imgcma_recipe_hash"
# A sentence a fresh build must read right before it is written.
SMOKE_TEXT = "i want to start a certificate program part time in may 2027"

EXIT_OK, EXIT_MISSING, EXIT_STALE, EXIT_INVALID = 0, 1, 2, 3


class BuildError(Exception):
    """A problem with the recipe; `exit_code` is what the command returns."""

    def __init__(self, message: str, exit_code: int = EXIT_INVALID) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def load_recipe(path: Path = RECIPE) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """pipeline.yml and the entity patterns it names, with the file named in any error."""
    try:
        recipe = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise BuildError(f"{path}: {exc}") from None
    missing = {"name", "version", "lang", "patterns"} - set(recipe or {})
    if missing:
        raise BuildError(f"{path}: missing {', '.join(sorted(missing))}")
    patterns_path = path.parent / recipe["patterns"]
    patterns = []
    for number, line in enumerate(patterns_path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                patterns.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise BuildError(f"{patterns_path}:{number}: {exc.msg}") from None
    return recipe, patterns


def pipeline_path(recipe: dict[str, Any], out_dir: Path = OUT_DIR) -> Path:
    return out_dir / f"{recipe['name']}-{recipe['version']}"


def recipe_hash(recipe: dict[str, Any], patterns: list[dict[str, Any]]) -> str:
    import spacy

    rules = {k: v for k, v in recipe.items() if not str(k).startswith("x-")}  # YAML anchors
    text = json.dumps([rules, patterns, spacy.__version__], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def build(recipe: dict[str, Any], patterns: list[dict[str, Any]], digest: str):
    """The pipeline in memory: blank language, context rules, entity ruler."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # thinc imports TensorFlow
    import spacy

    nlp = spacy.blank(recipe["lang"])
    try:
        context = nlp.add_pipe("attribute_ruler", config={"validate": True})
        context.add_patterns(recipe.get("context_rules") or [])
        ruler = nlp.add_pipe(
            "entity_ruler",
            config={"overwrite_ents": True, "phrase_matcher_attr": "LOWER", "validate": True},
        )
        ruler.add_patterns(patterns)
    except Exception as exc:  # spaCy raises ValueError/MatchPatternError for bad patterns
        raise BuildError(f"invalid pattern in data/spacy/: {exc}") from None
    nlp.meta.update(name=recipe["name"].split("_", 1)[-1], version=recipe["version"])
    nlp.meta[HASH_KEY] = digest
    return nlp


def built_hash(path: Path) -> str | None:
    try:
        return json.loads((path / "meta.json").read_text(encoding="utf-8")).get(HASH_KEY)
    except (OSError, ValueError):
        return None


def run(recipe_path: Path = RECIPE, out_dir: Path = OUT_DIR, check: bool = False) -> int:
    """Build if needed (or with `check`, only say whether the build is current)."""
    recipe, patterns = load_recipe(recipe_path)
    target, digest = pipeline_path(recipe, out_dir), recipe_hash(recipe, patterns)
    if target.exists():
        if built_hash(target) == digest:
            print(f"{target.name} is up to date")
            return EXIT_OK
        raise BuildError(
            f"{target} was built from another recipe. Rasa would keep using the old one: "
            f"give data/spacy/pipeline.yml a new `version` and config.yml's SpacyNLP `model:` "
            f"the same (build/spacy/{recipe['name']}-<new version>), then run `make spacy`.",
            EXIT_STALE,
        )
    if check:
        print(f"{target} is not built yet: run `make spacy`", file=sys.stderr)
        return EXIT_MISSING
    nlp = build(recipe, patterns, digest)
    found = {entity.label_ for entity in nlp(SMOKE_TEXT).ents}
    if not {"program_type", "study_pace", "month"} <= found:
        raise BuildError(f"the new pipeline misreads {SMOKE_TEXT!r}: check the patterns")
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    out_dir.mkdir(parents=True, exist_ok=True)  # a fresh clone has no build/ yet
    nlp.to_disk(partial)
    try:
        os.replace(partial, target)
    except OSError:  # a parallel build finished first; it must be this recipe's
        shutil.rmtree(partial, ignore_errors=True)
        if built_hash(target) != digest:
            raise
    print(f"Built {target}: {len(patterns)} entity patterns")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipe", type=Path, default=RECIPE)
    parser.add_argument("--out-dir", type=Path, default=OUT_DIR)
    parser.add_argument("--check", action="store_true", help="only check; exit 0/1/2")
    args = parser.parse_args(argv)
    try:
        return run(args.recipe, args.out_dir, args.check)
    except BuildError as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return exc.exit_code


if __name__ == "__main__":
    sys.exit(main())
