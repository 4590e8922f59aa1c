"""Contact sheets: one photo (or a frame of a video) in every installed look, labelled, to
choose a look by looking."""

from __future__ import annotations

import math
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .errors import StylekitError, UsageError

TILE = 320  # long side of each picture on the sheet
LABEL = 28  # pixels under each picture for its label


@dataclass
class Sheet:
    """A rendered sheet: the picture (float RGB), the labels in order, and looks that failed."""

    image: np.ndarray
    labels: list[str]
    failed: list[tuple[str, str]]


def _source_frame(path: Path) -> tuple[np.ndarray, str]:
    """The picture to put in every look: the photo, or the middle frame of a video."""
    from .imageio import VIDEO_SUFFIXES, load_image

    if path.suffix.lower() in VIDEO_SUFFIXES:
        from .video import middle_frame

        return middle_frame(path).astype(np.float32) / np.float32(255), "video"
    return load_image(path).rgb, "photo"


def _thumbnail(rgb: np.ndarray, side: int) -> np.ndarray:
    import cv2

    h, w = rgb.shape[:2]
    scale = side / max(h, w)
    if scale >= 1:
        return rgb.astype(np.float32)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    return cv2.resize(rgb.astype(np.float32), size, interpolation=cv2.INTER_AREA)


def image_looks() -> list[str]:
    """Names of the installed influencers that have an image look, in store order."""
    from .api import list_packs

    names = []
    for pack in list_packs():
        try:
            pack.engine_for("image")
        except StylekitError:
            continue
        names.append(pack.name)
    return names


def make_sheet(source: str | os.PathLike, strength: float = 1.0, *, looks: list[str] | None = None, tile: int = TILE,
               columns: int | None = None) -> Sheet:
    """`source` (a photo, or a video's middle frame) as it was and in each look (every
    installed image look unless `looks` names some), on a labelled grid. A look that
    fails to load is left off with a warning; none loading is an error."""
    from .api import apply_image_style, load_style
    from .engines import check_strength

    strength = check_strength(strength)
    if not isinstance(tile, int) or not 64 <= tile <= 2048:
        raise UsageError(f"tile={tile!r} is out of range; allowed: 64 to 2048 pixels")
    rgb, _ = _source_frame(Path(source))
    thumb = _thumbnail(rgb, tile)
    names = looks if looks is not None else image_looks()
    if not names:
        raise UsageError("No image looks are installed; train one with `stylekit train image`")
    pictures, labels, failed = [thumb], ["original"], []
    for name in names:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # a consent note per look would drown the sheet
                style = load_style(name, "image")
            pictures.append(apply_image_style(style, thumb, strength))
            labels.append(name if strength == 1 else f"{name} {strength:g}")
        except StylekitError as exc:
            failed.append((name, str(exc)))
    if len(pictures) == 1:
        raise UsageError(f"None of the looks could be applied: {failed[0][1]}")
    return Sheet(_grid(pictures, labels, columns), labels, failed)


def _grid(pictures: list[np.ndarray], labels: list[str], columns: int | None) -> np.ndarray:
    """Pictures on a white grid, each with its label underneath."""
    from PIL import Image, ImageDraw, ImageFont

    from .imageio import to_uint8

    cols = columns or math.ceil(math.sqrt(len(pictures)))
    rows = math.ceil(len(pictures) / cols)
    h, w = pictures[0].shape[:2]
    gap = 8
    canvas = Image.new("RGB", (cols * (w + gap) + gap, rows * (h + LABEL + gap) + gap), "white")
    draw = ImageDraw.Draw(canvas)
    try:
        font: Any = ImageFont.load_default(size=16)
    except TypeError:  # Pillow without FreeType sizes
        font = ImageFont.load_default()
    for i, (picture, label) in enumerate(zip(pictures, labels)):
        x = gap + (i % cols) * (w + gap)
        y = gap + (i // cols) * (h + LABEL + gap)
        canvas.paste(Image.fromarray(to_uint8(np.clip(picture, 0, 1))), (x, y))
        text_w = draw.textlength(label, font=font)
        draw.text((x + max(0, (w - text_w) / 2), y + h + 5), label, fill=(20, 20, 20), font=font)
    return np.asarray(canvas, np.float32) / np.float32(255)


def default_sheet_path(source: Path) -> Path:
    """`<stem>_sheet.jpg` beside the source."""
    return source.parent / f"{source.stem}_sheet.jpg"


def write_sheet(source: str | os.PathLike, out: str | os.PathLike | None = None, strength: float = 1.0, *,
                overwrite: bool = False, looks: list[str] | None = None, tile: int = TILE) -> tuple[Path, Sheet]:
    """Render `make_sheet` and save it (JPEG, PNG, WebP... by extension) with provenance;
    the output never replaces the source nor an existing file unless `overwrite`."""
    from ._version import __version__
    from .imageio import save_image
    from .outputs import check_output

    source = Path(source)
    target = Path(out) if out is not None else default_sheet_path(source)
    check_output(target, overwrite, inputs=[source], kind="sheet")
    sheet = make_sheet(source, strength, looks=looks, tile=tile)
    provenance = {"tool": "stylekit", "version": __version__, "kind": "sheet", "source": source.name,
                  "looks": sheet.labels[1:], "strength": strength}
    return save_image(target, sheet.image, provenance=provenance, overwrite=overwrite), sheet
