"""Small pixel helpers shared by the built-in edits: alpha handling, sRGB transfer
curves, Rec.709 luma and compositing a rendered RGBA layer over float pixels."""

from __future__ import annotations

import numpy as np

# Rec.709 / sRGB luma weights, used for saturation, vibrance and grain.
LUMA = np.array([0.2126, 0.7152, 0.0722], dtype=np.float32)


def split_alpha(image: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """(rgb, alpha or None) views of an (H, W, 3|4) image."""
    if image.ndim != 3 or image.shape[2] not in (3, 4):
        raise ValueError(f"expected an (H, W, 3) or (H, W, 4) image, got shape {image.shape}")
    if image.shape[2] == 4:
        return image[..., :3], image[..., 3]
    return image, None


def join_alpha(rgb: np.ndarray, alpha: np.ndarray | None) -> np.ndarray:
    """Re-attach alpha (if any) to edited RGB, as a new float32 array."""
    rgb = rgb.astype(np.float32, copy=False)
    if alpha is None:
        return rgb
    return np.concatenate([rgb, alpha[..., None].astype(np.float32)], axis=2)


def luma(rgb: np.ndarray) -> np.ndarray:
    """Rec.709 luma of sRGB-encoded values, shape (H, W, 1)."""
    return (rgb @ LUMA)[..., None]


def srgb_to_linear(x: np.ndarray) -> np.ndarray:
    """IEC 61966-2-1 sRGB decoding to linear light."""
    x = np.asarray(x, dtype=np.float32)
    return np.where(x <= 0.04045, x / 12.92, ((x + 0.055) / 1.055) ** 2.4).astype(np.float32)


def linear_to_srgb(x: np.ndarray) -> np.ndarray:
    """IEC 61966-2-1 sRGB encoding of linear light (input clipped to [0, 1])."""
    x = np.clip(np.asarray(x, dtype=np.float32), 0.0, 1.0)
    return np.where(x <= 0.0031308, x * 12.92, 1.055 * np.power(x, 1 / 2.4) - 0.055).astype(np.float32)


def rgba_to_float(layer: "object") -> np.ndarray:
    """A Pillow RGBA image as float32 (H, W, 4) in [0, 1]."""
    return np.asarray(layer, dtype=np.float32) / 255.0


def composite_over(dst: np.ndarray, layer: np.ndarray, x: int, y: int) -> np.ndarray:
    """`layer` (h, w, 4 float, straight alpha) drawn over `dst` with its top-left at (x, y).

    Returns a new array with dst's channel count; parts of the layer outside dst are
    dropped, and pixels the layer leaves fully transparent keep their exact values.
    """
    out = dst.astype(np.float32, copy=True)
    h, w = layer.shape[:2]
    x0, y0, x1, y1 = max(x, 0), max(y, 0), min(x + w, dst.shape[1]), min(y + h, dst.shape[0])
    if x0 >= x1 or y0 >= y1:
        return out
    src = layer[y0 - y : y1 - y, x0 - x : x1 - x]
    a_s = src[..., 3:4]
    region = out[y0:y1, x0:x1]
    touched = a_s[..., 0] > 0
    if dst.shape[2] == 3:
        blended = src[..., :3] * a_s + region * (1.0 - a_s)
        region[touched] = blended[touched]
    else:
        a_d = region[..., 3:4]
        a_o = a_s + a_d * (1.0 - a_s)
        rgb = (src[..., :3] * a_s + region[..., :3] * a_d * (1.0 - a_s)) / np.maximum(a_o, 1e-8)
        blended = np.concatenate([rgb, a_o], axis=2)
        region[touched] = blended[touched]
    return out
