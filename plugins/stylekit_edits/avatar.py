"""Avatars: find the main face with OpenCV's Haar cascades (shipped inside
opencv-python-headless<5, so nothing is downloaded), crop a square around it with
headroom, resize to a preset size, optionally cut a transparent circle.

Limits: Haar cascades find upright, roughly frontal faces; profiles, strong tilt,
sunglasses or faces smaller than ~4 % of the shorter side are often missed.
"""

from __future__ import annotations

import numpy as np

from stylekit.edits import Edit, Param
from stylekit.errors import StylekitError

from ._pixels import split_alpha

SIZES = (0, 128, 256, 512, 1024)
CASCADES = ("haarcascade_frontalface_default.xml", "haarcascade_frontalface_alt2.xml")
DETECT_MAX_SIDE = 800  # detection runs on a copy no larger than this, for speed


class NoFaceFoundError(StylekitError):
    """No face was found where one is needed (avatar, face-seeded regions)."""


def detect_faces(image: np.ndarray, min_size: float = 0.04) -> list[tuple[int, int, int, int]]:
    """Face boxes (x, y, w, h) in pixels, largest first; empty if none.

    Runs the default frontal cascade on the equalised grey image, and the alt2 cascade
    if that finds nothing. `min_size` is the smallest face as a fraction of the shorter side.
    """
    import cv2

    rgb, _ = split_alpha(image)
    grey = cv2.cvtColor((np.clip(rgb, 0, 1) * 255).astype(np.uint8), cv2.COLOR_RGB2GRAY)
    scale = min(1.0, DETECT_MAX_SIDE / max(grey.shape))
    if scale < 1.0:
        grey = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    grey = cv2.equalizeHist(grey)
    smallest = max(20, round(min_size * min(grey.shape)))
    for name in CASCADES:
        cascade = cv2.CascadeClassifier(cv2.data.haarcascades + name)
        found = cascade.detectMultiScale(grey, scaleFactor=1.1, minNeighbors=5, minSize=(smallest, smallest))
        if len(found):
            boxes = [tuple(int(round(v / scale)) for v in box) for box in found]
            return sorted(boxes, key=lambda b: b[2] * b[3], reverse=True)
    return []


def main_face(image: np.ndarray, purpose: str = "") -> tuple[int, int, int, int]:
    """The largest face box (x, y, w, h); `NoFaceFoundError` if there is none, its
    message ending with `purpose` (what the user can do instead)."""
    faces = detect_faces(image)
    if not faces:
        raise NoFaceFoundError(f"No face found in the photo; use a photo with a clear, upright, frontal face{purpose}.")
    return faces[0]


def face_square(box: tuple[int, int, int, int], shape: tuple[int, ...], zoom: float = 2.2,
                headroom: float = 0.15) -> tuple[int, int, int]:
    """(left, top, side) of a square around a face box: `zoom` x the face size, its centre
    `headroom` x the face height above the face centre (room for hair), moved or shrunk
    to stay inside the image."""
    x, y, w, h = box
    img_h, img_w = shape[:2]
    side = min(round(zoom * max(w, h)), img_w, img_h)
    cx, cy = x + w / 2, y + h / 2 - headroom * h
    left = int(np.clip(round(cx - side / 2), 0, img_w - side))
    top = int(np.clip(round(cy - side / 2), 0, img_h - side))
    return left, top, side


def circle_alpha(size: int, supersample: int = 4) -> np.ndarray:
    """Anti-aliased disc coverage filling a size x size square, in [0, 1]."""
    n = size * supersample
    yy, xx = np.mgrid[0:n, 0:n].astype(np.float32)
    r = n / 2
    inside = ((xx + 0.5 - r) ** 2 + (yy + 0.5 - r) ** 2 <= r * r).astype(np.float32)
    return inside.reshape(size, supersample, size, supersample).mean(axis=(1, 3))


def avatar(image: np.ndarray, size: int = 0, circle: bool = False, fallback: str = "none",
           zoom: float = 2.2, headroom: float = 0.15) -> np.ndarray:
    """A square avatar of `size` pixels around the main face (size 0: no avatar, the image
    unchanged). `circle` makes the outside of the inscribed circle transparent (RGBA).
    Without a face: `NoFaceFoundError`, or with fallback="center" the largest centred square."""
    if size == 0:
        return image.copy()
    import cv2

    faces = detect_faces(image)
    img_h, img_w = image.shape[:2]
    if faces:
        left, top, side = face_square(faces[0], image.shape, zoom, headroom)
    elif fallback == "center":
        side = min(img_h, img_w)
        left, top = (img_w - side) // 2, (img_h - side) // 2
    else:
        raise NoFaceFoundError(
            "No face found in the photo; use a photo with a clear, upright, frontal face, "
            "or ask for a centred crop with fallback=center (--fallback center)."
        )
    square = np.ascontiguousarray(image[top:top + side, left:left + side], dtype=np.float32)
    interp = cv2.INTER_AREA if side > size else cv2.INTER_CUBIC
    out = np.clip(cv2.resize(square, (size, size), interpolation=interp), 0.0, 1.0).reshape(size, size, -1)
    if not circle:
        return out
    rgb, alpha = split_alpha(out)
    disc = circle_alpha(size)
    alpha = disc if alpha is None else alpha * disc
    return np.concatenate([rgb, alpha[..., None]], axis=2).astype(np.float32)


EDITS = [
    Edit("avatar", avatar, (
        Param("size", "int", 0, "square side in pixels; 0 for no avatar", choices=SIZES),
        Param("circle", "bool", False, "transparent outside the circle (PNG)"),
        Param("fallback", "choice", "none", "without a face: error, or a centred crop", choices=("none", "center")),
        Param("zoom", "float", 2.2, "square side x face size", 1.0, 6.0),
        Param("headroom", "float", 0.15, "crop centre above the face centre x face height", -0.5, 1.0),
    ), "Square (or circular) profile picture around the main face.", kind="avatar"),
]
