"""Regenerate the pictures in docs/img/ used by docs/personalisation.md.

    python scripts/make_personalisation_docs.py [--out docs/img]

Sources (all bundled offline): skimage.data.astronaut() (NASA, public domain),
skimage.data.coffee() (Rachel Michetti, CC0), skimage.data.chelsea() (Stefan van der
Walt, CC0), and matplotlib's grace_hopper.jpg (US Navy photo, public domain).
Deterministic: the same library versions give the same files.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

import stylekit_edits
from stylekit import plugins
from stylekit.edits import get_edit
from stylekit_edits import avatar, regions
from stylekit_edits.text import TEXT_FONTS

ROOT = Path(__file__).resolve().parents[1]
LABEL_FONT = TEXT_FONTS[0]


def _edits() -> None:
    """Use exactly the built-in plugin, whatever else is installed."""
    import os

    os.environ["STYLEKIT_LOAD_PLUGINS"] = ""
    plugins.reset_plugin_manager()
    plugins.get_plugin_manager().register(stylekit_edits, name="stylekit_edits")


def _u8(image: np.ndarray) -> Image.Image:
    mode = "RGBA" if image.shape[2] == 4 else "RGB"
    return Image.fromarray(np.rint(np.clip(image, 0, 1) * 255).astype(np.uint8), mode)


def _checker(size: tuple[int, int], cell: int = 12) -> Image.Image:
    """A grey checkerboard that shows where an image is transparent."""
    w, h = size
    yy, xx = np.mgrid[0:h, 0:w]
    board = np.where(((xx // cell) + (yy // cell)) % 2, 200, 235).astype(np.uint8)
    return Image.fromarray(board, "L").convert("RGBA")


def _on_checker(image: np.ndarray) -> Image.Image:
    tile = _u8(image).convert("RGBA")
    board = _checker(tile.size)
    board.alpha_composite(tile)
    return board.convert("RGB")


def _labelled(tiles: list[tuple[str, Image.Image]], columns: int, pad: int = 6, label_h: int = 22) -> Image.Image:
    """Tiles (same size) in a grid with a caption under each."""
    from PIL import ImageFont

    font = ImageFont.truetype(str(LABEL_FONT), 14)
    w = max(t.width for _, t in tiles)
    h = max(t.height for _, t in tiles)
    rows = (len(tiles) + columns - 1) // columns
    sheet = Image.new("RGB", (columns * (w + pad) + pad, rows * (h + label_h + pad) + pad), "white")
    draw = ImageDraw.Draw(sheet)
    for i, (label, tile) in enumerate(tiles):
        x = pad + (i % columns) * (w + pad)
        y = pad + (i // columns) * (h + label_h + pad)
        sheet.paste(tile.convert("RGB"), (x + (w - tile.width) // 2, y + (h - tile.height) // 2))
        draw.text((x + w / 2, y + h + 4), label, fill="black", font=font, anchor="mt")
    return sheet


def _load(name: str) -> np.ndarray:
    import skimage.data

    return getattr(skimage.data, name)().astype(np.float32) / 255.0


def _grace_hopper() -> np.ndarray:
    from matplotlib import cbook

    with Image.open(cbook.get_sample_data("grace_hopper.jpg")) as img:
        return np.asarray(img.convert("RGB"), np.float32) / 255.0


def make_edits(out: Path) -> None:
    """Before/after grid of the adjustments on one photo."""
    photo = get_edit("resize")(_load("coffee"), width=240)
    steps = [
        ("original", "exposure", {}),
        ("exposure ev=+0.7", "exposure", {"ev": 0.7}),
        ("brightness -0.1", "brightness", {"amount": -0.1}),
        ("contrast 1.4", "contrast", {"amount": 1.4}),
        ("saturation 0.3", "saturation", {"amount": 0.3}),
        ("vibrance +0.8", "vibrance", {"amount": 0.8}),
        ("temperature +0.6", "temperature", {"amount": 0.6}),
        ("temperature -0.6", "temperature", {"amount": -0.6}),
        ("tint +0.5", "tint", {"amount": 0.5}),
        ("hue_shift 90", "hue_shift", {"degrees": 90}),
        ("gamma 1.6", "gamma", {"value": 1.6}),
        ("sharpness 2", "sharpness", {"amount": 2.0}),
        ("blur sigma=3", "blur", {"sigma": 3}),
        ("vignette 0.7", "vignette", {"amount": 0.7, "radius": 0.3}),
        ("grain 0.08 seed=1", "grain", {"amount": 0.08, "seed": 1}),
        ("crop aspect=1:1", "crop", {"aspect": "1:1"}),
    ]
    tiles = [(label, _u8(get_edit(name)(photo, **params))) for label, name, params in steps]
    _labelled(tiles, columns=4).save(out / "edits_grid.jpg", quality=88)


def make_avatar(out: Path) -> None:
    """Detected face box, square avatar, circular avatar, and the no-face fallback."""
    photo = _load("astronaut")
    x, y, w, h = avatar.main_face(photo)
    boxed = _u8(photo)
    draw = ImageDraw.Draw(boxed)
    draw.rectangle((x, y, x + w, y + h), outline=(0, 255, 0), width=3)
    left, top, side = avatar.face_square((x, y, w, h), photo.shape)
    draw.rectangle((left, top, left + side, top + side), outline=(255, 255, 0), width=2)
    size = 256
    square = get_edit("avatar")(photo, size=size)
    circle = get_edit("avatar")(photo, size=size, circle=True)
    framed = get_edit("frame")(circle, width=0.04, color="#ffffff", radius=0.5)
    cat = get_edit("avatar")(_load("chelsea"), size=size, fallback="center", circle=True)
    tiles = [
        ("face (green), crop (yellow)", boxed.resize((size, size))),
        ("avatar size=256", _u8(square)),
        ("circle=true (transparent)", _on_checker(circle)),
        ("+ frame radius=0.5", _on_checker(framed).resize((size, size))),
        ("no face: fallback=center", _on_checker(cat)),
    ]
    _labelled(tiles, columns=5).save(out / "avatar.jpg", quality=90)


def make_caption(out: Path, sticker_path: Path) -> None:
    """Caption with emoji, Chinese and Japanese; a sticker; a rounded frame."""
    photo = get_edit("resize")(_load("coffee"), width=600)
    styled = get_edit("caption")(photo, text="Sunday coffee ☕ 周末快乐！ 😀🎉 コーヒー 커피", size=0.085,
                                 outline=0.1, shadow=0.12, position="bottom")
    styled = get_edit("caption")(styled, text="@me · 2026", size=0.05, position="top-left", outline=0.0,
                                 shadow=0.15, color="#fff4d6")
    styled = get_edit("sticker")(styled, path=str(sticker_path), x=0.86, y=0.2, scale=0.18, rotation=-15)
    styled = get_edit("frame")(styled, width=0.03, color="#f5efe6", radius=0.06)
    _on_checker(styled).save(out / "caption.jpg", quality=90)


def make_sticker(path: Path) -> Path:
    """A small star sticker with alpha, drawn here so no external asset is needed."""
    big = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    centre, outer, inner = 200, 190, 80
    angles = np.deg2rad(np.arange(10) * 36 - 90)
    radii = np.where(np.arange(10) % 2 == 0, outer, inner)
    points = [(centre + r * np.cos(a), centre + r * np.sin(a)) for r, a in zip(radii, angles)]
    ImageDraw.Draw(big).polygon(points, fill=(255, 200, 40, 255), outline=(200, 90, 0, 255), width=10)
    big.resize((200, 200), Image.Resampling.LANCZOS).save(path)
    return path


def make_regions(out: Path) -> None:
    """The four region masks on the astronaut, a region-limited look, and a harder photo."""
    photo = _load("astronaut")
    face = avatar.main_face(photo)
    # A stand-in "look" (strong teal-and-orange grade) so the region limit is visible;
    # the real command applies an influencer's learned look instead.
    look = get_edit("hue_shift")(get_edit("contrast")(photo, amount=1.3), degrees=150)
    person = regions.person_mask(photo, face)
    tiles = []
    for region in regions.REGIONS:
        mask = regions.region_mask(photo, region, face=face, person=person)
        shown = photo * (0.25 + 0.75 * mask[..., None])
        tiles.append((f"mask: {region}", _u8(shown).resize((256, 256))))
    clothes = regions.limit_to_region(photo, look, region="clothes", face=face)
    backdrop = regions.limit_to_region(photo, look, region="background", face=face)
    tiles.append(("look everywhere", _u8(look).resize((256, 256))))
    tiles.append(("look on clothes only", _u8(clothes).resize((256, 256))))
    tiles.append(("look on background only", _u8(backdrop).resize((256, 256))))
    hopper = _grace_hopper()
    hopper_mask = regions.region_mask(hopper, "clothes")
    tiles.append(("limits: clothes, other photo", _u8(hopper * (0.25 + 0.75 * hopper_mask[..., None])).resize((220, 256))))
    _labelled(tiles, columns=4).save(out / "regions.jpg", quality=88)


def main() -> None:
    """Write every picture into --out (default docs/img)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    _edits()
    sticker = make_sticker(args.out / "sticker_star.png")
    make_edits(args.out)
    make_avatar(args.out)
    make_caption(args.out, sticker)
    make_regions(args.out)
    for name in ("sticker_star.png", "edits_grid.jpg", "avatar.jpg", "caption.jpg", "regions.jpg"):
        path = args.out / name
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}  {path.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
