"""Train a candidate and evaluate models against real servers (subprocesses, no Rasa imports).

Training calls `rasa train`; evaluation starts the model on spare loopback
ports (tools/dev/stack.py), asks its NLU about every held-out question
(POST /model/parse) and runs the shared dev evaluation on it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import yaml

from tools.dev import stack, train_if_needed
from tools.dev.evaluate_bot import EVAL_DIR as EVAL_DIR  # re-exported for commands and tests
from tools.dev.evaluate_bot import run_evaluator
from tools.dev.stack import free_port  # shared with the tests
from tools.operators.gate import Prediction
from tools.operators.nlu_data import all_examples, read_examples
from tools.operators.writer import HELDOUT

ROOT = Path(__file__).resolve().parents[2]

WORK = ROOT / "results" / "operator"
HELDOUT_CASES = ROOT / "tests" / "eval" / "heldout_cases.yml"


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Question:
    text: str
    intent: str


def heldout_questions(root: Path = ROOT) -> list[Question]:
    """Questions never trained on: our held-out cases plus the operators' held-out split."""
    questions: list[Question] = []
    cases = root / "tests" / "eval" / "heldout_cases.yml"
    if cases.exists():
        for case in (yaml.safe_load(cases.read_text(encoding="utf-8")) or {}).get("cases", []):
            questions.append(Question(str(case["text"]), str(case["topic"])))
    extra = root / HELDOUT
    if extra.exists():
        questions += [Question(e.text, e.intent) for e in read_examples(extra)]
    return questions


def data_size(root: Path = ROOT) -> dict[str, int]:
    examples = all_examples(root)
    return {
        "examples": len(examples),
        "intents": len({e.intent for e in examples}),
        "heldout": len(heldout_questions(root)),
    }


def _heartbeat(label: str, log: Path, stop: threading.Event) -> None:
    started = time.monotonic()
    while not stop.wait(30):
        last = ""
        if log.exists():
            tail = log.read_bytes()[-4000:].decode(errors="replace").replace("\r", "\n")
            lines = [line.strip() for line in tail.splitlines() if line.strip()]
            last = lines[-1][:90] if lines else ""
        say(f"  ... {label}: {time.monotonic() - started:.0f} s  {last}")


def train_candidate(root: Path = ROOT) -> tuple[Path, float]:
    """Train (or reuse) the model for the current data; returns (path, seconds)."""
    target = train_if_needed.model_path(root)
    if target.exists():
        say(f"Candidate already trained for this data: {target.relative_to(root)}")
        return target, 0.0
    WORK.mkdir(parents=True, exist_ok=True)
    log = WORK / "train.log"
    say(f"Training {target.name} (a full `rasa train`; 6-10 min on 2 cores) ... log: {log}")
    cmd = [
        str(root / ".venv" / "bin" / "rasa"),
        "train",
        "--out",
        str(target.parent),
        "--fixed-model-name",
        target.name.removesuffix(".tar.gz"),
    ]
    env = {**os.environ, "SQLALCHEMY_SILENCE_UBER_WARNING": "1", "TF_CPP_MIN_LOG_LEVEL": "2"}
    started = time.monotonic()
    stop = threading.Event()
    ticker = threading.Thread(target=_heartbeat, args=("training", log, stop), daemon=True)
    ticker.start()
    with open(log, "wb") as out:
        result = subprocess.run(
            cmd, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT, check=False
        )
    stop.set()
    seconds = time.monotonic() - started
    if result.returncode != 0 or not target.exists():
        tail = log.read_text(errors="replace")[-2000:]
        raise RuntimeError(f"training failed (exit {result.returncode}); end of {log}:\n{tail}")
    say(f"Trained {target.name} in {seconds:.0f} s")
    return target, seconds


def _get(url: str, timeout: float = 30) -> object:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:  # nosec B310 - loopback bot URL
        return json.loads(response.read().decode())


def _post(url: str, payload: dict, timeout: float = 30) -> object:
    request = urllib.request.Request(
        url, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:  # nosec B310 - loopback bot URL
        return json.loads(response.read().decode())


def _fingerprint(questions: list[Question], dev_cases: Path | None) -> str:
    digest = hashlib.sha256(json.dumps([(q.text, q.intent) for q in questions]).encode())
    if dev_cases and dev_cases.exists():
        digest.update(dev_cases.read_bytes())
    return digest.hexdigest()[:10]


@dataclass
class Evaluation:
    model: str
    intents: list[str]
    predictions: list[Prediction]
    dev: list[dict] | None
    seconds: float


def evaluate_model(
    model: Path, questions: list[Question], dev_cases: Path | None, use_cache: bool = True
) -> Evaluation:
    """Serve `model` on spare ports; parse every held-out question; run the dev evaluation."""
    WORK.mkdir(parents=True, exist_ok=True)
    cache = (
        WORK
        / f"eval-{model.name.removesuffix('.tar.gz')}-{_fingerprint(questions, dev_cases)}.json"
    )
    if use_cache and cache.exists():
        cached = _read_cached(cache)
        say(f"Evaluation of {model.name}: reusing {cache.relative_to(ROOT)}")
        return cached
    started = time.monotonic()
    token = stack.new_token()
    rasa_port = free_port()
    with tempfile.TemporaryDirectory(prefix="imgcma-gate-") as tmp:
        say(f"Evaluating {model.name}: starting it on port {rasa_port} ...")
        bot = stack.start_isolated(
            model,
            Path(tmp),
            token=token,
            rasa_port=rasa_port,
            log_dir=WORK / "logs" / model.name,
            # The gate judges the trained models alone, without the live topics.
            extra_env={"IMGCMA_LIVE_DIR": str(Path(tmp) / "no-live-topics")},
        )
        try:
            stack.wait_ready(bot)
            intents, predictions = _parse_heldout(bot.url, token, questions)
            dev = None
            if dev_cases and dev_cases.exists():
                dev = _run_dev_cases(bot.url, token, dev_cases, Path(tmp) / "dev.json")
        finally:
            bot.stop()
    result = Evaluation(model.name, intents, predictions, dev, time.monotonic() - started)
    _write_cache(cache, result)
    return result


def _parse_heldout(
    url: str, token: str, questions: list[Question]
) -> tuple[list[str], list[Prediction]]:
    """The served model's intents, and its reading of every held-out question."""
    domain = _get(f"{url}/domain?token={token}")
    intents = [i if isinstance(i, str) else next(iter(i)) for i in domain["intents"]]
    predictions = []
    for q in questions:
        parsed = _post(f"{url}/model/parse?token={token}", {"text": q.text})
        predictions.append(Prediction(q.text, q.intent, parsed["intent"]["name"]))
    say(f"  parsed {len(questions)} held-out questions")
    return intents, predictions


def _run_dev_cases(url: str, token: str, dev_cases: Path, out: Path) -> list[dict]:
    """The dev evaluation against the served bot: one result per case."""
    run = run_evaluator(url, dev_cases, token, out)
    if not out.exists():
        raise RuntimeError(f"dev evaluation failed: {run.stdout[-800:]}{run.stderr[-800:]}")
    dev = json.loads(out.read_text(encoding="utf-8"))
    say(f"  dev evaluation: {sum(r['passed'] for r in dev)}/{len(dev)} passed")
    return dev


def _read_cached(cache: Path) -> Evaluation:
    data = json.loads(cache.read_text(encoding="utf-8"))
    return Evaluation(
        data["model"],
        data["intents"],
        [Prediction(**p) for p in data["predictions"]],
        data["dev"],
        0.0,
    )


def _write_cache(cache: Path, result: Evaluation) -> None:
    cache.write_text(
        json.dumps(
            {
                "model": result.model,
                "intents": result.intents,
                "dev": result.dev,
                "predictions": [p.__dict__ for p in result.predictions],
            }
        ),
        encoding="utf-8",
    )


def rasa_validate(root: Path = ROOT) -> tuple[bool, str]:
    """`rasa data validate`: (passed, its warnings and errors)."""
    env = {**os.environ, "SQLALCHEMY_SILENCE_UBER_WARNING": "1", "TF_CPP_MIN_LOG_LEVEL": "2"}
    run = subprocess.run(
        [str(root / ".venv" / "bin" / "rasa"), "data", "validate"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    noise = ("SQLAlchemy", "MovedIn20Warning", "warnings.warn", "DeprecationWarning")
    text = re.sub(r"\x1b\[[0-9;]*m", "", run.stdout + run.stderr)
    lines = [
        re.sub(r"^\S+\.py:\d+: ", "", line).strip()
        for line in text.splitlines()
        if ("warn" in line.lower() or "error" in line.lower()) and not any(n in line for n in noise)
    ]
    return run.returncode == 0, "\n".join(lines)
