"""Intent model: logistic regression over sentence embeddings plus character n-grams.

The embeddings carry meaning (paraphrases, long stories, other languages); TF-IDF
over character n-grams keeps what sparse features do well (typos, domain terms
such as "caahep" or "wes"). Chosen by 5-fold cross-validation and the held-out
set (docs/understanding.md, "Answer quality"). Saved as plain arrays and JSON, never as a pickle,
so loading a model runs no code. No Rasa imports.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression


@dataclass(frozen=True)
class Settings:
    """Hyper-parameters; config.yml may override each."""

    c: float = 100.0  # inverse regularisation strength
    embedding_weight: float = 2.0  # scale of the embeddings against the n-gram features
    min_ngram: int = 2
    max_ngram: int = 5
    max_iter: int = 3000


def _vectorizer(settings: Settings) -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(settings.min_ngram, settings.max_ngram),
        sublinear_tf=True,
        lowercase=True,
    )


class LinearIntentModel:
    """Fits, scores, saves and loads the intent model."""

    def __init__(
        self,
        settings: Settings,
        vectorizer: TfidfVectorizer,
        classes: list[str],
        coef: np.ndarray,
        intercept: np.ndarray,
    ) -> None:
        self.settings = settings
        self.vectorizer = vectorizer
        self.classes = classes
        self.coef = coef
        self.intercept = intercept

    @classmethod
    def fit(
        cls,
        texts: list[str],
        embeddings: np.ndarray,
        labels: list[str],
        settings: Settings = Settings(),
    ) -> LinearIntentModel:
        if len(set(labels)) < 2:
            raise ValueError("An intent model needs examples of at least two intents.")
        vectorizer = _vectorizer(settings).fit(texts)
        features = _features(vectorizer, texts, embeddings, settings)
        # balanced: out_of_scope has several times the examples of any topic.
        regression = LogisticRegression(
            C=settings.c, max_iter=settings.max_iter, class_weight="balanced"
        ).fit(features, labels)
        coef, intercept = regression.coef_, regression.intercept_
        return cls(settings, vectorizer, [str(c) for c in regression.classes_], coef, intercept)

    def probabilities(self, texts: list[str], embeddings: np.ndarray) -> np.ndarray:
        """One row per text: the probability of each intent in `self.classes`."""
        scores = (
            _features(self.vectorizer, texts, embeddings, self.settings) @ self.coef.T
            + self.intercept
        )
        scores = np.asarray(scores)
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)

    def rankings(self, texts: list[str], embeddings: np.ndarray) -> list[list[tuple[str, float]]]:
        """Per text, (intent, confidence) pairs from the most to the least likely."""
        return self.rank(self.probabilities(texts, embeddings))

    def rank(self, probabilities: np.ndarray) -> list[list[tuple[str, float]]]:
        """Per row of probabilities, (intent, confidence) pairs, the most likely first."""
        result = []
        for row in probabilities:
            order = np.argsort(-row)
            result.append([(self.classes[i], float(row[i])) for i in order])
        return result

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        vocabulary = {term: int(index) for term, index in self.vectorizer.vocabulary_.items()}
        meta = {
            "settings": self.settings.__dict__,
            "classes": self.classes,
            "vocabulary": vocabulary,
        }
        (folder / "intent_model.json").write_text(json.dumps(meta), encoding="utf-8")
        np.savez_compressed(
            folder / "intent_model.npz",
            coef=self.coef,
            intercept=self.intercept,
            idf=self.vectorizer.idf_,
        )

    @classmethod
    def load(cls, folder: Path) -> LinearIntentModel:
        meta = json.loads((folder / "intent_model.json").read_text(encoding="utf-8"))
        arrays = np.load(folder / "intent_model.npz", allow_pickle=False)
        settings = Settings(**meta["settings"])
        vectorizer = _vectorizer(settings)
        vectorizer.vocabulary_ = meta["vocabulary"]
        vectorizer.idf_ = arrays["idf"]
        return cls(settings, vectorizer, meta["classes"], arrays["coef"], arrays["intercept"])


def _features(
    vectorizer: TfidfVectorizer, texts: list[str], embeddings: np.ndarray, settings: Settings
):
    dense = csr_matrix(np.asarray(embeddings, dtype=np.float64) * settings.embedding_weight)
    return hstack([vectorizer.transform(texts), dense]).tocsr()
