"""Training the look prior: reference photos x sampled looks -> an amortised look estimator.

Each training example imitates an influencer: a random look from `looksampler`
(or, in a tenth of the examples, no look at all) applied to a feed of 4-20 crops of
different reference photos, optionally 2-8 other ordinary photos as the user's
content, and 4 further photos on which the estimate is scored. Ordinary photos vary
too, so every crop gets a small random exposure (about a third of a stop) and white
balance, before any look: the estimator must learn that such differences belong to
scenes. The loss is the mean CIE76 colour difference (in CIELAB) between the
predicted grade and the true look on the scoring photos, plus the curve regulariser.
Minimising the expected error makes the estimator bold where a feed shows its look
plainly and cautious where the look is hard to tell from the scenes.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from .looksampler import TRAINING_SEEDS_START, sample_look, to_linear, to_srgb

MAX_FEED, MAX_CONTENT, TARGETS = 20, 8, 4


def scene_crop(photo: np.ndarray, rng: np.random.Generator, size: int) -> np.ndarray:
    """A random crop (50-100 % of each side), maybe mirrored, resized to (size, size), with
    a small random exposure and white balance: how ordinary photos of one kind differ."""
    import cv2

    h, w = photo.shape[:2]
    ch = max(8, int(h * rng.uniform(0.5, 1.0)))
    cw = max(8, int(w * rng.uniform(0.5, 1.0)))
    top, left = int(rng.integers(0, h - ch + 1)), int(rng.integers(0, w - cw + 1))
    crop = photo[top : top + ch, left : left + cw]
    if rng.random() < 0.5:
        crop = crop[:, ::-1]
    crop = cv2.resize(np.ascontiguousarray(crop), (size, size), interpolation=cv2.INTER_AREA)
    ev = rng.normal(0.0, 0.3)
    temp = rng.normal(0.0, 0.04)
    gains = 2.0**ev * np.exp(np.array([temp, 0.0, -temp]))
    return to_srgb(to_linear(crop) * gains).astype(np.float32)


@dataclass
class PriorData:
    """Training examples as tensors: features with masks, and raw/true scoring photos."""

    feed: Any  # (N, MAX_FEED, F)
    feed_mask: Any  # (N, MAX_FEED)
    content: Any  # (N, MAX_CONTENT, F)
    content_mask: Any  # (N, MAX_CONTENT)
    raw: Any  # (N, TARGETS, 3, T, T)
    true: Any  # (N, TARGETS, 3, T, T)

    def __len__(self) -> int:
        return int(self.feed.shape[0])

    def subset(self, idx: Any) -> "PriorData":
        return PriorData(*(getattr(self, k)[idx] for k in ("feed", "feed_mask", "content", "content_mask", "raw", "true")))


def make_examples(
    photos: Sequence[np.ndarray],
    n: int,
    seed: int = 0,
    feat_size: int = 48,
    target_size: int = 32,
    identity_share: float = 0.1,
    progress: Callable[[int, int], None] | None = None,
) -> PriorData:
    """`n` training examples from ordinary `photos` (deterministic for a seed)."""
    import torch

    from .prior import photo_features

    import cv2

    # Crops are read from copies with a long side of twice the feature size: area-filtered
    # once here instead of for every crop.
    small = []
    for p in photos:
        k = 2 * feat_size / max(p.shape[:2])
        small.append(cv2.resize(p, (max(8, round(p.shape[1] * k)), max(8, round(p.shape[0] * k))), interpolation=cv2.INTER_AREA) if k < 1 else p)
    photos = small
    chunk = 32
    out: dict[str, list[Any]] = {k: [] for k in ("feed", "feed_mask", "content", "content_mask", "raw", "true")}
    for start in range(0, n, chunk):
        images, slots = [], []
        for i in range(start, min(n, start + chunk)):
            rng = np.random.default_rng([seed, i, 31])
            look = None if rng.random() < identity_share else sample_look(TRAINING_SEEDS_START + seed * 10_000_000 + i)
            nf = int(rng.integers(4, MAX_FEED + 1))
            nc = 0 if rng.random() < 0.4 else int(rng.integers(2, MAX_CONTENT + 1))
            need = nf + nc + TARGETS
            pick = rng.choice(len(photos), size=need, replace=len(photos) < need)
            crops = [scene_crop(photos[j], rng, feat_size) for j in pick[: nf + nc]]
            feed = np.stack(crops[:nf])
            if look is not None:
                feed = look(feed)
            raw_t = np.stack([scene_crop(photos[j], rng, target_size) for j in pick[nf + nc :]])
            true_t = look(raw_t) if look is not None else raw_t
            slots.append((len(images), nf, nc))
            images.extend(list(feed) + crops[nf:])
            out["raw"].append(torch.from_numpy(raw_t.transpose(0, 3, 1, 2).copy()))
            out["true"].append(torch.from_numpy(np.ascontiguousarray(true_t.transpose(0, 3, 1, 2))))
        with torch.no_grad():
            feats = photo_features(torch.from_numpy(np.stack(images).transpose(0, 3, 1, 2).copy()))
        n_feat = feats.shape[1]
        for at, nf, nc in slots:
            f = torch.zeros(MAX_FEED, n_feat)
            f[:nf] = feats[at : at + nf]
            fm = torch.zeros(MAX_FEED)
            fm[:nf] = 1
            c = torch.zeros(MAX_CONTENT, n_feat)
            c[:nc] = feats[at + nf : at + nf + nc]
            cm = torch.zeros(MAX_CONTENT)
            cm[:nc] = 1
            for k, v in (("feed", f), ("feed_mask", fm), ("content", c), ("content_mask", cm)):
                out[k].append(v)
        if progress is not None:
            progress(min(n, start + chunk), n)
    return PriorData(*(torch.stack(out[k]) for k in ("feed", "feed_mask", "content", "content_mask", "raw", "true")))


def srgb_to_lab(x: Any) -> Any:
    """Differentiable sRGB (..., 3, H, W) in [0, 1] -> CIELAB (D65), same layout."""
    import torch

    from .model import srgb_to_linear

    lin = srgb_to_linear(x)
    m = x.new_tensor([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = torch.einsum("ij,...jhw->...ihw", m, lin) / x.new_tensor([0.9505, 1.0, 1.089])[:, None, None]
    eps = 216 / 24389
    f = torch.where(xyz > eps, xyz.clamp_min(eps) ** (1 / 3), (24389 / 27 * xyz + 16) / 116)
    lab_l = 116 * f[..., 1, :, :] - 16
    lab_a = 500 * (f[..., 0, :, :] - f[..., 1, :, :])
    lab_b = 200 * (f[..., 1, :, :] - f[..., 2, :, :])
    return torch.stack([lab_l, lab_a, lab_b], -3)


def graded_error(theta: Any, raw: Any, true: Any) -> Any:
    """Mean CIE76 difference per example (B,) between the grade `theta` (B, P) applied to
    `raw` (B, T, 3, H, W) and `true` (same shape)."""
    from .model import grade_images, unflatten

    b, t = raw.shape[:2]
    groups = {k: v.repeat_interleave(t, 0) for k, v in unflatten(theta).items()}
    out = grade_images(groups, raw.reshape(b * t, *raw.shape[2:])).reshape(raw.shape)
    d = srgb_to_lab(out) - srgb_to_lab(true)
    return (d.pow(2).sum(-3) + 1e-4).sqrt().mean((-1, -2, -3))


def fit_estimator(
    data: PriorData,
    steps: int = 3000,
    batch: int = 64,
    lr: float = 2e-3,
    seed: int = 0,
    hidden: int | None = None,
    val: PriorData | None = None,
    progress: Callable[[int, int, float, float], None] | None = None,
) -> tuple[Any, dict[str, Any]]:
    """Train an estimator on `data`; return it and its training summary."""
    import torch

    from .model import N_PARAMS, curve_regulariser, unflatten
    from .prior import HIDDEN, build_estimator

    torch.manual_seed(seed)
    n_feat = data.feed.shape[-1]
    model = build_estimator(n_feat, N_PARAMS, hidden or HIDDEN)
    rows = data.feed[data.feed_mask > 0]
    model.feat_mean.copy_(rows.mean(0))
    model.feat_std.copy_(rows.std(0).clamp_min(1e-3))
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: 0.5 * (1 + math.cos(math.pi * min(s, steps) / steps)))
    rng = np.random.default_rng(seed)
    t0 = time.perf_counter()
    history = []
    for step in range(1, steps + 1):
        idx = torch.from_numpy(rng.integers(0, len(data), batch))
        d = data.subset(idx)
        theta = model(d.feed, d.feed_mask, d.content, d.content_mask)
        err = graded_error(theta, d.raw, d.true).mean()
        loss = err + 0.1 * curve_regulariser(unflatten(theta)["curve"]).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()
        sched.step()
        if step % 100 == 0 or step == steps:
            v = evaluate(model, val) if val is not None else float("nan")
            history.append({"step": step, "train_de": float(err.detach()), "val_de": v})
            if progress is not None:
                progress(step, steps, float(err.detach()), v)
    summary = {"steps": steps, "batch": batch, "lr": lr, "seconds": round(time.perf_counter() - t0, 1), "history": history}
    return model.eval(), summary


def evaluate(model: Any, data: PriorData, batch: int = 256) -> float:
    """Mean CIE76 error of the estimator's grades on `data`."""
    import torch

    total = 0.0
    with torch.no_grad():
        for s in range(0, len(data), batch):
            d = data.subset(slice(s, s + batch))
            theta = model(d.feed, d.feed_mask, d.content, d.content_mask)
            total += float(graded_error(theta, d.raw, d.true).sum())
    return total / max(1, len(data))
