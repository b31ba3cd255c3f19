"""Make a topic or relabelled questions live in the running bot, and take them out again.

Writes the live-topics store (components/live_topic_store.py): the examples with
their vectors (embedded here, with the model's own encoder, so the bot embeds
nothing extra), the rendered answer and buttons. The running bot notices a
change within about a second. Also embeds for the conflict check.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np
import yaml

from components.live_topic_store import (
    KIND_EXAMPLES,
    KIND_TOPIC,
    LIVE_INTENT,
    normalise,
    store_dir,
    write_entry,
)
from tools.operators.topic_file import Topic
from tools.operators.writer import expected_text

ROOT = Path(__file__).resolve().parents[2]


def encoder_sha(root: Path = ROOT) -> str:
    """The sentence encoder's sha256 as config.yml pins it for the featurizer."""
    config = yaml.safe_load((root / "config.yml").read_text(encoding="utf-8"))
    for component in config.get("pipeline") or []:
        if str(component.get("name", "")).endswith("SentenceEmbeddingFeaturizer"):
            return str(component["model_sha256"])
    raise ValueError("config.yml has no SentenceEmbeddingFeaturizer with a model_sha256")


_ENCODERS: dict[str, object] = {}


def embed(texts: list[str], root: Path = ROOT) -> np.ndarray:
    """Sentence vectors of `texts`, with the same encoder and disk cache as training."""
    from components.encoder import SentenceEncoder

    sha = encoder_sha(root)
    if sha not in _ENCODERS:
        _ENCODERS[sha] = SentenceEncoder(
            sha256=sha,
            variant="original",
            threads=1,
            memory_cache_size=20000,
            disk_cache=root / "build" / "embeddings.sqlite",
        )
    return _ENCODERS[sha].embed_training(texts)  # type: ignore[attr-defined]


def _vectors(vectors: np.ndarray) -> list[list[float]]:
    return [[round(float(x), 6) for x in row] for row in vectors]


def topic_record(
    topic: Topic, examples: list[str], vectors: np.ndarray, retract: list[str], sha: str
) -> dict:
    """The store file of a live topic: the same answer the trained `utter_<topic>` gives."""
    return {
        "kind": KIND_TOPIC,
        "name": topic.name,
        "title": topic.title,
        "encoder": sha,
        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "examples": [{"text": t, "label": topic.name} for t in examples],
        "vectors": _vectors(vectors),
        "retract": sorted({normalise(t) for t in retract}),
        "answer": {
            "text": expected_text(topic),
            "buttons": [{"title": b.title, "payload": f"/{b.topic}"} for b in topic.buttons],
        },
    }


def make_topic_live(
    topic: Topic, examples: list[str], retract: list[str], root: Path = ROOT
) -> Path:
    return write_entry(
        store_dir(),
        topic_record(topic, examples, embed(examples, root), retract, encoder_sha(root)),
    )


def make_examples_live(labelled: dict[str, list[str]], root: Path = ROOT) -> Path | None:
    """Relabelled questions for intents the model knows (make import-labels)."""
    pairs = [(text, intent) for intent, texts in sorted(labelled.items()) for text in texts]
    if not pairs:
        return None
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    return write_entry(
        store_dir(),
        {
            "kind": KIND_EXAMPLES,
            "name": f"labels-{stamp}",
            "encoder": encoder_sha(root),
            "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "examples": [{"text": t, "label": i} for t, i in pairs],
            "vectors": _vectors(embed([t for t, _ in pairs], root)),
            "retract": [],
        },
    )


def withdraw(name: str) -> bool:
    """Take a live entry out of the store; True if there was one."""
    path = store_dir() / f"{name}.json"
    existed = path.is_file()
    path.unlink(missing_ok=True)
    return existed


def retire_trained(intents: set[str]) -> list[str]:
    """After a promotion: delete the entries the promoted model was trained on.

    Topics now in the domain, and relabelled questions (import-labels wrote them into
    the data before the training).
    """
    retired = [n for n in live_names() if n in intents or n.startswith("labels-")]
    for name in retired:
        withdraw(name)
    return retired


def live_names() -> list[str]:
    folder = store_dir()
    return sorted(p.stem for p in folder.glob("*.json")) if folder.is_dir() else []


def parse(url: str, token: str, text: str, timeout: float = 10.0) -> dict | None:
    """The running bot's NLU reading of `text` (POST /model/parse), None if unreachable."""
    request = urllib.request.Request(
        f"{url.rstrip('/')}/model/parse?token={token}",
        data=json.dumps({"text": text}).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # nosec B310
            return json.loads(response.read().decode())
    except (urllib.error.URLError, OSError, ValueError):
        return None


def wait_live(url: str, token: str, text: str, topic: str, timeout: float = 30.0) -> float | None:
    """Seconds until the running bot reads `text` as live topic `topic`; None if it never did."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        parsed = parse(url, token, text)
        if parsed is None:
            return None
        live = (parsed.get("live_topic") or {}).get("name")
        name = (parsed.get("intent") or {}).get("name")
        if (name == LIVE_INTENT and live == topic) or name == topic:
            return time.monotonic() - started
        time.sleep(0.5)
    return None
