"""A gan look on video frames: the baked colour table, then local tone on the luma plane
and the vignette gain map of the frame size, the same maths as `LookTransform.apply`."""

from __future__ import annotations

import numpy as np

from stylekit.engines import FrameApplier
from stylekit.frames import ImageFrameApplier, TableFrameApplier, cached_table

from .local import _tone, guided_np, radius_px
from .transform import LookTransform


def vignette_gain(height: int, width: int, coefficients: np.ndarray) -> np.ndarray | None:
    """The per-pixel vignette gain of an (height, width) frame, or None for no vignette."""
    a, b = (float(v) for v in coefficients)
    if not (a or b):
        return None
    u2 = np.linspace(-1.0, 1.0, width, dtype=np.float32) ** 2 if width > 1 else np.zeros(1, np.float32)
    v2 = np.linspace(-1.0, 1.0, height, dtype=np.float32) ** 2 if height > 1 else np.zeros(1, np.float32)
    r2 = np.add.outer(v2, u2)
    r2 *= np.float32(0.5)
    gain = r2 * np.float32(b)
    gain += np.float32(a)
    gain *= r2
    np.negative(gain, out=gain)
    return np.exp(gain, out=gain)


def local_ratio(params: np.ndarray, height: int, width: int):
    """The local tone step as a luma -> colour ratio function, or None for no local tone."""
    p = np.asarray(params, np.float32)
    if not np.any(p):
        return None
    r = radius_px(height, width)

    def ratio(y: np.ndarray) -> np.ndarray:
        base = guided_np(y, r)
        y2 = _tone(y, base, p)
        np.clip(y2, 0.0, 1.0, out=y2)
        y2 += np.float32(1e-3)
        y += np.float32(1e-3)
        y2 /= y
        return y2

    return ratio


def look_frame_applier(transform: LookTransform, height: int, width: int) -> FrameApplier:
    """`transform` (already at its strength) for (height, width) uint8 frames.

    A table holds 8-bit results, clipped to [0, 1]; the float path lets colours the LUT
    pushes past white or black (strength above 1 extrapolates) through local tone and the
    vignette before it clips. Such a look with local tone or a vignette goes the exact
    float way (`ImageFrameApplier` over `transform.apply`).
    """
    lut = transform.lut
    spatial = np.any(transform.local) or np.any(transform.vignette)
    if spatial and (float(lut.min()) < 0.0 or float(lut.max()) > 1.0):
        return ImageFrameApplier(_Float(transform), height, width, 1.0, {})
    return TableFrameApplier(
        cached_table(transform.lut), height, width,
        ratio=local_ratio(transform.local, height, width), gain=vignette_gain(height, width, transform.vignette),
    )


class _Float:
    """`transform.apply` with the signature `ImageFrameApplier` calls."""

    def __init__(self, transform: LookTransform) -> None:
        self.transform = transform

    def apply(self, rgb: np.ndarray, strength: float = 1.0) -> np.ndarray:
        return self.transform.apply(rgb)
