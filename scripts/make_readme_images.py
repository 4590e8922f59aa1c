"""Render the README's before/after grid: each sample photo, then each bundled influencer's look.

    python scripts/make_readme_images.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

import stylekit
from stylekit.imageio import load_image, to_pil

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "img" / "before_after.png"
TILE = 220


def tile(rgb: np.ndarray) -> Image.Image:
    """A centred square crop, resized to the tile size."""
    h, w = rgb.shape[:2]
    side = min(h, w)
    top, left = (h - side) // 2, (w - side) // 2
    return to_pil(rgb[top : top + side, left : left + side]).resize((TILE, TILE), Image.LANCZOS)


def main() -> None:
    photos = sorted((ROOT / "examples" / "photos").glob("*.jpg"))
    looks = [p.name for p in stylekit.list_packs() if p.bundled and "image" in p.modalities]
    label_w = 80
    width, height = label_w + len(photos) * (TILE + 4), (len(looks) + 1) * (TILE + 4)
    sheet = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(sheet)
    for row, label in enumerate(["original", *looks]):
        draw.text((6, row * (TILE + 4) + TILE // 2), label, fill="black")
    for col, photo in enumerate(photos):
        rgb = load_image(photo).rgb
        variants = [rgb] + [stylekit.stylize_image(rgb, look) for look in looks]
        for row, variant in enumerate(variants):
            sheet.paste(tile(variant), (label_w + col * (TILE + 4), row * (TILE + 4)))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(OUT)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
