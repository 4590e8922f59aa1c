"""Preview pictures: a synthetic test card and before/after grids."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

import numpy as np


def test_card(width: int = 384, height: int = 192) -> np.ndarray:
    """A colour chart: hues across, light to dark down, and a grey ramp along the bottom."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    hue = x / width
    value = 1.0 - 0.85 * (y / height)
    sat = np.full_like(hue, 0.75)
    # HSV to RGB, vectorised
    i = np.floor(hue * 6) % 6
    f = hue * 6 - np.floor(hue * 6)
    p, q, t = value * (1 - sat), value * (1 - f * sat), value * (1 - (1 - f) * sat)
    choices = [(value, t, p), (q, value, p), (p, value, t), (p, q, value), (t, p, value), (value, p, q)]
    rgb = np.zeros((height, width, 3), np.float32)
    for k, (r, g, b) in enumerate(choices):
        mask = i == k
        rgb[mask] = np.stack([r[mask], g[mask], b[mask]], axis=-1)
    band = height // 6
    rgb[-band:] = (x[-band:] / width)[..., None]
    return rgb


def grid(rows: Sequence[Sequence[np.ndarray]], gap: int = 4) -> np.ndarray:
    """Tile equally sized float RGB images into one picture with white gaps."""
    h, w = rows[0][0].shape[:2]
    cols = max(len(r) for r in rows)
    out = np.ones((len(rows) * (h + gap) - gap, cols * (w + gap) - gap, 3), np.float32)
    for ri, row in enumerate(rows):
        for ci, img in enumerate(row):
            out[ri * (h + gap) : ri * (h + gap) + h, ci * (w + gap) : ci * (w + gap) + w] = img
    return out


def write_preview(path: Path, apply: Callable[[np.ndarray], np.ndarray]) -> Path:
    """Write a before/after picture of a look on the test card."""
    from .imageio import to_pil

    card = test_card()
    to_pil(grid([[card, np.clip(apply(card), 0, 1)]])).save(path)
    return path
