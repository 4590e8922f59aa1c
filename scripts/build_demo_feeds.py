"""Build the feeds of the fictional demo influencers `aurora`, `noir` and `xiaoman`.

Each feed is 20 photos: ordinary photos of 20 different scenes, spread over the `prior`
split of the gan engine's ordinary-photo reference (`plugins/stylekit_gan/data/reference`,
licences in its data card; never the protocol split that the look benchmarks test on),
graded with the influencer's look defined in `benchmarks/looks.py`, saved as JPEG
quality 92.

    python scripts/build_demo_feeds.py OUT_DIR      # writes OUT_DIR/<influencer>/*.jpg
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "benchmarks"), str(ROOT / "plugins")]

from looks import apply_look  # noqa: E402

INFLUENCERS = ("aurora", "noir", "xiaoman")
FEED_SIZE = 20


def source_photos(n: int = FEED_SIZE) -> dict[str, np.ndarray]:
    """`n` reference photos of different source photos, float32 RGB in [0, 1]."""
    from stylekit_gan.reference import load_rgb, reference_sources

    sources = reference_sources("prior")
    ids = sorted(sources)
    picks = [ids[round(i * len(ids) / n)] for i in range(n)]
    return {Path(sources[sid][0]).stem: load_rgb(sources[sid][0]) for sid in picks}


def build(out_dir: Path) -> dict[str, list[Path]]:
    """Write every feed under `out_dir`; return the written paths per influencer."""
    from PIL import Image

    written: dict[str, list[Path]] = {}
    photos = source_photos()
    for influencer in INFLUENCERS:
        folder = out_dir / influencer
        folder.mkdir(parents=True, exist_ok=True)
        written[influencer] = []
        for name, photo in photos.items():
            path = folder / f"{name}.jpg"
            graded = np.rint(apply_look(influencer, photo) * 255).astype(np.uint8)
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
