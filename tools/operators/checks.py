"""The project's own data checks, on top of `rasa data validate`.

- the same or nearly the same example under two intents (the model cannot
  learn both; one topic steals the other's questions),
- intents with too few, or too uniform, examples,
- topic answers without a source (a guide section that exists, or a URL with
  its last-verified date).
Each problem names its file and line.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

import yaml

from tools.operators.nlu_data import Example, all_examples
from tools.operators.text import fold, jaccard, normalize, words

NEAR_SAME = 0.85  # word-set Jaccard; the closest distinct pair in our data is 0.80
MIN_EXAMPLES = 10
MAX_UNIFORMITY = 0.40  # mean pairwise Jaccard within an intent; ours stay under 0.15
GUIDE_MARK = "📖 From the guide:"
URL_SOURCE = re.compile(r"📖 Source: (https?://\S+) \(last verified (\d{4}-\d{2}-\d{2})\)")


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    kind: str
    message: str
    intents: tuple[str, ...] = field(default=())

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: [{self.kind}] {self.message}"


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def near_duplicate_pairs(
    examples: list[Example], threshold: float = NEAR_SAME
) -> list[tuple[Example, Example, float]]:
    """Pairs of examples under different intents that say (nearly) the same.

    Prefix filtering: with tokens ordered rarest first, two sets with Jaccard
    >= t must share a token among the first |x| - ceil(t|x|) + 1 of each, so
    only those candidates are compared (all pairs would take seconds).
    """
    sets = [words(e.text) for e in examples]
    keys = [normalize(e.text) for e in examples]
    freq = Counter(w for s in sets for w in s)
    index: dict[str, list[int]] = defaultdict(list)
    found: list[tuple[Example, Example, float]] = []
    seen: set[tuple[int, int]] = set()
    for i, s in enumerate(sets):
        ordered = sorted(s, key=lambda w: (freq[w], w))
        prefix = ordered[: len(ordered) - math.ceil(threshold * len(ordered)) + 1]
        candidates = {j for w in prefix for j in index[w]}
        for j in candidates:
            if examples[i].intent == examples[j].intent or (j, i) in seen:
                continue
            score = 1.0 if keys[i] == keys[j] else jaccard(s, sets[j])
            if score >= threshold:
                seen.add((j, i))
                found.append((examples[j], examples[i], score))
        for w in prefix:
            index[w].append(i)
    return found


def uniformity(texts: list[str]) -> float:
    """Mean pairwise word overlap of an intent's examples (1.0: all the same)."""
    sets = [words(t) for t in texts]
    pairs = list(combinations(sets, 2))
    return sum(jaccard(a, b) for a, b in pairs) / len(pairs) if pairs else 0.0


def check_examples(
    examples: list[Example],
    root: Path,
    *,
    min_examples: int = MIN_EXAMPLES,
    max_uniformity: float = MAX_UNIFORMITY,
) -> list[Problem]:
    problems: list[Problem] = []
    for a, b, score in near_duplicate_pairs(examples):
        same = "the same example" if score == 1.0 else f"nearly the same example ({score:.0%})"
        problems.append(
            Problem(
                _rel(b.file, root),
                b.line,
                "duplicate",
                f"{same} under two intents: {b.text!r} ({b.intent}) and {a.text!r} "
                f"({a.intent}, {_rel(a.file, root)}:{a.line}); keep it under one of "
                f"`{a.intent}` or `{b.intent}`",
                (a.intent, b.intent),
            )
        )
    by_intent: dict[str, list[Example]] = defaultdict(list)
    for e in examples:
        by_intent[e.intent].append(e)
    for intent, items in sorted(by_intent.items()):
        first = items[0]
        if len(items) < min_examples:
            problems.append(
                Problem(
                    _rel(first.file, root),
                    first.line,
                    "too-few",
                    f"intent `{intent}` has {len(items)} examples; it needs at least "
                    f"{min_examples} different ones",
                    (intent,),
                )
            )
        score = uniformity([e.text for e in items])
        if len(items) >= 2 and score > max_uniformity:
            problems.append(
                Problem(
                    _rel(first.file, root),
                    first.line,
                    "too-uniform",
                    f"the examples of `{intent}` are too much alike (mean word overlap "
                    f"{score:.0%}, limit {max_uniformity:.0%}): vary the wording, length "
                    "and typos the way real users write",
                    (intent,),
                )
            )
    return problems


def _response_lines(domain_text: str) -> dict[str, int]:
    node = yaml.compose(domain_text)
    for key, value in node.value:
        if key.value == "responses" and isinstance(value, yaml.MappingNode):
            return {k.value: k.start_mark.line + 1 for k, _ in value.value}
    return {}


def topic_responses(rules_text: str) -> list[str]:
    """The responses the guide-topic rules answer with."""
    rules = (yaml.safe_load(rules_text) or {}).get("rules") or []
    return [
        step["action"]
        for rule in rules
        for step in rule.get("steps") or []
        if isinstance(step, dict) and str(step.get("action", "")).startswith("utter_")
    ]


def check_sources(
    domain_text: str, rules_text: str, guide_text: str | None, domain_file: str = "domain.yml"
) -> list[Problem]:
    """Every topic answer ends with a source: a real guide section, or a dated URL."""
    responses = (yaml.safe_load(domain_text) or {}).get("responses") or {}
    lines = _response_lines(domain_text)
    guide = fold(guide_text) if guide_text else None
    problems: list[Problem] = []
    for name in topic_responses(rules_text):
        line = lines.get(name, 1)
        variants = responses.get(name)
        if not variants:
            problems.append(
                Problem(
                    domain_file,
                    1,
                    "no-response",
                    f"a rule answers with `{name}`, which domain.yml does not define",
                    (name.removeprefix("utter_"),),
                )
            )
            continue
        for variant in variants:
            text = str(variant.get("text") or "")
            if GUIDE_MARK in text:
                titles = re.findall(r'"([^"]+)"', text.split(GUIDE_MARK, 1)[1])
                if not titles:
                    problems.append(
                        Problem(
                            domain_file,
                            line,
                            "no-source",
                            f"`{name}` names no guide section in quotes",
                        )
                    )
                for title in titles:
                    if guide is not None and fold(title) not in guide:
                        problems.append(
                            Problem(
                                domain_file,
                                line,
                                "unknown-source",
                                f"`{name}` cites {title!r}, which is not a section of the guide",
                            )
                        )
            elif not URL_SOURCE.search(text):
                problems.append(
                    Problem(
                        domain_file,
                        line,
                        "no-source",
                        f'`{name}` has no source line (📖 From the guide: "<section>", or '
                        "📖 Source: <url> (last verified YYYY-MM-DD))",
                        (name.removeprefix("utter_"),),
                    )
                )
    return problems


def _guide_runs(guide: str, length: int = 12) -> set[str]:
    tokens = re.findall(r"[a-z0-9']+", guide)
    return {" ".join(tokens[i : i + length]) for i in range(len(tokens) - length + 1)}


def check_wording(
    domain_text: str, rules_text: str, guide_text: str, domain_file: str = "domain.yml"
) -> list[Problem]:
    """Guide-sourced topic answers use our own words and only the guide's numbers."""
    responses = (yaml.safe_load(domain_text) or {}).get("responses") or {}
    lines = _response_lines(domain_text)
    guide = fold(guide_text)
    runs = _guide_runs(guide)
    problems: list[Problem] = []
    for name in topic_responses(rules_text):
        for variant in responses.get(name) or []:
            text = str(variant.get("text") or "")
            if GUIDE_MARK not in text:
                continue
            body = fold(text.split(GUIDE_MARK, 1)[0])
            tokens = re.findall(r"[a-z0-9']+", body)
            copied = next(
                (
                    " ".join(tokens[i : i + 12])
                    for i in range(len(tokens) - 11)
                    if " ".join(tokens[i : i + 12]) in runs
                ),
                None,
            )
            if copied:
                problems.append(
                    Problem(
                        domain_file,
                        lines.get(name, 1),
                        "copied",
                        f"`{name}` copies the guide word for word ({copied!r}): "
                        "say it in our own words",
                    )
                )
            for number in re.findall(r"\$?\d[\d,.]*(?:-\d+)?", re.sub(r'"[^"]*"', "", body)):
                number = number.rstrip(".,")
                if number not in guide:
                    problems.append(
                        Problem(
                            domain_file,
                            lines.get(name, 1),
                            "number",
                            f"`{name}` states {number}, which the guide does not: check the figure",
                        )
                    )
    return problems


def check_project(root: Path, guide: Path | None) -> list[Problem]:
    """All of the project's own checks."""
    problems = check_examples(all_examples(root), root)
    domain = (root / "domain.yml").read_text(encoding="utf-8")
    rules = (root / "data" / "rules" / "guide_topics.yml").read_text(encoding="utf-8")
    guide_text = guide.read_text(encoding="utf-8") if guide and guide.exists() else None
    problems += check_sources(domain, rules, guide_text)
    if guide_text:
        problems += check_wording(domain, rules, guide_text)
    return problems
