"""The look prior: an amortised estimator of a look from a feed of photos.

Trained offline (`scripts/train_look_prior.py`) on ordinary reference photos
(`data/reference`) styled with many sampled looks (`looksampler.py`), it reads a
feed (and, where given, the user's own ordinary photos) and predicts the grade
generator's parameters (`model.PARAM_SHAPES`) that would turn ordinary photos into
the feed's look. It was trained to minimise the colour error of that grade on
*other* photos, so it learns what a feed's statistics say about the look and what
they only say about the scenes; where the evidence is weak it predicts less.

Architecture: a DeepSets encoder. Every photo becomes a vector of per-image
statistics (`photo_features`: tone quantiles, channel quantiles, the colour of
shadows/mid-tones/highlights, colour-constancy casts, chroma by brightness and by
hue band, corner falloff, local contrast); a shared MLP embeds each photo; the
embeddings are averaged per set (feed; content); a second MLP maps the set
summaries (embedding means, feature means and spreads, the set sizes) to the grade.

The weights ship as `data/prior/look_prior.safetensors` with `MODEL_CARD.md`.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

import numpy as np

PRIOR_DIR = Path(__file__).parent / "data" / "prior"
WEIGHTS = PRIOR_DIR / "look_prior.safetensors"
FEATURE_SIZE = 48  # photos are read at this square size for the estimator
HIDDEN = 128


def photo_features(img: "Any") -> "Any":
    """Per-image statistics (B, N_FEATURES) of sRGB images (B, 3, H, W) in [0, 1]."""
    import torch

    from .model import LUMA, hue_weights
    from .stats import image_stats

    b = img.shape[0]
    flat = img.reshape(b, 3, -1)
    parts = [image_stats(img)]
    parts.append(torch.quantile(flat, flat.new_tensor((0.25, 0.5, 0.75)), dim=2).permute(1, 2, 0).reshape(b, -1))
    y = (flat * flat.new_tensor(LUMA)[None, :, None]).sum(1)
    c = (flat - y[:, None]).transpose(1, 2)  # (B, N, 3)
    a = c[..., 0] - c[..., 1]
    bb = 0.5 * (c[..., 0] + c[..., 1]) - c[..., 2]
    order = torch.argsort(y, dim=1)
    n = y.shape[1]
    for q in range(5):
        idx = order[:, q * n // 5 : (q + 1) * n // 5]
        parts.append(torch.stack([a.gather(1, idx).mean(1), bb.gather(1, idx).mean(1)], 1))
    chroma = torch.sqrt(a**2 + bb**2 + 1e-6)
    w = hue_weights(c) * chroma[..., None]  # chroma-weighted hue membership
    share = w.mean(1)
    parts.append(torch.log(share + 1e-4))
    parts.append(torch.log((w * chroma[..., None]).mean(1) / (share + 1e-4) + 1e-4))
    h, wd = img.shape[-2:]
    yy = y.reshape(b, 1, h, wd)
    for k in (3, 9):
        blur = torch.nn.functional.avg_pool2d(torch.nn.functional.pad(yy, (k // 2,) * 4, mode="replicate"), k, stride=1)
        parts.append(torch.log((yy - blur).abs().mean((1, 2, 3)) + 1e-4)[:, None])
    return torch.cat(parts, 1)


def n_features() -> int:
    """Length of `photo_features` vectors."""
    import torch

    return int(photo_features(torch.rand(1, 3, 16, 16)).shape[1])


def _mlp(sizes: Sequence[int]) -> "Any":
    from torch import nn

    layers: list[Any] = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(nn.GELU())
    return nn.Sequential(*layers)


def build_estimator(n_feat: int, n_params: int, hidden: int = HIDDEN) -> "Any":
    """A fresh estimator (torch module); its last layer starts at the identity look, but for a faint vignette."""
    import torch
    from torch import nn

    from .model import N_PARAMS, PARAM_SHAPES

    start = 0
    for name, shape in PARAM_SHAPES.items():
        size = int(np.prod(shape))
        if name == "vig":
            VIG_SLICE = slice(start, start + size)
        start += size

    class LookEstimator(nn.Module):
        """DeepSets: per-photo embedding, mean per set, then a set-level MLP to the grade."""

        def __init__(self) -> None:
            super().__init__()
            self.register_buffer("feat_mean", torch.zeros(n_feat))
            self.register_buffer("feat_std", torch.ones(n_feat))
            self.phi = _mlp([n_feat, hidden, hidden])
            self.rho = _mlp([2 * hidden + 3 * n_feat + 3, 2 * hidden, 2 * hidden, n_params])
            nn.init.zeros_(self.rho[-1].weight)
            nn.init.zeros_(self.rho[-1].bias)
            # The vignette is clamped to darkening (>= 0): started at exactly 0 its outputs
            # can fall below and never come back, so they start at a faint vignette.
            if n_params == N_PARAMS:
                with torch.no_grad():
                    self.rho[-1].bias[VIG_SLICE] = 0.02

        def summary(self, feats: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
            z = (feats - self.feat_mean) / self.feat_std
            m = mask[..., None]
            count = m.sum(1).clamp_min(1.0)
            emb = (self.phi(z) * m).sum(1) / count
            mean = (z * m).sum(1) / count
            var = (((z - mean[:, None]) ** 2) * m).sum(1) / count
            return emb, mean, var.sqrt()

        def forward(self, feed: torch.Tensor, feed_mask: torch.Tensor, content: torch.Tensor, content_mask: torch.Tensor) -> torch.Tensor:
            """feed (B, Nf, F) + mask (B, Nf); content (B, Nc, F) + mask (B, Nc; all 0 = none) -> (B, N_PARAMS)."""
            fe, fm, fs = self.summary(feed, feed_mask)
            ce, cm, _ = self.summary(content, content_mask)
            has_c = (content_mask.sum(1, keepdim=True) > 0).float()
            nf = torch.log(feed_mask.sum(1, keepdim=True).clamp_min(1.0))
            nc = torch.log1p(content_mask.sum(1, keepdim=True))
            x = torch.cat([fe, ce * has_c, fm, fs, cm * has_c, has_c, nf, nc], 1)
            return self.rho(x)

    return LookEstimator()


def square(photo: np.ndarray, size: int = FEATURE_SIZE) -> np.ndarray:
    """A photo resized (area filter, aspect squashed) to (size, size, 3) float32."""
    import cv2

    return cv2.resize(np.ascontiguousarray(photo, dtype=np.float32), (size, size), interpolation=cv2.INTER_AREA)


def features_of(photos: Sequence[np.ndarray]) -> "Any":
    """Features (N, F) of whole photos (float32 sRGB arrays), read at the estimator's size."""
    import torch

    x = torch.from_numpy(np.stack([square(p) for p in photos]).transpose(0, 3, 1, 2).copy())
    with torch.no_grad():
        return photo_features(x)


class LookPrior:
    """The shipped estimator, ready to predict a grade from photos."""

    def __init__(self, model: "Any", meta: dict[str, Any]) -> None:
        self.model = model.eval()
        self.meta = meta

    def estimate_from_features(self, feed: "Any", content: "Any | None" = None) -> "Any":
        """Grade parameters (N_PARAMS,) for feature sets (Nf, F) and optional (Nc, F)."""
        import torch

        n_feat = feed.shape[1]
        c = content if content is not None and len(content) else torch.zeros(1, n_feat)
        cmask = torch.ones(1, len(c)) if content is not None and len(content) else torch.zeros(1, 1)
        with torch.no_grad():
            return self.model(feed[None], torch.ones(1, len(feed)), c[None], cmask)[0]

    def estimate(self, feed: Sequence[np.ndarray], content: Sequence[np.ndarray] = ()) -> "Any":
        """Grade parameters (N_PARAMS,) for a feed of photos and optional ordinary content photos."""
        return self.estimate_from_features(features_of(feed), features_of(content) if len(content) else None)

    def bootstrap(self, feed: Sequence[np.ndarray], content: Sequence[np.ndarray] = (), rounds: int = 16, seed: int = 0) -> "Any":
        """Estimates (rounds, N_PARAMS) from feeds resampled with replacement: their spread is the uncertainty."""
        import torch

        f = features_of(feed)
        c = features_of(content) if len(content) else None
        rng = np.random.default_rng(seed)
        return torch.stack([self.estimate_from_features(f[torch.from_numpy(rng.integers(0, len(f), len(f)))], c) for _ in range(rounds)])


def save_prior(model: "Any", meta: dict[str, Any], path: Path = WEIGHTS) -> None:
    """Write the estimator's weights (safetensors) and its metadata (in the header), atomically."""
    from safetensors.torch import save_file

    from stylekit.imageio import atomic_write

    tensors = {k: v.detach().float().cpu().contiguous() for k, v in model.state_dict().items()}
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    atomic_write(Path(path), lambda tmp: save_file(tensors, str(tmp), metadata={"meta": json.dumps(meta, sort_keys=True)}), overwrite=True)
    Path(path).chmod(0o644)  # package data: readable by everyone


@lru_cache(maxsize=2)
def load_prior(path: Path = WEIGHTS) -> LookPrior | None:
    """The shipped look prior, or None when its weights are absent (the engine then starts at the identity)."""
    if not Path(path).is_file():
        return None
    from safetensors import safe_open

    with safe_open(str(path), framework="pt") as f:
        meta = json.loads(f.metadata().get("meta", "{}"))
        tensors = {k: f.get_tensor(k) for k in f.keys()}
    last = max((k for k in tensors if k.startswith("rho.") and k.endswith(".weight")), key=lambda k: int(k.split(".")[1]))
    n_params = int(tensors[last].shape[0])  # an estimator of fewer groups predicts the identity for the rest
    model = build_estimator(int(tensors["feat_mean"].shape[0]), n_params, int(meta.get("hidden", HIDDEN)))
    model.load_state_dict(tensors)
    return LookPrior(model, meta)


def judged_gaps(prior: LookPrior, feed: Sequence[np.ndarray], ordinary: Sequence[np.ndarray], candidates: "Any") -> list[float]:
    """For each candidate grade (rows of `candidates`, (K, N_PARAMS)), how far the look prior
    judges ordinary photos *graded by it* from the feed's look: the mean CIE76 difference,
    over probe colours, between the prior's estimate for the graded photos and its estimate
    for the feed. The identity's gap is the size of the look; a grade that leaves a larger
    gap than the identity moved photos away from the feed's look."""
    import torch

    from .model import GradeGenerator, grade_images, unflatten
    from .prior_training import srgb_to_lab

    x = torch.from_numpy(np.stack([square(o) for o in ordinary]).transpose(0, 3, 1, 2).copy())
    probes = torch.rand(1, 3, 16, 32, generator=torch.Generator().manual_seed(0))

    def look_of(theta: "Any") -> "Any":
        return srgb_to_lab(GradeGenerator(init=theta).colour(probes.permute(0, 2, 3, 1)).permute(0, 3, 1, 2))

    with torch.no_grad():
        target = look_of(prior.estimate_from_features(features_of(feed)))
        gaps = []
        for theta in candidates:
            groups = {k: v.expand(len(x), *v.shape[1:]) for k, v in unflatten(GradeGenerator(init=theta).vector()[None]).items()}
            graded = grade_images(groups, x)
            est = prior.estimate_from_features(photo_features(graded))
            gaps.append(float((look_of(est) - target).pow(2).sum(1).sqrt().mean()))
    return gaps
