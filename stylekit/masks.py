"""Masks that limit a look to part of a photo: read from a file, computed by a registered
`region` edit, and blended (original outside the mask, styled inside)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .errors import UsageError


def load_mask(path: str | Path, shape: tuple[int, ...] | None = None) -> np.ndarray:
    """A mask image as float32 (H, W) in [0, 1]: its alpha channel when it has real
    transparency, otherwise its grey level (white = styled). Resized to `shape` if given."""
    from .imageio import load_image

    loaded = load_image(path)
    if loaded.alpha is not None and float(loaded.alpha.min()) < 1.0:
        mask = loaded.alpha
    else:
        mask = loaded.rgb @ np.array([0.2126, 0.7152, 0.0722], np.float32)
    mask = np.clip(mask, 0.0, 1.0).astype(np.float32)
    if shape is not None and mask.shape != tuple(shape[:2]):
        import cv2

        mask = np.clip(cv2.resize(mask, (shape[1], shape[0]), interpolation=cv2.INTER_LINEAR), 0.0, 1.0)
    return mask


def blend_with_mask(original: np.ndarray, styled: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """original x (1 - mask) + styled x mask, per pixel; shapes must agree (alpha blends too)."""
    if original.shape != styled.shape:
        raise UsageError(
            f"Cannot limit the look to a region: styled image {styled.shape[1]}x{styled.shape[0]} differs from "
            f"the photo {original.shape[1]}x{original.shape[0]}; apply crops and resizes after the transfer."
        )
    if mask.shape != original.shape[:2]:
        raise UsageError(
            f"Mask is {mask.shape[1]}x{mask.shape[0]} but the photo is {original.shape[1]}x{original.shape[0]}; "
            "resize the mask or load it with load_mask(path, shape)."
        )
    m = mask.astype(np.float32)[..., None]
    return (original.astype(np.float32) * (1.0 - m) + styled.astype(np.float32) * m).astype(np.float32)


def region_names() -> list[str]:
    """The regions loaded plugins offer (their `region` edits)."""
    from .edits import get_regions

    return sorted(get_regions())


def limit_to_region(original: np.ndarray, styled: np.ndarray, region: str = "", mask: str | Path = "") -> np.ndarray:
    """The styled photo kept only inside `region` (a registered region edit, computed on
    the original photo) or the mask file `mask` (not both); with neither, `styled`."""
    from .edits import get_regions

    if region and mask:
        raise UsageError("Give either a region or a mask file, not both.")
    if not region and not mask:
        return styled
    if mask:
        soft = load_mask(mask, original.shape)
    else:
        regions = get_regions()
        if region not in regions:
            offered = ", ".join(sorted(regions)) or "none (install a plugin that registers region edits)"
            raise UsageError(f"Unknown region '{region}'; use one of {offered}, or pass a mask file.")
        soft = regions[region](original)
    return blend_with_mask(original, styled, soft)
