"""The promotion gate: compare a candidate model with the model in service.

Inputs are plain data: held-out predictions as (text, gold intent, predicted
intent) and the dev evaluation's case results. A candidate is refused when any
intent the model in service knows loses more than `f1_margin` F1, or when the
dev evaluation's pass rate drops by more than `dev_margin`; the report names
the intents that got worse and what they were confused with.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

# With ~10 held-out questions per intent one question is worth 0.05-0.10 F1, and two
# trainings on the same data for an intent can differ by two questions (measured: a
# retrain flipped 2 of 10 `transcripts_translation` questions to "did you mean", -0.11).
# 0.15 tolerates that noise and refuses three or more lost questions.
F1_MARGIN = 0.15
DEV_MARGIN = 0.02  # of the dev cases' pass rate: one more failure of 70 passes, two do not
# A question the guide does not cover is handled right by any decline.
EQUIVALENT = {"out_of_scope": {"out_of_scope", "immigration_legal", "nlu_fallback"}}


@dataclass(frozen=True)
class Prediction:
    text: str
    gold: str
    predicted: str

    @property
    def correct(self) -> bool:
        return self.predicted in EQUIVALENT.get(self.gold, {self.gold})


@dataclass
class IntentScore:
    f1: float
    precision: float
    recall: float
    support: int


def per_intent_f1(predictions: list[Prediction]) -> dict[str, IntentScore]:
    """Precision, recall and F1 of every gold intent."""
    tp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    for p in predictions:
        if p.correct:
            tp[p.gold] += 1
        else:
            fn[p.gold] += 1
            fp[p.predicted] += 1
    scores = {}
    for intent in sorted({p.gold for p in predictions}):
        precision = tp[intent] / (tp[intent] + fp[intent]) if tp[intent] + fp[intent] else 0.0
        recall = tp[intent] / (tp[intent] + fn[intent]) if tp[intent] + fn[intent] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[intent] = IntentScore(f1, precision, recall, tp[intent] + fn[intent])
    return scores


def confusions(predictions: list[Prediction], intent: str) -> list[str]:
    """What an intent was mistaken for, and what was mistaken for it (most frequent first)."""
    lost = Counter(p.predicted for p in predictions if p.gold == intent and not p.correct)
    stolen = Counter(p.gold for p in predictions if p.predicted == intent and not p.correct)
    lines = [
        f"{n} of its questions read as `{other}`, e.g. "
        + repr(next(p.text for p in predictions if p.gold == intent and p.predicted == other))
        for other, n in lost.most_common()
    ]
    lines += [
        f"{n} `{other}` question(s) read as `{intent}`, e.g. "
        + repr(next(p.text for p in predictions if p.gold == other and p.predicted == intent))
        for other, n in stolen.most_common()
    ]
    return lines


@dataclass
class Verdict:
    promote: bool
    lines: list[str] = field(default_factory=list)
    worse: list[str] = field(default_factory=list)
    scores: dict[str, dict[str, float]] = field(default_factory=dict)


def dev_pass_rate(results: list[dict]) -> float:
    return sum(bool(r["passed"]) for r in results) / len(results) if results else 0.0


def judge(
    baseline: list[Prediction],
    candidate: list[Prediction],
    known_intents: set[str],
    baseline_dev: list[dict] | None,
    candidate_dev: list[dict] | None,
    *,
    f1_margin: float = F1_MARGIN,
    dev_margin: float = DEV_MARGIN,
) -> Verdict:
    """Compare per-intent F1 on held-out questions, and the dev evaluation.

    Only questions of intents the model in service knows are compared, so a new
    topic's questions (which the old model cannot get right) do not count
    against it; the new topic's own F1 is reported separately.
    """
    old = per_intent_f1([p for p in baseline if p.gold in known_intents])
    new_known = per_intent_f1([p for p in candidate if p.gold in known_intents])
    verdict = Verdict(promote=True)
    rows = _known_intent_rows(verdict, old, new_known, candidate, f1_margin)
    rows += _new_intent_rows(verdict, per_intent_f1(candidate), known_intents)
    if verdict.worse:
        verdict.promote = False
    macro_old = sum(s.f1 for s in old.values()) / max(1, len(old))
    macro_new = sum(new_known[i].f1 for i in old) / max(1, len(old))
    verdict.lines.append(
        f"held-out intent F1 (macro, {len(old)} known intents): {macro_old:.3f} -> {macro_new:.3f}"
    )
    verdict.lines += rows
    if baseline_dev is not None and candidate_dev is not None:
        _judge_dev(verdict, baseline_dev, candidate_dev, dev_margin)
    verdict.lines.append(
        "PROMOTE: no intent got worse beyond the margins"
        if verdict.promote
        else "REFUSED: " + (", ".join(verdict.worse) or "dev evaluation") + " got worse"
    )
    return verdict


def _known_intent_rows(
    verdict: Verdict,
    old: dict[str, IntentScore],
    new_known: dict[str, IntentScore],
    candidate: list[Prediction],
    f1_margin: float,
) -> list[str]:
    """Score every intent the model in service knows; mark those worse beyond the margin."""
    rows = []
    for intent in sorted(old):
        delta = new_known[intent].f1 - old[intent].f1
        verdict.scores[intent] = {
            "baseline_f1": round(old[intent].f1, 3),
            "candidate_f1": round(new_known[intent].f1, 3),
            "support": old[intent].support,
        }
        if delta < -f1_margin:
            verdict.worse.append(intent)
            rows.append(
                f"WORSE  {intent}: F1 {old[intent].f1:.2f} -> {new_known[intent].f1:.2f} "
                f"(more than the {f1_margin:.2f} margin)"
            )
            rows += [f"         {line}" for line in confusions(candidate, intent)]
    return rows


def _new_intent_rows(
    verdict: Verdict, new_all: dict[str, IntentScore], known_intents: set[str]
) -> list[str]:
    """Report (never judge) the intents only the candidate knows."""
    rows = []
    for intent in sorted(set(new_all) - known_intents):
        s = new_all[intent]
        verdict.scores[intent] = {"candidate_f1": round(s.f1, 3), "support": s.support}
        rows.append(f"NEW    {intent}: F1 {s.f1:.2f} on {s.support} held-out questions")
    return rows


def _judge_dev(
    verdict: Verdict, baseline_dev: list[dict], candidate_dev: list[dict], dev_margin: float
) -> None:
    """Compare the dev evaluation's pass rates; refuse a drop beyond the margin."""
    before, after = dev_pass_rate(baseline_dev), dev_pass_rate(candidate_dev)
    passed_before = {r["id"] for r in baseline_dev if r["passed"]}
    newly_failing = [r for r in candidate_dev if not r["passed"] and r["id"] in passed_before]
    verdict.lines.append(
        f"dev evaluation: {100 * before:.1f}% -> {100 * after:.1f}% of "
        f"{len(candidate_dev)} cases passed"
    )
    if after < before - dev_margin:
        verdict.promote = False
        verdict.lines.append(
            f"WORSE  dev evaluation dropped by more than {100 * dev_margin:.0f} points"
        )
    for r in newly_failing:
        verdict.lines.append(f"         now failing: {r['id']} {r['text']!r}")
