"""Region masks that limit a style transfer to part of a photo, without downloaded weights.

`region_mask(image, region)` gives a soft float mask in [0, 1] (1 = styled):

- person: OpenCV GrabCut seeded by the main face box (face and a torso strip below it =
  sure foreground, a body box around them = probable foreground, the rest and the
  areas beside the head = sure background), run on a copy at most 320 px across,
  then feathered.
- face: an ellipse around the face box (forehead to chin), kept inside the person.
- clothes: the person minus the face ellipse, a hair band above it and the neck below.
- background: 1 - person.

Limits (see docs/personalisation.md): one main person; GrabCut follows colour edges, so
clothing the colour of the background, hands and other people are often misassigned;
"clothes" is geometry below the chin, not a garment detector. Any better mask can be
given as a file (`stylekit.masks.load_mask`, re-exported here).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from stylekit.errors import UsageError
from stylekit.masks import blend_with_mask, load_mask

from ._pixels import split_alpha
from .avatar import main_face

__all__ = ["REGIONS", "person_mask", "feather", "region_mask", "load_mask", "blend_with_mask", "limit_to_region"]
REGIONS = ("face", "person", "background", "clothes")
WORK_SIDE = 320  # GrabCut is slow; segment a small copy and upsample the mask


def _ellipse(shape: tuple[int, int], cx: float, cy: float, rx: float, ry: float) -> np.ndarray:
    yy, xx = np.mgrid[0:shape[0], 0:shape[1]].astype(np.float32)
    return ((((xx - cx) / rx) ** 2 + ((yy - cy) / ry) ** 2) <= 1.0).astype(np.float32)


def person_mask(image: np.ndarray, face: tuple[int, int, int, int], iterations: int = 5) -> np.ndarray:
    """Hard (0/1) person mask from GrabCut seeded by the face box, at full resolution."""
    import cv2

    rgb, _ = split_alpha(image)
    h, w = rgb.shape[:2]
    scale = min(1.0, WORK_SIDE / max(h, w))
    sh, sw = max(1, round(h * scale)), max(1, round(w * scale))
    small = cv2.resize((np.clip(rgb, 0, 1) * 255).astype(np.uint8), (sw, sh), interpolation=cv2.INTER_AREA)
    fx, fy, fw, fh = (v * scale for v in face)
    seeds = np.full((sh, sw), cv2.GC_BGD, np.uint8)
    # Probable person: from above the head down to the bottom edge, about 4 face widths wide.
    body_l, body_r = int(max(0, fx - 1.6 * fw)), int(min(sw, fx + 2.6 * fw))
    seeds[int(max(0, fy - 0.6 * fh)):, body_l:body_r] = cv2.GC_PR_FGD
    # Beside the head, above the shoulders, is background in almost every portrait; this
    # matters in close-ups, where the body box covers the whole frame.
    above_shoulders = slice(0, int(max(0, fy + 0.8 * fh)))
    seeds[above_shoulders, :int(max(0, fx - 1.0 * fw))] = cv2.GC_BGD
    seeds[above_shoulders, int(min(sw, fx + 2.0 * fw)):] = cv2.GC_BGD
    # A torso strip below the face is probably person too, more surely than the sides.
    seeds[int(min(sh - 1, fy + 1.4 * fh)):, int(max(0, fx + 0.1 * fw)):int(min(sw, fx + 0.9 * fw))] = cv2.GC_FGD
    # Sure person: the central part of the face box.
    seeds[int(fy + 0.2 * fh):int(fy + 0.9 * fh), int(fx + 0.2 * fw):int(fx + 0.8 * fw)] = cv2.GC_FGD
    if not (seeds == cv2.GC_BGD).any():  # GrabCut needs some background to model
        seeds[:, :1] = seeds[:, -1:] = cv2.GC_BGD
    bgd, fgd = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    cv2.setRNGSeed(0)  # GrabCut's k-means initialisation is random: same photo, same mask
    cv2.grabCut(small, seeds, None, bgd, fgd, iterations, cv2.GC_INIT_WITH_MASK)
    hard = np.isin(seeds, (cv2.GC_FGD, cv2.GC_PR_FGD)).astype(np.uint8)
    # Keep the connected part that holds the face; GrabCut leaves islands elsewhere.
    count, labels = cv2.connectedComponents(hard)
    face_label = labels[int(min(sh - 1, fy + fh / 2)), int(min(sw - 1, fx + fw / 2))]
    if count > 1 and face_label:
        hard = (labels == face_label).astype(np.uint8)
    return cv2.resize(hard.astype(np.float32), (w, h), interpolation=cv2.INTER_LINEAR).round().astype(np.float32)


def feather(mask: np.ndarray, radius: float) -> np.ndarray:
    """Soften a mask's edge with a Gaussian of sigma `radius` pixels."""
    if radius <= 0:
        return mask.astype(np.float32)
    import cv2

    return np.clip(cv2.GaussianBlur(mask.astype(np.float32), (0, 0), radius), 0.0, 1.0)


def region_mask(image: np.ndarray, region: str, face: tuple[int, int, int, int] | None = None,
                softness: float = 0.01, person: np.ndarray | None = None) -> np.ndarray:
    """A soft (H, W) float32 mask of `region` (face | person | background | clothes).

    `face` is the (x, y, w, h) face box to seed from (found with the Haar cascade when
    None); `softness` is the feather sigma as a fraction of the shorter side; `person`
    is a hard mask from `person_mask(image, face)` to reuse (GrabCut is the slow part).
    """
    if region not in REGIONS:
        raise UsageError(f"Unknown region '{region}'; use one of {', '.join(REGIONS)}, or pass a mask file.")
    if face is None:
        face = main_face(image, f", or pass a mask file (--mask) instead of the '{region}' region")
    h, w = image.shape[:2]
    x, y, fw, fh = face
    person = person_mask(image, face) if person is None else person
    if region == "person":
        hard = person
    elif region == "background":
        hard = 1.0 - person
    else:
        head = _ellipse((h, w), x + fw / 2, y + 0.45 * fh, 0.62 * fw, 0.75 * fh)
        if region == "face":
            hard = head * person
        else:
            # Hair band above the face and the neck below the chin are skin/hair, not clothes.
            hair = _ellipse((h, w), x + fw / 2, y + 0.1 * fh, 0.9 * fw, 0.75 * fh)
            neck = np.zeros((h, w), np.float32)
            neck[int(y + 0.8 * fh):int(y + 1.35 * fh), int(max(0, x + 0.15 * fw)):int(x + 0.85 * fw)] = 1.0
            hard = person * (1.0 - np.maximum(np.maximum(head, hair), neck))
    return feather(hard, softness * min(h, w))


def limit_to_region(original: np.ndarray, styled: np.ndarray, region: str = "", mask: str | Path = "",
                    face: tuple[int, int, int, int] | None = None) -> np.ndarray:
    """The styled photo kept only inside `region` or the mask file `mask` (not both); with
    neither, `styled` unchanged. The face (if needed) is found on the original photo."""
    if region and mask:
        raise UsageError("Give either a region or a mask file, not both.")
    if not region and not mask:
        return styled
    soft = load_mask(mask, original.shape) if mask else region_mask(original, region, face)
    return blend_with_mask(original, styled, soft)
