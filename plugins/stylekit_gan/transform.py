"""A learned look as data: a colour LUT, local tone and vignette coefficients, applied at any size.

Strength and mixing act on the *transform*: the LUT lattice and the vignette
coefficients are interpolated toward the identity (strength) or between looks
(mixing); pixels are never blended. Application is per pixel (trilinear LUT lookup
times a radial gain computed from each pixel's position in the whole frame), so
processing the frame in bands of rows bounds memory at 4K and beyond without seams.

Local tone (clarity and tone compression, `local.py`) is an edge-aware filter over the
whole frame, applied between the LUT and the vignette; it is resolution-independent (its
radius is a share of the long side) and left out of `.cube` exports, which hold the
colour part only.

Applying needs numpy and OpenCV only (`stylekit.lut.apply_lut`), never torch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from stylekit.lut import BAND_PIXELS, apply_lut, identity_lut, remap_tiles


@dataclass
class LookTransform:
    """The colour LUT (N, N, N, 3) indexed [r, g, b], the vignette coefficients (2,) and the
    local tone parameters (3,: clarity, shadows, highlights; zero for none)."""

    lut: np.ndarray
    vignette: np.ndarray
    local: np.ndarray = field(default_factory=lambda: np.zeros(3, np.float32))
    _tiles: np.ndarray | None = field(default=None, init=False, repr=False, compare=False)

    def scaled(self, strength: float) -> "LookTransform":
        """This look at `strength`: 0 is the identity, 1 the look, above 1 extrapolates."""
        if strength == 1:
            return self
        ident = identity_lut(self.lut.shape[0])
        lut = ident + np.float32(strength) * (self.lut - ident)
        return LookTransform(
            lut.astype(np.float32), (self.vignette * strength).astype(np.float32), (self.local * strength).astype(np.float32)
        )

    def apply(self, rgb: np.ndarray) -> np.ndarray:
        """Grade an (H, W, 3) float32 image in [0, 1]; returns a new float32 array."""
        if self._tiles is None:  # the LUT laid out for OpenCV, kept for the next image
            self._tiles = remap_tiles(self.lut)
        h, w, _ = rgb.shape
        out = apply_lut(self.lut, np.asarray(rgb, dtype=np.float32), tiles=self._tiles)
        if np.any(self.local):
            from .local import apply_local_np

            out = apply_local_np(out, self.local)
        a, b = (float(v) for v in self.vignette)
        if a or b:
            # gain = exp(-(a r2 + b r2^2)), r2 = (u^2 + v^2) / 2 over the whole frame in [-1, 1]^2
            u2 = np.linspace(-1.0, 1.0, w, dtype=np.float32) ** 2 if w > 1 else np.zeros(1, np.float32)
            v2 = np.linspace(-1.0, 1.0, h, dtype=np.float32) ** 2 if h > 1 else np.zeros(1, np.float32)
            band = max(1, BAND_PIXELS // max(w, 1))
            for top in range(0, h, band):
                r2 = np.add.outer(v2[top : top + band], u2)
                r2 *= np.float32(0.5)
                gain = r2 * np.float32(b)
                gain += np.float32(a)
                gain *= r2
                np.negative(gain, out=gain)
                np.exp(gain, out=gain)
                out[top : top + band] *= gain[..., None]
        np.clip(out, 0.0, 1.0, out=out)
        return out


def mix_transforms(looks: Sequence[LookTransform], weights: Sequence[float]) -> LookTransform:
    """Blend looks by weight (transforms, not pixels); weights 1, 0, ... return the first exactly."""
    lut = sum(np.float32(wt) * lk.lut for lk, wt in zip(looks, weights))
    vig = sum(np.float32(wt) * lk.vignette for lk, wt in zip(looks, weights))
    local = sum(np.float32(wt) * lk.local for lk, wt in zip(looks, weights))
    return LookTransform(np.asarray(lut, np.float32), np.asarray(vig, np.float32), np.asarray(local, np.float32))
