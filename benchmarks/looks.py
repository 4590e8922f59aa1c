"""Ground-truth looks: deterministic numpy grades with known parameters.

Each look maps an sRGB float image (H, W, 3) in [0, 1] to the same shape. They are
written independently of the gan engine's generator (different functional forms:
sine S-curves, smoothstep split toning, hue-dependent saturation, linear-light
vignettes), so recovering them is a real test, not a copy of the model family.

The two demo influencers (`aurora`, `noir`) are defined here too, so that the demo
feeds and the benchmark share one definition.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
from stylekit_gan.looksampler import to_linear, to_srgb

Look = Callable[[np.ndarray], np.ndarray]


def srgb_to_linear(x: np.ndarray) -> np.ndarray:
    """sRGB transfer function inverse (IEC 61966-2-1)."""
    return to_linear(x)


def linear_to_srgb(x: np.ndarray) -> np.ndarray:
    """sRGB transfer function (IEC 61966-2-1)."""
    return to_srgb(x)


def luma(x: np.ndarray) -> np.ndarray:
    """Rec. 709 luma of gamma-encoded RGB, shape (H, W, 1)."""
    return (x @ np.array([0.2126, 0.7152, 0.0722]))[..., None]


def white_balance(x: np.ndarray, gains: tuple[float, float, float]) -> np.ndarray:
    """Per-channel gains in linear light, as a camera white balance does."""
    return linear_to_srgb(srgb_to_linear(x) * np.asarray(gains))


def s_curve(x: np.ndarray, amount: float) -> np.ndarray:
    """Monotone sine S-curve (amount < 1): darker shadows, brighter highlights."""
    return np.clip(x - amount * np.sin(2 * np.pi * x) / (2 * np.pi), 0.0, 1.0)


def levels(x: np.ndarray, black: tuple[float, float, float], white: tuple[float, float, float]) -> np.ndarray:
    """Map 0 -> black and 1 -> white per channel (lifted, tinted blacks; faded film)."""
    b, w = np.asarray(black), np.asarray(white)
    return b + (w - b) * x


def saturation(x: np.ndarray, factor: float) -> np.ndarray:
    """Scale chroma around luma."""
    y = luma(x)
    return np.clip(y + factor * (x - y), 0.0, 1.0)


def split_tone(x: np.ndarray, shadows: tuple[float, float, float], highlights: tuple[float, float, float]) -> np.ndarray:
    """Add a colour to the shadows and another to the highlights (smoothstep masks)."""
    y = np.clip(luma(x), 0.0, 1.0)
    hi = y * y * (3 - 2 * y)
    return np.clip(x + (1 - hi) ** 2 * np.asarray(shadows) + hi**2 * np.asarray(highlights), 0.0, 1.0)


def hue_saturation(x: np.ndarray, hue_deg: float, width_deg: float, factor: float) -> np.ndarray:
    """HSL-panel style tweak: scale chroma of hues near `hue_deg` (opponent-space hue)."""
    y = luma(x)
    c = x - y
    # Opponent axes: a ~ red-green, b ~ yellow-blue.
    a = c[..., 0] - c[..., 1]
    b = 0.5 * (c[..., 0] + c[..., 1]) - c[..., 2]
    hue = np.degrees(np.arctan2(b, a))
    d = np.abs((hue - hue_deg + 180.0) % 360.0 - 180.0)
    w = np.exp(-0.5 * (d / width_deg) ** 2)[..., None]
    return np.clip(y + (1 + (factor - 1) * w) * c, 0.0, 1.0)


def vignette(x: np.ndarray, strength: float, power: float = 2.0) -> np.ndarray:
    """Darken toward the corners in linear light; r = 1 at the corners."""
    h, w = x.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    cy, cx = (h - 1) / 2, (w - 1) / 2
    r2 = ((yy - cy) ** 2 + (xx - cx) ** 2) / (cy**2 + cx**2)
    gain = 1 - strength * r2 ** (power / 2)
    return linear_to_srgb(srgb_to_linear(x) * gain[..., None])


def warm_wb(x: np.ndarray) -> np.ndarray:
    """A warm white balance with a touch of saturation."""
    return saturation(white_balance(x, (1.12, 1.0, 0.80)), 1.05)


def faded_film(x: np.ndarray) -> np.ndarray:
    """Faded film: soft S-curve, green-tinted lifted blacks, dimmed whites, muted colour."""
    x = s_curve(x, 0.2)
    x = levels(x, (0.09, 0.11, 0.08), (0.93, 0.94, 0.90))
    return saturation(x, 0.8)


def teal_orange(x: np.ndarray) -> np.ndarray:
    """Blockbuster teal-and-orange: contrast, split toning, boosted orange hues."""
    x = s_curve(x, 0.3)
    x = split_tone(x, (-0.05, 0.01, 0.06), (0.06, 0.02, -0.05))
    return hue_saturation(x, 35.0, 40.0, 1.3)


def cross_process(x: np.ndarray) -> np.ndarray:
    """Cross-processed slide film: contrasty red, lifted compressed blue, vivid colour."""
    r = s_curve(x[..., 0], 0.4)
    g = x[..., 1] ** 0.9
    b = 0.12 + 0.76 * x[..., 2]
    return saturation(np.stack([r, g, b], axis=-1), 1.1)


def aurora(x: np.ndarray) -> np.ndarray:
    """Demo influencer 'aurora': warm golden hour, soft lifted teal blacks, soft vignette."""
    x = white_balance(x, (1.10, 1.0, 0.86))
    x = levels(x, (0.03, 0.06, 0.07), (1.0, 0.98, 0.93))
    x = split_tone(x, (-0.02, 0.01, 0.02), (0.04, 0.015, -0.03))
    x = saturation(x, 1.12)
    return vignette(x, 0.25)


def noir(x: np.ndarray) -> np.ndarray:
    """Demo influencer 'noir': cool moody night, desaturated, crushed S-curve, blue shadows, strong vignette."""
    x = white_balance(x, (0.90, 1.0, 1.12))
    x = saturation(x, 0.45)
    x = s_curve(x, 0.55)
    x = split_tone(x, (-0.02, 0.0, 0.05), (0.0, 0.0, 0.0))
    return vignette(x, 0.5)


def xiaoman(x: np.ndarray) -> np.ndarray:
    """Demo influencer 'xiaoman': bright and airy food and city life: a third of a stop
    brighter, flatter contrast, lifted cool blacks, gently warm highlights, softened greens."""
    x = white_balance(x, (1.24, 1.27, 1.30))
    x = levels(x, (0.06, 0.07, 0.08), (1.0, 0.99, 0.97))
    x = s_curve(x, -0.15)
    x = split_tone(x, (0.0, 0.01, 0.03), (0.03, 0.015, -0.01))
    x = hue_saturation(x, 180.0, 40.0, 0.75)
    return saturation(x, 0.92)


LOOKS: dict[str, Look] = {
    "warm_wb": warm_wb,
    "faded_film": faded_film,
    "teal_orange": teal_orange,
    "cross_process": cross_process,
    "aurora": aurora,
    "noir": noir,
    "xiaoman": xiaoman,
}


def apply_look(name: str, x: np.ndarray) -> np.ndarray:
    """Apply the named look to an sRGB float image; returns float32 in [0, 1]."""
    return np.clip(LOOKS[name](x.astype(np.float64)), 0.0, 1.0).astype(np.float32)
