"""Time each built-in personalisation edit at 1024x1024 and 3840x2160 (best of 3), and the
region mask used by `--region clothes`. Prints a Markdown table; `--write` saves it to
results/edits_speed.md.

    python benchmarks/bench_edits.py [--threads 2] [--write]
"""

from __future__ import annotations

import argparse
import os
from datetime import datetime, timezone

import numpy as np

from _common import best_ms, machine, report

CASES = [
    ("exposure", {"ev": 0.5}), ("brightness", {"amount": 0.1}), ("contrast", {"amount": 1.2}),
    ("saturation", {"amount": 1.2}), ("vibrance", {"amount": 0.5}), ("temperature", {"amount": 0.3}),
    ("tint", {"amount": 0.3}), ("hue_shift", {"degrees": 20}), ("gamma", {"value": 1.2}),
    ("sharpness", {"amount": 1}), ("blur", {"sigma": 3}), ("vignette", {"amount": 0.4}),
    ("grain", {"amount": 0.05, "seed": 1}), ("crop", {"aspect": "1:1"}), ("resize", {"scale": 0.5}),
    ("rotate", {"degrees": 10}), ("flip", {"horizontal": True}),
    ("caption", {"text": "Weekend 周末 😀🎉"}), ("frame", {"width": 0.03, "radius": 0.05}),
    ("avatar", {"size": 512, "circle": True}),
]
SIZES = [(1024, 1024), (3840, 2160)]



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    import cv2
    from skimage.data import astronaut

    from stylekit.edits import get_edit
    from stylekit_edits.regions import region_mask

    cv2.setNumThreads(args.threads)
    base = astronaut().astype(np.float32) / 255  # a face, so the avatar edit has work to do
    frames = {size: cv2.resize(base[224:] if size[0] > size[1] else base, size, interpolation=cv2.INTER_CUBIC).clip(0, 1)
              for size in SIZES}
    rows = []
    for name, params in CASES:
        edit = get_edit(name)
        times = [best_ms(lambda: edit(frames[size], **params)) for size in SIZES]
        rows.append(f"| `{name}` | {', '.join(f'{k}={v}' for k, v in params.items())} | {times[0]:.0f} | {times[1]:.0f} |")
    clothes = best_ms(lambda: region_mask(frames[(1024, 1024)], "clothes"), repeats=1)
    load = os.getloadavg()[0]
    table = "\n".join([
        f"# Personalisation edit speed\n\n{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {machine()}, "
        f"{args.threads} OpenCV threads, 1-min load average {load:.1f}; best of 3, float32 RGB in and out.",
        "", "| edit | parameters | 1024x1024 ms | 3840x2160 ms |", "|---|---|---|---|", *rows,
        "", f"Region mask `clothes` (face detection + GrabCut) on 1024x1024: {clothes:.0f} ms.",
    ])
    report(table, "edits_speed.md", args.write)


if __name__ == "__main__":
    main()
