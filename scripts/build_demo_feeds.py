"""Build the feeds of the two fictional demo influencers, `aurora` and `noir`.

Each feed is 14 photos: two crops (bottom-right 70 % and centre 60 %, so they differ
from the bundled content crops, which are top-left and near top-left) of seven offline
photos that ship with the installed libraries (skimage: astronaut, chelsea, coffee,
rocket; matplotlib: grace_hopper; scikit-learn: china, flower), graded with the look
defined in `benchmarks/looks.py`, saved as JPEG quality 92.

    python scripts/build_demo_feeds.py OUT_DIR      # writes OUT_DIR/aurora/*.jpg, OUT_DIR/noir/*.jpg

Then train each with the gan engine (see the engine's README / the lead's pack builder):
`stylekit train image --influencer aurora --photos OUT_DIR/aurora` (bundled content).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from looks import apply_look  # noqa: E402

INFLUENCERS = ("aurora", "noir")
LONG_SIDE = 480


def source_photos() -> dict[str, np.ndarray]:
    """The offline colour photos, uint8 RGB."""
    import matplotlib.cbook as cbook
    import skimage.data as skd
    from PIL import Image
    from sklearn.datasets import load_sample_images

    china, flower = load_sample_images().images
    with Image.open(cbook.get_sample_data("grace_hopper.jpg", asfileobj=False)) as im:
        hopper = np.asarray(im.convert("RGB"))
    return {
        "astronaut": skd.astronaut(),
        "chelsea": skd.chelsea(),
        "coffee": skd.coffee(),
        "rocket": skd.rocket(),
        "grace_hopper": hopper,
        "china": china,
        "flower": flower,
    }


def feed_crops(img: np.ndarray) -> list[np.ndarray]:
    """Bottom-right 70 % and centre 60 % crops, float32 in [0, 1], long side at most 480 px."""
    from PIL import Image

    h, w = img.shape[:2]
    boxes = [(h - int(0.7 * h), w - int(0.7 * w), int(0.7 * h), int(0.7 * w)), (int(0.2 * h), int(0.2 * w), int(0.6 * h), int(0.6 * w))]
    out = []
    for top, left, ch, cw in boxes:
        crop = Image.fromarray(img[top : top + ch, left : left + cw])
        crop.thumbnail((LONG_SIDE, LONG_SIDE), Image.LANCZOS)
        out.append(np.asarray(crop).astype(np.float32) / 255.0)
    return out


def build(out_dir: Path) -> dict[str, list[Path]]:
    """Write both feeds under `out_dir`; return the written paths per influencer."""
    from PIL import Image

    written: dict[str, list[Path]] = {}
    photos = {name: feed_crops(img) for name, img in source_photos().items()}
    for influencer in INFLUENCERS:
        folder = out_dir / influencer
        folder.mkdir(parents=True, exist_ok=True)
        written[influencer] = []
        for name, crops in photos.items():
            for i, crop in enumerate(crops):
                path = folder / f"{name}_{i}.jpg"
                graded = np.rint(apply_look(influencer, crop) * 255).astype(np.uint8)
                Image.fromarray(graded).save(path, quality=92)
                written[influencer].append(path)
    return written


def main() -> None:
    """Command-line entry: build the feeds into the given folder."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out_dir", type=Path)
    args = parser.parse_args()
    for influencer, paths in build(args.out_dir).items():
        print(f"{influencer}: {len(paths)} photos in {args.out_dir / influencer}")


if __name__ == "__main__":
    main()
