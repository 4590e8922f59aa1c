"""Local tone: clarity (local contrast) and tone compression, edge-aware and resolution-independent.

One operator, written twice with the same maths: in torch for training (differentiable)
and in numpy + OpenCV for applying a baked look without torch, at any size.

    y      = Rec. 709 luma of the graded photo
    base   = self-guided filter of y (radius RADIUS x the long side, eps EPS): the photo's
             large-scale tones, with edges kept so no halos form along them
    detail = y - base
    base'  = base + shadows * (1 - base)^2 * base - highlights * base^2 * (1 - base)
    y'     = base' + (1 + clarity) * detail
    out    = colour * y' / y

Parameters (clarity, shadows, highlights) are zero at the identity. Clarity above zero
adds local contrast ("pop"), below zero softens it; shadows above zero lifts the dark
large-scale tones and highlights above zero pulls down the bright ones (tone
compression), leaving fine detail as it was.
"""

from __future__ import annotations

from typing import Any

import numpy as np

RADIUS = 0.02  # of the long side
EPS = 0.01
LUMA = (0.2126, 0.7152, 0.0722)


def radius_px(h: int, w: int) -> int:
    """The filter radius in pixels for an (h, w) image."""
    return max(1, int(round(RADIUS * max(h, w))))


def _tone(y: Any, base: Any, p: Any) -> Any:
    detail = y - base
    b = base + p[1] * (1 - base) ** 2 * base - p[2] * base**2 * (1 - base)
    return b + (1 + p[0]) * detail


# ---- numpy / OpenCV (applying) ----------------------------------------------------------


def _box_np(x: np.ndarray, r: int) -> np.ndarray:
    import cv2

    return cv2.boxFilter(x, -1, (2 * r + 1, 2 * r + 1), borderType=cv2.BORDER_REPLICATE)


def guided_np(y: np.ndarray, r: int, eps: float = EPS) -> np.ndarray:
    """Self-guided filter of a float32 plane."""
    mean = _box_np(y, r)
    var = _box_np(y * y, r) - mean * mean
    a = var / (var + eps)
    b = mean - a * mean
    return _box_np(a, r) * y + _box_np(b, r)


def apply_local_np(rgb: np.ndarray, params: np.ndarray, strength: float = 1.0) -> np.ndarray:
    """Apply local tone with `params` (clarity, shadows, highlights) scaled by `strength`."""
    p = np.asarray(params, np.float32) * float(strength)
    if not np.any(p):
        return rgb
    x = np.asarray(rgb, np.float32)
    y = (x @ np.asarray(LUMA, np.float32)).astype(np.float32)
    base = guided_np(y, radius_px(*y.shape))
    y2 = _tone(y, base, p)
    ratio = (np.clip(y2, 0.0, 1.0) + 1e-3) / (y + 1e-3)
    return np.clip(x * ratio[..., None], 0.0, 1.0).astype(np.float32)


# ---- torch (training) -------------------------------------------------------------------


def _box_t(x: Any, r: int) -> Any:
    import torch.nn.functional as F

    return F.avg_pool2d(F.pad(x, (r, r, r, r), mode="replicate"), 2 * r + 1, stride=1)


def apply_local_torch(img: Any, params: Any) -> Any:
    """Local tone on a batch (B, 3, H, W) with per-image params (B, 3); differentiable."""
    y = (img * img.new_tensor(LUMA)[None, :, None, None]).sum(1, keepdim=True)
    r = radius_px(img.shape[-2], img.shape[-1])
    mean = _box_t(y, r)
    var = _box_t(y * y, r) - mean * mean
    a = var / (var + EPS)
    b = mean - a * mean
    base = _box_t(a, r) * y + _box_t(b, r)
    p = params[:, :, None, None, None]  # (B, 3, 1, 1, 1)
    y2 = _tone(y, base, [p[:, 0], p[:, 1], p[:, 2]])
    ratio = (y2.clamp(0.0, 1.0) + 1e-3) / (y + 1e-3)
    return (img * ratio).clamp(0.0, 1.0)
