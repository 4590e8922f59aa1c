"""The look GAN's two networks: a parametric grade generator and a statistics discriminator.

Generator: a compact, resolution-independent photo grade, the parts a photographer's
preset is made of. In order: white balance (per-channel gains in linear light),
per-channel monotone tone curves (piecewise linear, 9 knots: black lift, tinted
shadows/highlights, gamma, S-curve, white point), saturation that may differ between
shadows and highlights, and a radial vignette. Every parameter is zero at the identity,
so shrinkage toward zero means "do less". The colour part (all but the vignette) is
baked into a 3D LUT for fast application at any size and for `.cube` export.

Discriminator: a small MLP that sees a photo's standardised *per-image, scene-robust
statistics* (see `stats.py`), never its pixels, so it cannot memorise scenes.
"""

from __future__ import annotations

import torch
from torch import nn

LUMA = (0.2126, 0.7152, 0.0722)
KNOTS = 8  # curve segments; 9 knot offsets per channel


def srgb_to_linear(x: torch.Tensor) -> torch.Tensor:
    """sRGB decoding, differentiable (clamped away from 0 for the power's gradient)."""
    x = x.clamp(0.0, 1.0)
    return torch.where(x <= 0.04045, x / 12.92, ((x + 0.055) / 1.055).clamp_min(1e-6) ** 2.4)


def linear_to_srgb(x: torch.Tensor) -> torch.Tensor:
    """sRGB encoding, differentiable."""
    x = x.clamp(0.0, 1.0)
    return torch.where(x <= 0.0031308, x * 12.92, 1.055 * x.clamp_min(1e-6) ** (1 / 2.4) - 0.055)


def radius2(h: int, w: int, device: torch.device | str = "cpu") -> torch.Tensor:
    """Squared radius in frame-normalised coordinates, (u^2 + v^2) / 2 with u, v in [-1, 1].

    The vignette follows the frame's shape (an ellipse on non-square frames, like a
    post-crop vignette at roundness 0), so squashing a photo to a square for training
    and applying to the full frame see the same falloff. 0 at the centre, 1 at the corners.
    """
    v = torch.linspace(-1.0, 1.0, h, device=device) if h > 1 else torch.zeros(1, device=device)
    u = torch.linspace(-1.0, 1.0, w, device=device) if w > 1 else torch.zeros(1, device=device)
    return (v[:, None] ** 2 + u[None, :] ** 2) / 2


def vignette_gain(params: torch.Tensor, r2: torch.Tensor) -> torch.Tensor:
    """Multiplicative radial gain exp(-(a r^2 + b r^4)); params (2,) -> same shape as r2."""
    return torch.exp(-(params[0] * r2 + params[1] * r2 * r2))


class GradeGenerator(nn.Module):
    """Parametric grade (the generator). All parameters are 0 at the identity."""

    def __init__(self) -> None:
        super().__init__()
        self.wb = nn.Parameter(torch.zeros(3))  # log gains in linear light
        self.curve = nn.Parameter(torch.zeros(3, KNOTS + 1))  # offsets of each channel's curve at its knots
        self.sat = nn.Parameter(torch.zeros(2))  # log saturation in shadows, highlights
        self.vig = nn.Parameter(torch.zeros(2))  # vignette r^2 and r^4 coefficients

    def colour(self, x: torch.Tensor) -> torch.Tensor:
        """Apply the colour grade to channel-last colours (..., 3) in [0, 1]."""
        lin = srgb_to_linear(x) * torch.exp(self.wb)
        x = linear_to_srgb(lin)
        # Per-channel piecewise-linear curve: y = t + offset(t), offsets interpolated between knots.
        t = x * KNOTS
        idx = t.detach().floor().clamp(0, KNOTS - 1).long()
        frac = t - idx
        outs = []
        for c in range(3):
            k = self.curve[c]
            i = idx[..., c]
            outs.append(x[..., c] + k[i] * (1 - frac[..., c]) + k[i + 1] * frac[..., c])
        x = torch.stack(outs, dim=-1)
        y = (x * x.new_tensor(LUMA)).sum(-1, keepdim=True)
        s = torch.exp(self.sat[0] * (1 - y) + self.sat[1] * y)
        return (y + s * (x - y)).clamp(0.0, 1.0)

    def vignette(self) -> torch.Tensor:
        """The vignette coefficients, darkening only: content photos with a stronger natural
        lens falloff than the feed's must not teach a corner-brightening 'look'."""
        return self.vig.clamp_min(0.0)

    def forward(self, img: torch.Tensor) -> torch.Tensor:
        """Grade a batch (B, 3, H, W): colour, then the vignette."""
        out = self.colour(img.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)
        gain = vignette_gain(self.vignette(), radius2(img.shape[-2], img.shape[-1], img.device))
        return out * gain

    def regulariser(self) -> torch.Tensor:
        """Curve smoothness (second differences) plus monotonicity (no negative slopes)."""
        k = self.curve
        smooth = ((k[:, 2:] - 2 * k[:, 1:-1] + k[:, :-2]) ** 2).sum()
        slope = 1.0 / KNOTS + k[:, 1:] - k[:, :-1]
        mono = torch.relu(0.2 / KNOTS - slope).pow(2).sum() * 100
        return smooth + mono

    # Typical size of each parameter group in real presets, relative to the curve offsets:
    # white balance moves a few tens of percent, saturation and vignette up to about +-0.5.
    PRIOR_SCALES = {"wb": 1.0, "curve": 1.0, "sat": 3.0, "vig": 3.0}

    def prior(self) -> torch.Tensor:
        """Squared size of the parameters, each group over its typical size: the shrinkage toward the identity."""
        return sum(((getattr(self, k) / v) ** 2).sum() for k, v in self.PRIOR_SCALES.items())

    @torch.no_grad()
    def lut(self, size: int = 33) -> torch.Tensor:
        """The colour grade sampled on a (size, size, size, 3) lattice indexed [r, g, b]."""
        axis = torch.linspace(0.0, 1.0, size)
        r, g, b = torch.meshgrid(axis, axis, axis, indexing="ij")
        return self.colour(torch.stack([r, g, b], dim=-1))


class StatsDiscriminator(nn.Module):
    """Tells feed photos from graded content photos by their standardised statistics."""

    def __init__(self, n_stats: int, hidden: int = 32) -> None:
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(n_stats, hidden), nn.LeakyReLU(0.2), nn.Linear(hidden, hidden), nn.LeakyReLU(0.2), nn.Linear(hidden, 1)
        )

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        """Logits (B,) for standardised statistics (B, n_stats)."""
        return self.net(z).squeeze(-1)
