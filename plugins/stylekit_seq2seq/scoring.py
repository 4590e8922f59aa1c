"""Scores for re-ranking and benchmarks: chrF, content kept, and a hashed n-gram style scorer.

chrF is implemented here (Popović 2015: character n-grams 1..6, recall weighted by
beta = 2, whitespace removed), matching sacrebleu's default `chrF` up to its tie rules.
The style scorer is a logistic regression over hashed character n-grams; its weights are
a plain float tensor saved as safetensors, so nothing is unpickled when a pack is read.
"""

from __future__ import annotations

import zlib
from collections import Counter
from typing import Callable

from stylekit.engines import MAX_STRENGTH

from .textops import content_words

CHRF_ORDER, CHRF_BETA = 6, 2.0


def _char_ngrams(text: str, n: int) -> Counter:
    text = "".join(text.split())
    return Counter(text[i:i + n] for i in range(len(text) - n + 1))


def chrf(hypothesis: str, reference: str) -> float:
    """Sentence chrF (0..1) of `hypothesis` against `reference`."""
    precisions, recalls = [], []
    for n in range(1, CHRF_ORDER + 1):
        hyp, ref = _char_ngrams(hypothesis, n), _char_ngrams(reference, n)
        if not hyp or not ref:
            continue
        overlap = sum((hyp & ref).values())
        precisions.append(overlap / sum(hyp.values()))
        recalls.append(overlap / sum(ref.values()))
    if not precisions:
        return 1.0 if hypothesis.strip() == reference.strip() else 0.0
    p, r = sum(precisions) / len(precisions), sum(recalls) / len(recalls)
    if p + r == 0:
        return 0.0
    b2 = CHRF_BETA ** 2
    return (1 + b2) * p * r / (b2 * p + r)


def content_kept(candidate: str, source: str) -> float:
    """Share of the source's content words (stopwords aside) still in the candidate."""
    src = content_words(source)
    if not src:
        return 1.0
    return len(src & content_words(candidate)) / len(src)


def content_similarity(candidate: str, source: str) -> float:
    """SIM in 0..1: the mean of chrF to the source and the share of content words kept."""
    return 0.5 * (chrf(candidate, source) + content_kept(candidate, source))


# Style-scorer probability at which a candidate counts as "in the voice"; above it the
# ranking prefers the candidate closest to the input over a more styled one.
STYLE_TARGET = 0.7


def style_weight(strength: float) -> float:
    """How much style counts against content similarity when a rewrite is chosen at
    `strength`: 0 at 0, 2 at 1, about 50 at MAX_STRENGTH (the most styled candidate wins).
    Increasing, so with a fixed set of candidates more strength never picks less style."""
    s = min(max(float(strength), 0.0), MAX_STRENGTH)
    return 1.1 * s * s / (MAX_STRENGTH + 0.05 - s)


def style_gain(style: float) -> float:
    """A style score as the ranking counts it: strictly increasing (so a higher gain is a
    higher score), nearly flat above STYLE_TARGET, where the least change should win."""
    return min(style, STYLE_TARGET) + 0.1 * style


HASH_DIM = 1 << 16


def hashed_features(text: str) -> dict[int, float]:
    """Counts of hashed character 1..4-grams (case kept: casing is part of a voice)."""
    feats: Counter = Counter()
    padded = f" {text} "
    index = _NGRAM_INDEX
    for n in range(1, 5):
        for i in range(len(padded) - n + 1):
            gram = padded[i:i + n]
            k = index.get(gram)
            if k is None:
                k = zlib.crc32(gram.encode("utf-8")) % HASH_DIM
                if len(index) < 1 << 20:
                    index[gram] = k
            feats[k] += 1
    total = sum(v * v for v in feats.values()) ** 0.5 or 1.0
    return {k: v / total for k, v in feats.items()}


# n-gram -> hashed index, remembered (bounded): candidates of one text share most n-grams.
_NGRAM_INDEX: dict[str, int] = {}


class StyleScorer:
    """P(text is in the influencer's voice) from a logistic regression on hashed n-grams."""

    def __init__(self, weights: "object", bias: float):
        self.weights = weights  # float32 vector of HASH_DIM (torch after `fit`, numpy when loaded)
        self.bias = float(bias)

    @classmethod
    def fit(cls, posts: list[str], background: list[str], epochs: int = 60, seed: int = 0,
            progress: Callable[[int, int], None] | None = None) -> "StyleScorer":
        """Train posts (label 1) against background (label 0), classes weighted equally;
        `progress(done, total)` after each epoch."""
        import torch

        torch.manual_seed(seed)
        texts = list(posts) + list(background)
        labels = torch.tensor([1.0] * len(posts) + [0.0] * len(background))
        rows, cols, vals = [], [], []
        for r, text in enumerate(texts):
            for c, v in hashed_features(text).items():
                rows.append(r)
                cols.append(c)
                vals.append(v)
        x = torch.sparse_coo_tensor([rows, cols], vals, (len(texts), HASH_DIM),
                                    check_invariants=True).coalesce()
        w = torch.zeros(HASH_DIM, requires_grad=True)
        b = torch.zeros(1, requires_grad=True)
        pos_weight = torch.tensor(len(background) / max(len(posts), 1))
        opt = torch.optim.Adam([w, b], lr=0.1)
        for _epoch in range(epochs):
            opt.zero_grad()
            logits = torch.sparse.mm(x, w[:, None]).squeeze(1) + b
            loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, labels, pos_weight=pos_weight)
            loss = loss + 1e-5 * (w * w).sum()
            loss.backward()
            opt.step()
            if progress:
                progress(_epoch + 1, epochs)
        return cls(w.detach().clone(), float(b.detach()))

    def score(self, text: str) -> float:
        """Probability in 0..1 that `text` is in the voice."""
        return self.score_many([text])[0]

    def score_many(self, texts: list[str]) -> list[float]:
        """`score` for several texts at once (one gather per text; numpy, float32)."""
        import numpy as np

        weights = np.asarray(self.weights, dtype=np.float32)  # a torch tensor after `fit`
        out = []
        for text in texts:
            feats = hashed_features(text)
            idx = np.fromiter(feats.keys(), dtype=np.int64, count=len(feats))
            val = np.fromiter(feats.values(), dtype=np.float32, count=len(feats))
            z = np.float32(self.bias + float((weights[idx] * val).sum()))
            out.append(float(np.float32(1.0) / (np.float32(1.0) + np.exp(-z))))
        return out

    def state(self) -> dict:
        """Tensors for safetensors (`style_scorer.safetensors`, written with safetensors.torch)."""
        import torch

        return {"weights": torch.as_tensor(self.weights).contiguous(), "bias": torch.tensor([self.bias])}

    @classmethod
    def from_state(cls, state: dict) -> "StyleScorer":
        """Inverse of `state`."""
        return cls(state["weights"], float(state["bias"][0]))
