"""Draw docs/img/video_strip.jpg: frames of a clip (a pan across a sample photo, made here
with PyAV) before and after `stylekit video` with two bundled looks.

    python scripts/make_video_strip.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_video import make_clip  # noqa: E402

import stylekit  # noqa: E402
from stylekit.video import read_frames  # noqa: E402

LOOKS = ("aurora", "noir")
PICK = 4  # frames shown per row
SIDE = 240  # width of each frame in the strip


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        clip = make_clip(tmp / "pan.mp4", 640, 360, 3.0, photo=ROOT / "examples" / "photos" / "coffee.jpg")
        rows = {"original": list(read_frames(clip))}
        for look in LOOKS:
            out = stylekit.stylize_video(clip, tmp / f"{look}.mp4", look)
            rows[look] = list(read_frames(out))
    n = len(rows["original"])
    picks = [round(i * (n - 1) / (PICK - 1)) for i in range(PICK)]
    h = round(SIDE * 360 / 640)
    label_w, gap = 90, 4
    sheet = Image.new("RGB", (label_w + PICK * (SIDE + gap), len(rows) * (h + gap)), "white")
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.load_default(size=16)
    for r, (name, frames) in enumerate(rows.items()):
        y = r * (h + gap)
        draw.text((8, y + h // 2 - 8), name, fill=(20, 20, 20), font=font)
        for c, index in enumerate(picks):
            tile = Image.fromarray(frames[index]).resize((SIDE, h), Image.LANCZOS)
            sheet.paste(tile, (label_w + c * (SIDE + gap), y))
    out = ROOT / "docs" / "img" / "video_strip.jpg"
    sheet.save(out, quality=88)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
