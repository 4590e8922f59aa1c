"""A learned look as data: a colour LUT plus vignette coefficients, applied at any size.

Strength and mixing act on the *transform*: the LUT lattice and the vignette
coefficients are interpolated toward the identity (strength) or between looks
(mixing); pixels are never blended. Application is per pixel (trilinear LUT lookup
times a radial gain computed from each pixel's position in the whole frame), so
processing the frame in bands of rows bounds memory at 4K and beyond without seams.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from stylekit.lut import identity_lut

ROWS_PER_BAND = 1 << 20  # pixels per band: ~12 MB of float32 RGB in flight per buffer


@dataclass
class LookTransform:
    """The colour LUT (N, N, N, 3) indexed [r, g, b] and the vignette coefficients (2,)."""

    lut: np.ndarray
    vignette: np.ndarray

    def scaled(self, strength: float) -> "LookTransform":
        """This look at `strength`: 0 is the identity, 1 the look, above 1 extrapolates."""
        ident = identity_lut(self.lut.shape[0])
        lut = ident + np.float32(strength) * (self.lut - ident)
        return LookTransform(lut.astype(np.float32), (self.vignette * strength).astype(np.float32))

    def apply(self, rgb: np.ndarray) -> np.ndarray:
        """Grade an (H, W, 3) float32 image in [0, 1]; returns a new float32 array."""
        import torch

        h, w, _ = rgb.shape
        src = torch.from_numpy(np.ascontiguousarray(rgb, dtype=np.float32))
        out = np.empty((h, w, 3), dtype=np.float32)
        dst = torch.from_numpy(out)
        # grid_sample reads grid coordinates as (x, y, z) = (width, height, depth) of a
        # (C, D, H, W) volume: store the lattice as (C, b, g, r) so pixels need no reordering.
        lattice = torch.from_numpy(np.ascontiguousarray(self.lut.transpose(3, 2, 1, 0)))[None]
        a, b = (float(v) for v in self.vignette)
        u2 = torch.linspace(-1.0, 1.0, w) ** 2 if w > 1 else torch.zeros(1)
        v2 = torch.linspace(-1.0, 1.0, h) ** 2 if h > 1 else torch.zeros(1)
        band = max(1, ROWS_PER_BAND // max(w, 1))
        with torch.inference_mode():
            for top in range(0, h, band):
                rows = src[top : top + band]
                n = rows.shape[0]
                grid = torch.mul(rows, 2.0).sub_(1.0).reshape(1, 1, 1, -1, 3)
                graded = torch.nn.functional.grid_sample(
                    lattice, grid, mode="bilinear", padding_mode="border", align_corners=True
                ).reshape(3, n, w)
                target = dst[top : top + n]
                if a or b:
                    # gain = exp(-(a r2 + b r2^2)), evaluated in place (Horner form).
                    r2 = torch.add(v2[top : top + n, None], u2[None, :]).mul_(0.5)
                    gain = torch.mul(r2, b).add_(a).mul_(r2).neg_().exp_()
                    torch.mul(graded.permute(1, 2, 0), gain[..., None], out=target)
                else:
                    target.copy_(graded.permute(1, 2, 0))
                target.clamp_(0.0, 1.0)
        return out


def mix_transforms(looks: Sequence[LookTransform], weights: Sequence[float]) -> LookTransform:
    """Blend looks by weight (transforms, not pixels); weights 1, 0, ... return the first exactly."""
    lut = sum(np.float32(wt) * lk.lut for lk, wt in zip(looks, weights))
    vig = sum(np.float32(wt) * lk.vignette for lk, wt in zip(looks, weights))
    return LookTransform(np.asarray(lut, np.float32), np.asarray(vig, np.float32))
