"""A sampler of photo looks over broad families, deterministic by seed (numpy only).

Used to train the look prior (`prior.py`, `scripts/train_look_prior.py`) and by the
held-out look protocol (`benchmarks/bench_look_protocol.py`). The looks are written
independently of the engine's generator (other functional forms: spline tone curves,
Gaussian hue bands in HSV, radial basis LUT warps, guided-filter clarity), so an
estimator that recovers them has learned looks, not a copy of its own model family.

Families (`FAMILIES`):

- ``grade``: a random parametric grade, a random subset of exposure, white balance
  (temperature/tint in linear light), a monotone spline tone curve (S-curve, fade,
  black/white points), per-channel curves, split toning, saturation/vibrance,
  hue/saturation/luminance by hue band, black and white with a channel mix, vignette;
- ``lut``: identity plus a smooth random warp of the colour cube (a few radial basis
  bumps), optionally after a mild grade;
- ``local``: a mild grade plus local operations: clarity (local contrast), tone
  compression (shadows up, highlights down on a blurred luminance), film grain;
- ``mixed``: a strong grade composed with a LUT warp and one local operation.

`sample_look(seed)` returns a `SampledLook`: call it on an sRGB float image (H, W, 3)
in [0, 1] to get the styled image; `.family` and `.ops` describe it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

FAMILIES = ("grade", "lut", "local", "mixed")
LUMA = np.array([0.2126, 0.7152, 0.0722])

Op = Callable[[np.ndarray], np.ndarray]


def to_linear(x: np.ndarray) -> np.ndarray:
    """sRGB decoding (IEC 61966-2-1), clipped to [0, 1] first."""
    x = np.clip(x, 0.0, 1.0)
    return np.where(x <= 0.04045, x / 12.92, ((x + 0.055) / 1.055) ** 2.4)


def to_srgb(x: np.ndarray) -> np.ndarray:
    """sRGB encoding (IEC 61966-2-1), clipped to [0, 1] first."""
    x = np.clip(x, 0.0, 1.0)
    return np.where(x <= 0.0031308, x * 12.92, 1.055 * x ** (1 / 2.4) - 0.055)


def _luma(x: np.ndarray) -> np.ndarray:
    return (x @ LUMA)[..., None]


def _monotone_curve(xs: np.ndarray, ys: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """Monotone cubic (Fritsch-Carlson) through increasing control points."""
    d = np.diff(ys) / np.diff(xs)
    m = np.zeros_like(ys)
    m[1:-1] = np.where(d[:-1] * d[1:] > 0, 2 / (1 / np.maximum(d[:-1], 1e-9) + 1 / np.maximum(d[1:], 1e-9)), 0.0)
    m[0], m[-1] = d[0], d[-1]

    def f(x: np.ndarray) -> np.ndarray:
        x = np.clip(x, xs[0], xs[-1])
        i = np.clip(np.searchsorted(xs, x) - 1, 0, len(xs) - 2)
        h = xs[i + 1] - xs[i]
        t = (x - xs[i]) / h
        t2, t3 = t * t, t * t * t
        return (
            (2 * t3 - 3 * t2 + 1) * ys[i]
            + (t3 - 2 * t2 + t) * h * m[i]
            + (-2 * t3 + 3 * t2) * ys[i + 1]
            + (t3 - t2) * h * m[i + 1]
        )

    return f


def _box(x: np.ndarray, r: int) -> np.ndarray:
    """Box filter of radius r (edge-replicated) on a 2D array, by cumulative sums."""
    if r < 1:
        return x
    p = np.pad(x, r, mode="edge")
    c = p.cumsum(0).cumsum(1)
    c = np.pad(c, ((1, 0), (1, 0)))
    k = 2 * r + 1
    return (c[k:, k:] - c[:-k, k:] - c[k:, :-k] + c[:-k, :-k]) / (k * k)


def _guided(y: np.ndarray, r: int, eps: float) -> np.ndarray:
    """Self-guided filter of a luminance plane (edge-preserving smoothing)."""
    mean = _box(y, r)
    var = _box(y * y, r) - mean * mean
    a = var / (var + eps)
    b = mean - a * mean
    return _box(a, r) * y + _box(b, r)


def _planes(fn: Callable[[np.ndarray], np.ndarray], y: np.ndarray) -> np.ndarray:
    """Apply a 2D filter to each (H, W) plane of y (..., H, W)."""
    flat = y.reshape(-1, *y.shape[-2:])
    return np.stack([fn(p) for p in flat]).reshape(y.shape)


def _hue(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """HSV hue in degrees and chroma (max - min)."""
    mx, mn = x.max(-1), x.min(-1)
    c = mx - mn
    r, g, b = x[..., 0], x[..., 1], x[..., 2]
    safe = np.maximum(c, 1e-9)
    h = np.where(mx == r, ((g - b) / safe) % 6, np.where(mx == g, (b - r) / safe + 2, (r - g) / safe + 4)) * 60.0
    return np.where(c > 1e-9, h, 0.0), c


@dataclass
class SampledLook:
    """A look drawn by `sample_look`: a list of operations applied in order."""

    seed: int
    family: str
    ops: list[tuple[str, dict[str, Any], Op]] = field(default_factory=list)

    def __call__(self, img: np.ndarray) -> np.ndarray:
        """The styled image(s): (H, W, 3) or a stack (N, H, W, 3) of equal-sized images."""
        x = np.clip(np.asarray(img, dtype=np.float64), 0.0, 1.0)
        for _, _, op in self.ops:
            x = np.clip(op(x), 0.0, 1.0)
        return x.astype(np.float32)

    def describe(self) -> str:
        """The operations and their main parameters, one line."""
        parts = []
        for name, params, _ in self.ops:
            shown = ", ".join(f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}" for k, v in params.items())
            parts.append(f"{name}({shown})")
        return f"{self.family}: " + " > ".join(parts)


# ---- operations: each returns (name, params, function) -----------------------------


def op_exposure(rng: np.random.Generator) -> tuple[str, dict[str, Any], Op]:
    ev = float(rng.choice([-1, 1]) * rng.uniform(0.15, 1.0))
    return "exposure", {"ev": ev}, lambda x: to_srgb(to_linear(x) * 2.0**ev)


def op_white_balance(rng: np.random.Generator) -> tuple[str, dict[str, Any], Op]:
    temp, tint = float(rng.normal(0, 0.12)), float(rng.normal(0, 0.05))
    gains = np.exp(np.array([temp + tint / 2, -tint, -temp + tint / 2]))
    gains = gains / (gains @ LUMA)
    return "white_balance", {"temperature": temp, "tint": tint}, lambda x: to_srgb(to_linear(x) * gains)


def op_tone_curve(rng: np.random.Generator) -> tuple[str, dict[str, Any], Op]:
    black = float(max(0.0, rng.normal(0.0, 0.06)))  # lifted blacks (fade)
    white = float(1.0 - max(0.0, rng.normal(0.0, 0.05)))
    s = float(rng.normal(0.0, 0.07))  # S-curve (positive) or flat (negative)
    mid = float(rng.normal(0.0, 0.05))
    xs = np.array([0.0, 0.25, 0.5, 0.75, 1.0])
    ys = np.array([0.0, 0.25 - s, 0.5 + mid, 0.75 + s, 1.0])
    ys = np.maximum.accumulate(np.clip(ys, 0, 1) + np.arange(5) * 1e-3)
    ys = black + (white - black) * (ys - ys[0]) / (ys[-1] - ys[0])
    f = _monotone_curve(xs, ys)
    return "tone_curve", {"black": black, "white": white, "s": s, "mid": mid}, f


def op_channel_curves(rng: np.random.Generator) -> tuple[str, dict[str, Any], Op]:
    xs = np.array([0.0, 0.25, 0.5, 0.75, 1.0])
    curves = []
    for _ in range(3):
        ys = xs + rng.normal(0, 0.03, 5) * np.array([0.5, 1, 1, 1, 0.5])
        ys[0] = max(0.0, ys[0])
        ys[-1] = min(1.0, ys[-1])
        ys = np.maximum.accumulate(np.clip(ys, 0, 1) + np.arange(5) * 1e-3)
        curves.append(_monotone_curve(xs, ys))
    return "channel_curves", {}, lambda x: np.stack([curves[c](x[..., c]) for c in range(3)], -1)


def op_split_tone(rng: np.random.Generator) -> tuple[str, dict[str, Any], Op]:
    hs, hh = rng.uniform(0, 2 * np.pi, 2)
    amt_s, amt_h = float(rng.uniform(0.0, 0.06)), float(rng.uniform(0.0, 0.06))
    axes = np.array([[1.0, -0.5, -0.5], [0.0, 0.866, -0.866]])
    cs = amt_s * (np.cos(hs) * axes[0] + np.sin(hs) * axes[1])
    ch = amt_h * (np.cos(hh) * axes[0] + np.sin(hh) * axes[1])

    def f(x: np.ndarray) -> np.ndarray:
        y = np.clip(_luma(x), 0, 1)
        w = y * y * (3 - 2 * y)
        return x + (1 - w) ** 1.5 * cs + w**1.5 * ch

    return "split_tone", {"shadow_amount": amt_s, "highlight_amount": amt_h}, f


def op_saturation(rng: np.random.Generator) -> tuple[str, dict[str, Any], Op]:
    sat = float(np.exp(rng.normal(0, 0.3)))
    vib = float(rng.normal(0, 0.3))

    def f(x: np.ndarray) -> np.ndarray:
        y = _luma(x)
        c = x - y
        chroma = np.abs(c).max(-1, keepdims=True)
        k = sat * (1 + vib * (1 - np.clip(chroma * 3, 0, 1)))
        return y + np.maximum(k, 0) * c

    return "saturation", {"saturation": sat, "vibrance": vib}, f


def op_hsl_band(rng: np.random.Generator) -> tuple[str, dict[str, Any], Op]:
    centre = float(rng.uniform(0, 360))
    width = float(rng.uniform(25, 60))
    dh = float(rng.normal(0, 12))
    ds = float(np.exp(rng.normal(0, 0.35)))
    dl = float(rng.normal(0, 0.06))

    def f(x: np.ndarray) -> np.ndarray:
        h, c = _hue(x)
        d = np.abs((h - centre + 180.0) % 360.0 - 180.0)
        w = (np.exp(-0.5 * (d / width) ** 2) * np.clip(c * 4, 0, 1))[..., None]
        y = _luma(x)
        cvec = x - y
        # Rotate the chroma vector around the grey axis by dh, scale by ds.
        axis = np.ones(3) / np.sqrt(3)
        t = np.radians(dh) * w
        cos, sin = np.cos(t), np.sin(t)
        rot = cvec * cos + np.cross(axis, cvec) * sin + axis * (cvec @ axis)[..., None] * (1 - cos)
        return y + dl * w + (1 + (ds - 1) * w) * rot

    return "hsl_band", {"hue": centre, "width": width, "hue_shift": dh, "saturation": ds, "luminance": dl}, f


def op_black_white(rng: np.random.Generator) -> tuple[str, dict[str, Any], Op]:
    mix = rng.dirichlet([4, 4, 2])
    tone = float(rng.uniform(0, 0.04))
    tint = np.array([1.0, 0.3, -1.0]) * tone * rng.choice([-1, 1])

    def f(x: np.ndarray) -> np.ndarray:
        y = (x @ mix)[..., None]
        return y + tint * 4 * y * (1 - y)

    return "black_white", {"red": float(mix[0]), "green": float(mix[1]), "tone": tone}, f


def op_vignette(rng: np.random.Generator) -> tuple[str, dict[str, Any], Op]:
    amt = float(rng.uniform(0.1, 0.6))
    power = float(rng.uniform(1.5, 3.0))

    def f(x: np.ndarray) -> np.ndarray:
        h, w = x.shape[-3], x.shape[-2]
        v = np.linspace(-1, 1, h)[:, None] ** 2
        u = np.linspace(-1, 1, w)[None, :] ** 2
        r2 = (u + v) / 2
        return to_srgb(to_linear(x) * (1 - amt * r2 ** (power / 2))[..., None])

    return "vignette", {"amount": amt, "power": power}, f


def op_lut_warp(rng: np.random.Generator) -> tuple[str, dict[str, Any], Op]:
    k = int(rng.integers(2, 6))
    centres = rng.uniform(0, 1, (k, 3))
    shifts = rng.normal(0, 0.07, (k, 3))
    widths = rng.uniform(0.15, 0.4, k)

    def f(x: np.ndarray) -> np.ndarray:
        out = x.copy()
        for c, s, wd in zip(centres, shifts, widths):
            d2 = ((x - c) ** 2).sum(-1, keepdims=True)
            out = out + s * np.exp(-0.5 * d2 / wd**2)
        return out

    return "lut_warp", {"bumps": k}, f


def op_clarity(rng: np.random.Generator) -> tuple[str, dict[str, Any], Op]:
    amount = float(rng.uniform(-0.3, 0.8))
    radius = float(rng.uniform(0.01, 0.04))

    def f(x: np.ndarray) -> np.ndarray:
        y = _luma(x)[..., 0]
        r = max(1, int(round(radius * max(x.shape[-3:-1]))))
        base = _planes(lambda p: _guided(p, r, 0.01), y)
        ny = np.clip(y + amount * (y - base), 0, 1)
        return x * ((ny + 1e-3) / (y + 1e-3))[..., None]

    return "clarity", {"amount": amount, "radius": radius}, f


def op_tone_compression(rng: np.random.Generator) -> tuple[str, dict[str, Any], Op]:
    shadows = float(rng.uniform(0.0, 0.5))
    highlights = float(rng.uniform(0.0, 0.5))

    def f(x: np.ndarray) -> np.ndarray:
        y = _luma(x)[..., 0]
        r = max(1, int(round(0.03 * max(x.shape[-3:-1]))))
        base = np.clip(_planes(lambda p: _guided(p, r, 0.02), y), 0, 1)
        gain = 1 + shadows * (1 - base) ** 3 - highlights * base**3 * 0.5
        return to_srgb(to_linear(x) * gain[..., None] ** 2.2)

    return "tone_compression", {"shadows": shadows, "highlights": highlights}, f


def op_grain(rng: np.random.Generator) -> tuple[str, dict[str, Any], Op]:
    amount = float(rng.uniform(0.01, 0.05))
    seed = int(rng.integers(0, 2**31))

    def f(x: np.ndarray) -> np.ndarray:
        noise = np.random.default_rng(seed).normal(0, amount, x.shape[:-1])[..., None]
        y = _luma(x)
        return x + noise * 4 * np.clip(y * (1 - y), 0.05, 0.25)

    return "grain", {"amount": amount}, f


GRADE_OPS = (op_exposure, op_white_balance, op_tone_curve, op_channel_curves, op_split_tone, op_saturation, op_hsl_band, op_vignette)
LOCAL_OPS = (op_clarity, op_tone_compression, op_grain)


def _grade(rng: np.random.Generator, n_min: int, n_max: int) -> list[tuple[str, dict[str, Any], Op]]:
    n = int(rng.integers(n_min, n_max + 1))
    picks = sorted(rng.choice(len(GRADE_OPS), size=n, replace=False))
    ops = [GRADE_OPS[i](rng) for i in picks]
    if rng.random() < 0.08:  # black and white, before the vignette
        at = len(ops) - (1 if ops and ops[-1][0] == "vignette" else 0)
        ops.insert(at, op_black_white(rng))
    return ops


def sample_look(seed: int, family: str | None = None) -> SampledLook:
    """The look drawn from `seed` (and its family, drawn from the seed unless given)."""
    rng = np.random.default_rng([seed, 7919])
    fam = family or FAMILIES[int(rng.choice(len(FAMILIES), p=[0.5, 0.15, 0.15, 0.2]))]
    if fam not in FAMILIES:
        raise ValueError(f"Unknown look family '{fam}'; use one of {', '.join(FAMILIES)}.")
    if fam == "grade":
        ops = _grade(rng, 2, 6)
    elif fam == "lut":
        ops = (_grade(rng, 1, 2) if rng.random() < 0.5 else []) + [op_lut_warp(rng)]
    elif fam == "local":
        ops = _grade(rng, 1, 3) + [LOCAL_OPS[int(rng.integers(0, len(LOCAL_OPS)))](rng)]
    else:
        ops = _grade(rng, 3, 6) + [op_lut_warp(rng), LOCAL_OPS[int(rng.integers(0, len(LOCAL_OPS)))](rng)]
    return SampledLook(seed, fam, ops)


# Seed ranges of the look protocol: decisions are made on TUNING_SEEDS only; the held-out
# range is reported once per change and never looked at while tuning. The prior trains on
# TRAINING_SEEDS, which overlap neither.
TUNING_SEEDS = range(0, 24)
HELDOUT_SEEDS = range(100_000, 100_030)
TRAINING_SEEDS_START = 1_000_000
