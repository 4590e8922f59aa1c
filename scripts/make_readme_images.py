"""Render the README's pictures: the before/after grid (each sample photo, then each bundled
influencer's look) and two post cards (aurora square, noir story).

    python scripts/make_readme_images.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

import stylekit
from stylekit.imageio import load_image, to_pil

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "img" / "before_after.png"
POSTS = ROOT / "docs" / "img" / "post_cards.jpg"
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
    post_cards()


def post_cards() -> None:
    """aurora's square post of the astronaut photo beside noir's story of the rocket."""
    cards = [
        stylekit.make_post(ROOT / "examples/photos/astronaut.jpg", "aurora", "Had a nice day at the beach.", layout="square"),
        stylekit.make_post(ROOT / "examples/photos/rocket.jpg", "noir", "We watched the launch from the roof.", layout="story"),
    ]
    height = 640
    tiles = [to_pil(c.image).resize((round(c.image.shape[1] * height / c.image.shape[0]), height), Image.LANCZOS) for c in cards]
    sheet = Image.new("RGB", (sum(t.width for t in tiles) + 12, height), "white")
    x = 0
    for tile_img in tiles:
        sheet.paste(tile_img, (x, 0))
        x += tile_img.width + 12
    sheet.save(POSTS, quality=90)
    print(f"wrote {POSTS}: " + " | ".join(c.caption for c in cards))


if __name__ == "__main__":
    main()
