"""Training photos: reading, the bundled ordinary photos, and colour-safe augmentation.

Augmentations are geometric only (crops, flips, scale): colour and tone are the look.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np

from stylekit.errors import TrainingError

DATA_DIR = Path(__file__).parent / "data"
CONTENT_DIR = DATA_DIR / "content"


def bundled_content() -> list[Path]:
    """The ordinary photos shipped with the engine (used when the user gives no content)."""
    return sorted(CONTENT_DIR.glob("*.jpg"))


def ordinary_photos(limit: int = 48) -> list[Path]:
    """Up to `limit` ordinary photos of different scenes, spread over the reference's `prior`
    split (the look prior's own training photos); the bundled content photos where the
    reference is absent."""
    from .reference import reference_paths

    paths = reference_paths("prior")
    if len(paths) > limit:
        paths = [paths[round(i * len(paths) / limit)] for i in range(limit)]
    return paths or bundled_content()


def read_rgb(path: Path) -> np.ndarray:
    """An image file as float32 sRGB (H, W, 3) in [0, 1], through stylekit's safe reader."""
    from stylekit.imageio import load_image

    return load_image(path).rgb


def resize_long(rgb: np.ndarray, long_side: int) -> np.ndarray:
    """Downscale (area filter) so the long side is at most `long_side`; never upscale."""
    import cv2

    h, w = rgb.shape[:2]
    scale = long_side / max(h, w)
    if scale >= 1:
        return rgb
    return cv2.resize(rgb, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA)


def load_training_photos(paths: Sequence[Path], long_side: int, what: str) -> list[np.ndarray]:
    """Read and downscale photos for training; `TrainingError` when none can be used."""
    if not paths:
        raise TrainingError(f"No {what} photos given; pass a folder of images (or a video) with the {what} photos.")
    photos = [resize_long(read_rgb(Path(p)), long_side) for p in paths]
    small = [p for p, im in zip(paths, photos) if min(im.shape[:2]) < 16]
    if small:
        raise TrainingError(f"{small[0]} is too small to learn from (under 16 px); remove it or use larger photos.")
    return photos


def augment(photo: np.ndarray, size: int, rng: np.random.Generator, min_crop: float = 0.85) -> np.ndarray:
    """A random crop (85-100 % of each side), maybe mirrored, resized to (size, size)."""
    import cv2

    h, w = photo.shape[:2]
    ch = max(1, int(round(h * rng.uniform(min_crop, 1.0))))
    cw = max(1, int(round(w * rng.uniform(min_crop, 1.0))))
    top = int(rng.integers(0, h - ch + 1))
    left = int(rng.integers(0, w - cw + 1))
    crop = photo[top : top + ch, left : left + cw]
    if rng.random() < 0.5:
        crop = crop[:, ::-1]
    interp = cv2.INTER_AREA if min(ch, cw) >= size else cv2.INTER_LINEAR
    return cv2.resize(np.ascontiguousarray(crop), (size, size), interpolation=interp)
