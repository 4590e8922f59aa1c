"""Per-image, scene-robust statistics of a photo: what the discriminator and the style loss see.

With 10-20 photos of different scenes, pooled pixel statistics mostly describe the
scenes. These statistics are computed *per image* and chosen because a grade moves
them consistently whatever the scene: black and white points per channel, the colour
of the darkest, middle and brightest pixels, colour-constancy estimates (shades of
grey, grey edge), chroma at each luminance, luminance quantiles (the tone curve) and
radial falloff (the vignette). All are differentiable, so the generator learns
through them.
"""

from __future__ import annotations

import torch

from .model import LUMA, radius2

QUANTILES = (0.005, 0.05, 0.25, 0.5, 0.75, 0.95, 0.995)
CHANNEL_QUANTILES = (0.005, 0.05, 0.95, 0.995)
NAMES = (
    [f"luma_q{q}" for q in QUANTILES]
    + [f"{c}_q{q}" for c in "rgb" for q in CHANNEL_QUANTILES]
    + [f"{part}_{ax}" for part in ("dark", "mid", "bright") for ax in ("a", "b")]
    + ["sog_r", "sog_b", "edge_r", "edge_b"]
    + ["chroma_dark", "chroma_mid", "chroma_bright"]
    + ["falloff"]
)
N_STATS = len(NAMES)
# The statistics the style loss matches by default: those a grade moves more than
# scenes do (black points, shadow and highlight colour, colour constancy, chroma,
# falloff). Mid-tone quantiles mostly describe the scene, and white points mostly
# whether it has highlights (measured: matching them taught exposure changes that
# belong to the scenes). The discriminator sees all statistics.
DEFAULT_STATS = tuple(
    n for n in NAMES if not n.startswith(("luma_q0.25", "luma_q0.5", "luma_q0.75", "mid_")) and not n.endswith(("q0.95", "q0.995"))
)


def _minkowski(x: torch.Tensor, p: float = 6.0) -> torch.Tensor:
    """Minkowski p-mean over the last axis (shades-of-grey colour constancy)."""
    x = x.clamp_min(1e-4)
    if p == 6.0:  # integer powers by multiplication: several times faster than pow
        x2 = x * x
        return (x2 * x2 * x2).mean(-1) ** (1 / 6)
    return (x**p).mean(-1) ** (1 / p)


def image_stats(img: torch.Tensor) -> torch.Tensor:
    """Statistics (B, N_STATS) of a batch of sRGB images (B, 3, H, W) in [0, 1]."""
    b, _, h, w = img.shape
    flat = img.reshape(b, 3, -1)
    y = (flat * flat.new_tensor(LUMA)[None, :, None]).sum(1)
    # Opponent chroma: a ~ red-green, b ~ yellow-blue.
    ca = flat[:, 0] - flat[:, 1]
    cb = 0.5 * (flat[:, 0] + flat[:, 1]) - flat[:, 2]
    n = y.shape[1]
    parts = [torch.quantile(y, y.new_tensor(QUANTILES), dim=1).T]
    parts.append(torch.quantile(flat, flat.new_tensor(CHANNEL_QUANTILES), dim=2).permute(1, 2, 0).reshape(b, -1))
    order = torch.argsort(y.detach(), dim=1)
    k = max(1, n // 20)
    chroma = torch.sqrt(ca**2 + cb**2 + 1e-6)
    for sl in (slice(0, k), slice(n // 2 - k // 2, n // 2 - k // 2 + k), slice(n - k, n)):
        idx = order[:, sl]
        parts.append(torch.stack([ca.gather(1, idx).mean(1), cb.gather(1, idx).mean(1)], 1))
    sog = torch.log(_minkowski(flat))
    parts.append(torch.stack([sog[:, 0] - sog[:, 1], sog[:, 2] - sog[:, 1]], 1))
    gx = (img[..., :, 1:] - img[..., :, :-1]).abs().reshape(b, 3, -1)
    gy = (img[..., 1:, :] - img[..., :-1, :]).abs().reshape(b, 3, -1)
    edge = torch.log(_minkowski(torch.cat([gx, gy], 2)))
    parts.append(torch.stack([edge[:, 0] - edge[:, 1], edge[:, 2] - edge[:, 1]], 1))
    thirds = [order[:, : n // 3], order[:, n // 3 : 2 * n // 3], order[:, 2 * n // 3 :]]
    parts.append(torch.stack([torch.log(chroma.gather(1, i).mean(1)) for i in thirds], 1))
    r2 = radius2(h, w, img.device).reshape(-1)
    outer, centre = r2 > 0.6, r2 < 0.15
    falloff = torch.log(y[:, outer].mean(1) + 1e-3) - torch.log(y[:, centre].mean(1) + 1e-3)
    parts.append(falloff[:, None])
    return torch.cat(parts, 1)
