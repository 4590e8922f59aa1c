"""Rebuild the classic demo material: sample photos, the `sunset` .cube preset, and the
bundled `sunset` pack of the classic plugin.

    python scripts/build_classic_demo.py

Sample photos come from scikit-image's bundled data (coffee and chelsea: CC0; astronaut
and rocket: public domain, NASA / SpaceX). The `sunset` look is defined below and
released under CC0 by the stylekit developers.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
PHOTOS = ROOT / "examples" / "photos"
PRESET = ROOT / "examples" / "presets" / "sunset.cube"
PACK = ROOT / "plugins" / "stylekit_classic" / "packs" / "sunset"


def sunset_look(rgb: np.ndarray) -> np.ndarray:
    """Warm faded film: lifted blacks, soft highlights, teal shadows, amber highlights."""
    luma = rgb @ np.array([0.2126, 0.7152, 0.0722], np.float32)
    out = 0.08 + 0.88 * rgb  # lift blacks, roll off whites
    out = out + (luma[..., None] - out) * 0.2  # muted colour
    shadows = np.clip(1.0 - luma / 0.5, 0, 1)[..., None]
    highlights = np.clip((luma - 0.5) / 0.5, 0, 1)[..., None]
    out = out + shadows * np.array([-0.06, 0.02, 0.07], np.float32)  # teal shadows
    out = out + highlights * np.array([0.11, 0.04, -0.09], np.float32)  # amber highlights
    return np.clip(out, 0, 1)


def save_samples() -> None:
    from PIL import Image
    from skimage import data

    PHOTOS.mkdir(parents=True, exist_ok=True)
    for name in ("coffee", "chelsea", "astronaut", "rocket"):
        img = Image.fromarray(getattr(data, name)())
        img.thumbnail((640, 640))
        img.save(PHOTOS / f"{name}.jpg", quality=92)


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from stylekit.lut import identity_lut, write_cube

    save_samples()
    PRESET.parent.mkdir(parents=True, exist_ok=True)
    write_cube(PRESET, sunset_look(identity_lut(33)), title="stylekit sunset", overwrite=True)
    shutil.rmtree(PACK, ignore_errors=True)  # the old bundled copy would claim the name
    with tempfile.TemporaryDirectory() as home:
        os.environ["STYLEKIT_HOME"] = home
        import stylekit

        pack = stylekit.train(
            "image", "sunset", engine="classic", lut=PRESET, licence="CC0-1.0",
            consent={"granted_by": "stylekit developers (fictional influencer)", "date": "2026-11-26",
                     "statement": "A made-up look created for stylekit's demo; free to use."},
            description="Warm faded film (classic .cube preset)",
        )
        shutil.copytree(pack.path, PACK)
    print(f"wrote {PHOTOS}, {PRESET}, {PACK}")


if __name__ == "__main__":
    main()
