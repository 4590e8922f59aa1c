"""Post cards: the user's photo in an influencer's look, the caption rewritten in their
voice, composed as a square feed post (1080x1350 is also common; we use 1080x1080) or a
9:16 story (1080x1920)."""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from .errors import UsageError

LAYOUTS = {"square": (1080, 1080), "story": (1080, 1920)}
PHOTO_SHARE = {"square": 0.78, "story": 0.72}  # of the card's height; the rest holds the caption
BAND_COLOUR = np.array([0.98, 0.97, 0.95], np.float32)


@dataclass
class Post:
    """A composed post card, the caption written on it, and where it was saved (if it was)."""

    image: np.ndarray
    caption: str
    layout: str
    path: Path | None = None


def cover(rgb: np.ndarray, width: int, height: int) -> np.ndarray:
    """Scale and centre-crop `rgb` to exactly width x height (like CSS object-fit: cover)."""
    from PIL import Image

    from .imageio import to_pil

    h, w = rgb.shape[:2]
    scale = max(width / w, height / h)
    size = (max(width, round(w * scale)), max(height, round(h * scale)))
    img = to_pil(rgb).resize(size, Image.LANCZOS)
    left, top = (size[0] - width) // 2, (size[1] - height) // 2
    return np.asarray(img.crop((left, top, left + width, top + height)), dtype=np.float32) / 255.0


def cropped_share(shape: tuple[int, ...], layout: str) -> tuple[str, float]:
    """How a layout's photo box crops a photo of `shape`: ("width" or "height", the share of
    that side the card keeps); ("", 1.0) when nothing is cut."""
    width, height = LAYOUTS[layout]
    box = width / round(height * PHOTO_SHARE[layout])
    aspect = shape[1] / shape[0]
    if aspect > box:
        return "width", box / aspect
    if aspect < box:
        return "height", aspect / box
    return "", 1.0


# A layout that keeps less than this share of a photo's width or height says so.
CROP_NOTICE = 0.9


def compose(photo: np.ndarray, caption: str, layout: str = "square", handle: str = "") -> np.ndarray:
    """Lay out a photo and its caption on a card of the given layout."""
    from .edits import get_edit

    if layout not in LAYOUTS:
        raise UsageError(f"Unknown layout '{layout}'; use {', '.join(LAYOUTS)}")
    width, height = LAYOUTS[layout]
    photo_h = round(height * PHOTO_SHARE[layout])
    card = np.empty((height, width, 3), np.float32)
    card[:] = BAND_COLOUR
    top = (height - photo_h) // 4 if layout == "story" else 0
    card[top : top + photo_h] = cover(photo, width, photo_h)
    write = get_edit("caption")
    band = card[top + photo_h :]
    if caption:
        band = write(band, text=caption, color="#222222", outline=0.0, position="center", size=0.16 if layout == "square" else 0.13, width=0.9)
    card[top + photo_h :] = band
    if handle:
        head = card[:top] if layout == "story" and top > 40 else card[top : top + photo_h]
        head = write(head, text=handle, color="#222222" if layout == "story" else "white", outline=0.0 if layout == "story" else 0.06,
                     position="center" if layout == "story" else "top-left", size=0.25 if layout == "story" else 0.035)
        if layout == "story" and top > 40:
            card[:top] = head
        else:
            card[top : top + photo_h] = head
    return card


def make_post(
    photo: Any, influencer: str, caption: str, *, layout: str = "square", strength: float = 1.0,
    seed: int | None = 0, device: str = "auto", out: str | os.PathLike | None = None, overwrite: bool = False,
) -> Post:
    """Stylise `photo`, rewrite `caption` in the influencer's voice, and compose a card.

    Influencers without a voice keep the caption as written (with a warning); those
    without a look keep the photo as it is. With `out`, the card is also saved there
    (atomically, with provenance metadata: influencer, strength, layout, caption, source)
    and `Post.path` says where.
    """
    return make_posts(photo, influencer, caption, layouts=(layout,), strength=strength, seed=seed, device=device,
                      out=out, overwrite=overwrite)[0]


def make_posts(
    photo: Any, influencer: str, caption: str, *, layouts: Sequence[str] = tuple(LAYOUTS), strength: float = 1.0,
    seed: int | None = 0, device: str = "auto", out: str | os.PathLike | None = None, overwrite: bool = False,
) -> list[Post]:
    """One card per layout from a single stylisation and caption rewrite (see `make_post`).

    With `out` and several layouts, card i is saved as `<out stem>_<layout><suffix>`; every
    target is checked before any work, so nothing is written when one cannot be.
    """
    from .api import apply_image_style, load_pack, load_style, parse_influencers, provenance, stylize_text
    from .engines import check_strength
    from .imageio import check_writable, load_image, save_image

    strength = check_strength(strength)
    unknown = [name for name in layouts if name not in LAYOUTS]
    if unknown or not layouts:
        raise UsageError(f"Unknown layout '{unknown[0] if unknown else ''}'; use {', '.join(LAYOUTS)}")
    targets: list[Path | None] = [None] * len(layouts)
    if out is not None:
        out = Path(out)
        targets = [out] if len(layouts) == 1 else [out.with_name(f"{out.stem}_{name}{out.suffix}") for name in layouts]
        for target in targets:
            check_writable(target, overwrite, inputs=[photo] if isinstance(photo, (str, os.PathLike)) else [])
    rgb = photo if isinstance(photo, np.ndarray) else load_image(photo).rgb
    names = [n for n, _ in parse_influencers(influencer)]
    packs = [load_pack(n) for n in names]
    if all("image" in p.modalities for p in packs):
        rgb = apply_image_style(load_style(influencer, "image", device=device), rgb, strength)
    else:
        warnings.warn(f"'{influencer}' has no look for every influencer named; the photo keeps its colours", stacklevel=3)
    text = caption
    voiced = [n for n, p in zip(names, packs) if "text" in p.modalities]
    if caption and voiced:  # voices do not mix: the first influencer with a voice writes
        text = stylize_text(caption, voiced[0], strength, num=1, seed=seed, device=device)[0]
    elif caption:
        warnings.warn(f"'{influencer}' has no voice; the caption is kept as written", stacklevel=3)
    handle = "@" + "+".join(names)
    source = Path(photo).name if isinstance(photo, (str, os.PathLike)) else None
    posts = []
    for name, target in zip(layouts, targets):
        side, share = cropped_share(rgb.shape, name)
        if share < CROP_NOTICE:
            warnings.warn(f"the {name} layout crops the photo: it keeps the middle {share:.0%} of its {side}", stacklevel=3)
        post = Post(compose(rgb, text, name, handle=handle), text, name)
        if target is not None:
            meta = provenance(influencer, "image", strength, layout=name, caption=text, source=source)
            post.path = save_image(target, post.image, provenance=meta, overwrite=overwrite)
        posts.append(post)
    return posts
