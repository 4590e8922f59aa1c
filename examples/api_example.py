"""stylekit's Python API, end to end, on the bundled sample photos.

    python examples/api_example.py [OUT_DIR]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import stylekit

HERE = Path(__file__).parent


def main(out_dir: Path) -> None:
    photos = HERE / "photos"
    out_dir.mkdir(parents=True, exist_ok=True)

    # Learn a look from a folder (here: the sample photos themselves) with the classic engine.
    if "samples" not in [p.name for p in stylekit.list_packs()]:
        stylekit.train("image", "samples", engine="classic", photos=photos)

    # Apply a bundled look to one photo at 80 %, and a mix of two looks to every photo.
    stylekit.stylize_image(photos / "coffee.jpg", "sunset", strength=0.8).save(out_dir / "coffee_sunset80.jpg")
    result = stylekit.stylize_images([photos], "sunset:0.5,samples:0.5", out_dir=out_dir, overwrite=True)
    for src, dest in result.written:
        print(f"{src.name} -> {dest}")
    for src, reason in result.failed:
        print(f"failed: {reason}")

    # Provenance travels with every output; the look exports as a .cube for other editors.
    print(stylekit.inspect_image(result.written[0][1])["stylekit"])
    stylekit.export_lut("sunset", out_dir / "sunset.cube", overwrite=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="stylekit-")))
