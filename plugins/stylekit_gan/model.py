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
    """Multiplicative radial gain exp(-(a r^2 + b r^4)): params (2,) -> r2's shape (H, W);
    params (B, 2), one look per image -> (B, H, W)."""
    a, b = params[..., 0, None, None], params[..., 1, None, None]
    return torch.exp(-(a * r2 + b * r2 * r2))


LUT_TRAIN = 33  # lattice the generator's colour grade is evaluated on in training (the baked size)
HUE_BANDS = 6  # hue sectors of 60 degrees (red, yellow, green, cyan, blue, magenta in opponent space)
# The generator's parameter groups and their shapes; `flatten`/`unflatten` convert to one
# vector per look (what the look prior predicts).
PARAM_SHAPES: dict[str, tuple[int, ...]] = {
    "wb": (3,),  # log gains in linear light (exposure and white balance)
    "curve": (3, KNOTS + 1),  # offsets of each channel's curve at its knots
    "sat": (2,),  # log saturation in shadows, highlights
    "hue": (2, HUE_BANDS),  # per hue band: log chroma scale, hue rotation (radians)
    "vig": (2,),  # vignette r^2 and r^4 coefficients (darkening only)
    "local": (3,),  # local tone: clarity, shadows, highlights (`local.py`)
}
N_PARAMS = sum(int(torch.tensor(shape).prod()) for shape in PARAM_SHAPES.values())


def unflatten(theta: torch.Tensor) -> dict[str, torch.Tensor]:
    """(B, N_PARAMS) -> {group: (B, *shape)}."""
    out, i = {}, 0
    for name, shape in PARAM_SHAPES.items():
        n = int(torch.tensor(shape).prod())
        out[name] = theta[:, i : i + n].reshape(theta.shape[0], *shape)
        i += n
    return out


def flatten(groups: dict[str, torch.Tensor]) -> torch.Tensor:
    """{group: (B, *shape)} -> (B, N_PARAMS); missing groups are zero (the identity)."""
    b = next(iter(groups.values())).shape[0]
    ref = next(iter(groups.values()))
    parts = []
    for name, shape in PARAM_SHAPES.items():
        g = groups.get(name)
        parts.append(g.reshape(b, -1) if g is not None else ref.new_zeros(b, int(torch.tensor(shape).prod())))
    return torch.cat(parts, 1)


def _opponent(c: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Opponent chroma of a chroma vector (rgb minus luma): a ~ red-green, b ~ yellow-blue."""
    return c[..., 0] - c[..., 1], 0.5 * (c[..., 0] + c[..., 1]) - c[..., 2]


def hue_weights(c: torch.Tensor) -> torch.Tensor:
    """Soft membership (..., HUE_BANDS) of each chroma vector's hue in the bands; sums to 1."""
    a, b = _opponent(c)
    theta = torch.atan2(b, a + 1e-9)
    centres = torch.arange(HUE_BANDS, device=c.device, dtype=c.dtype) * (2 * torch.pi / HUE_BANDS)
    d = torch.remainder(theta[..., None] - centres + torch.pi, 2 * torch.pi) - torch.pi
    half = torch.pi / HUE_BANDS * 2  # each band reaches its neighbours' centres
    return torch.where(d.abs() < half, torch.cos(d * (torch.pi / 2) / half) ** 2, torch.zeros_like(d))


def grade_colour(p: dict[str, torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    """Grade colours x (B, ..., 3) in [0, 1] with parameter groups p (B, *shape)."""
    shape = x.shape
    x = x.reshape(shape[0], -1, 3)
    lin = srgb_to_linear(x) * torch.exp(p["wb"])[:, None, :]
    x = linear_to_srgb(lin)
    # Per-channel piecewise-linear curve: y = t + offset(t), offsets interpolated between knots.
    t = x * KNOTS
    idx = t.detach().floor().clamp(0, KNOTS - 1).long()
    frac = t - idx
    k = p["curve"]  # (B, 3, KNOTS + 1)
    lo = torch.gather(k, 2, idx.transpose(1, 2)).transpose(1, 2)
    hi = torch.gather(k, 2, (idx + 1).transpose(1, 2)).transpose(1, 2)
    x = x + lo * (1 - frac) + hi * frac
    y = (x * x.new_tensor(LUMA)).sum(-1, keepdim=True)
    c = x - y
    # Hue bands: scale chroma and rotate it around the grey axis, weighted by band membership.
    w = hue_weights(c)  # (B, N, BANDS)
    scale = (w * p["hue"][:, None, 0]).sum(-1, keepdim=True)
    angle = (w * p["hue"][:, None, 1]).sum(-1, keepdim=True)
    axis = x.new_tensor([1.0, 1.0, 1.0]) / 3**0.5
    cos, sin = torch.cos(angle), torch.sin(angle)
    c = c * cos + torch.cross(axis.expand_as(c), c, dim=-1) * sin + axis * (c @ axis)[..., None] * (1 - cos)
    sat = torch.exp(p["sat"][:, None, 0:1] * (1 - y) + p["sat"][:, None, 1:2] * y + scale)
    return (y + sat * c).clamp(0.0, 1.0).reshape(shape)


def grade_images(p: dict[str, torch.Tensor], img: torch.Tensor) -> torch.Tensor:
    """Grade a batch of images (B, 3, H, W), one look per image: colour, then the vignette."""
    from .local import apply_local_torch

    out = grade_colour(p, img.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)
    if "local" in p:
        out = apply_local_torch(out, p["local"])
    r2 = radius2(img.shape[-2], img.shape[-1], img.device)
    return out * vignette_gain(p["vig"].clamp_min(0.0), r2)[:, None]


class GradeGenerator(nn.Module):
    """Parametric grade (the generator). All parameters are 0 at the identity."""

    def __init__(self, init: torch.Tensor | None = None) -> None:
        super().__init__()
        if init is not None and init.numel() < N_PARAMS:  # an estimate without the later groups: identity there
            init = torch.cat([init.reshape(-1).float(), init.new_zeros(N_PARAMS - init.numel())])
        start = unflatten(init.reshape(1, -1).float()) if init is not None else None
        for name, shape in PARAM_SHAPES.items():
            value = start[name][0].clone() if start is not None else torch.zeros(shape)
            setattr(self, name, nn.Parameter(value))

    def groups(self) -> dict[str, torch.Tensor]:
        """The parameter groups with a batch axis of one."""
        return {name: getattr(self, name)[None] for name in PARAM_SHAPES}

    def vector(self) -> torch.Tensor:
        """All parameters as one (N_PARAMS,) vector."""
        return flatten(self.groups())[0]

    def colour(self, x: torch.Tensor) -> torch.Tensor:
        """Apply the colour grade to channel-last colours (..., 3) in [0, 1]."""
        return grade_colour(self.groups(), x[None])[0]

    def vignette(self) -> torch.Tensor:
        """The vignette coefficients, darkening only: content photos with a stronger natural
        lens falloff than the feed's must not teach a corner-brightening 'look'."""
        return self.vig.clamp_min(0.0)

    def forward(self, img: torch.Tensor) -> torch.Tensor:
        """Grade a batch (B, 3, H, W) with this one look: colour, local tone, then the vignette."""
        from .local import apply_local_torch

        b, _, h, w = img.shape
        # The colour grade is evaluated on the 33^3 lattice the pack bakes, then looked up
        # trilinearly: what training optimises is exactly what applying does, at a fraction
        # of the cost of grading every pixel.
        lut = self.lut_grad(LUT_TRAIN).permute(3, 0, 1, 2)[None]  # (1, 3, r, g, b)
        grid = (img.permute(0, 2, 3, 1).reshape(1, 1, 1, -1, 3).flip(-1) * 2 - 1).clamp(-1, 1)
        out = torch.nn.functional.grid_sample(lut, grid, mode="bilinear", align_corners=True)
        out = out.reshape(3, b, h, w).permute(1, 0, 2, 3)
        out = apply_local_torch(out, self.local[None].expand(b, 3))
        return out * vignette_gain(self.vignette(), radius2(h, w, img.device))

    def regulariser(self) -> torch.Tensor:
        """Curve smoothness (second differences) plus monotonicity (no negative slopes)."""
        return curve_regulariser(self.curve[None])[0]

    # Typical size of each parameter group in real presets, relative to the curve offsets:
    # white balance moves a few tens of percent, saturation and vignette up to about +-0.5.
    PRIOR_SCALES = {"wb": 1.0, "curve": 1.0, "sat": 3.0, "hue": 3.0, "vig": 3.0, "local": 3.0}

    def prior(self, centre: torch.Tensor | None = None) -> torch.Tensor:
        """Squared distance of the parameters from `centre` (default: the identity), each
        group over its typical size: the pull toward the look prior's estimate."""
        groups = self.groups()
        ref = unflatten(centre.reshape(1, -1).to(self.wb)) if centre is not None else None
        total = self.wb.new_zeros(())
        for k, v in self.PRIOR_SCALES.items():
            d = groups[k] - (ref[k] if ref is not None else 0.0)
            total = total + ((d / v) ** 2).sum()
        return total

    @torch.no_grad()
    def lut(self, size: int = 33) -> torch.Tensor:
        """The colour grade sampled on a (size, size, size, 3) lattice indexed [r, g, b]."""
        return self.lut_grad(size)

    def lut_grad(self, size: int = 33) -> torch.Tensor:
        """`lut`, differentiable in the parameters."""
        axis = torch.linspace(0.0, 1.0, size, device=self.wb.device)
        r, g, b = torch.meshgrid(axis, axis, axis, indexing="ij")
        return self.colour(torch.stack([r, g, b], dim=-1))


def curve_regulariser(curve: torch.Tensor) -> torch.Tensor:
    """Per look (B,): curve smoothness (second differences) plus monotonicity (no negative slopes)."""
    smooth = ((curve[..., 2:] - 2 * curve[..., 1:-1] + curve[..., :-2]) ** 2).sum((-1, -2))
    slope = 1.0 / KNOTS + curve[..., 1:] - curve[..., :-1]
    mono = torch.relu(0.2 / KNOTS - slope).pow(2).sum((-1, -2)) * 100
    return smooth + mono


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
