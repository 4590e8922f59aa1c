"""Speed and memory of the gan engine: applying a look at 1024^2 and 3840x2160, and one training step.

Each apply measurement runs in a fresh subprocess with torch limited to the given
threads (default 2), so its peak resident memory (`ru_maxrss`) is that of loading the
look, holding the input and output frames and applying. Times are the median of
repeated applies after one warm-up.

    python benchmarks/bench_image_speed.py [--threads 2] [--repeats 5] [--out FILE]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "plugins"), str(ROOT / "benchmarks")]

CHILD = r"""
import json, resource, sys, time
import numpy as np, torch
torch.set_num_threads({threads})
sys.path[:0] = {paths!r}
from stylekit_gan import GanEngine
look = GanEngine().load({pack!r})
h, w = {h}, {w}
img = np.random.default_rng(0).uniform(0, 1, (h, w, 3)).astype(np.float32)
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
look.apply(img, 0.8)
times = []
for _ in range({repeats}):
    t0 = time.perf_counter(); out = look.apply(img, 0.8); times.append(time.perf_counter() - t0)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"median_s": float(np.median(times)), "min_s": min(times), "peak_mb": peak, "before_apply_mb": base}}))
"""


def make_pack(folder: Path) -> tuple[Path, float, float]:
    """Train a short look on the bundled photos graded with 'aurora'; return the pack, s/step and total s."""
    import torch

    from looks import apply_look
    from stylekit.engines import TrainConfig, TrainData
    from stylekit_gan import GanEngine
    from stylekit_gan.photos import bundled_content, read_rgb

    torch.set_num_threads(1)
    feed_dir = folder / "feed"
    feed_dir.mkdir(parents=True)
    from PIL import Image

    photos = []
    for i, p in enumerate(bundled_content()):
        q = feed_dir / f"{i}.png"
        Image.fromarray(np.rint(apply_look("aurora", read_rgb(p)) * 255).astype(np.uint8)).save(q)
        photos.append(q)
    engine = GanEngine()
    data = TrainData(photos=photos)
    engine.train(data, folder / "warm", TrainConfig(steps=2, device="cpu"))  # warm-up (imports, caches)
    steps = 40
    t0 = time.perf_counter()
    metrics = engine.train(data, folder / "pack", TrainConfig(steps=steps, device="cpu"))
    total = time.perf_counter() - t0
    return folder / "pack", metrics["seconds"] / steps, total


def measure(pack: Path, h: int, w: int, threads: int, repeats: int) -> dict:
    """Apply timing and peak memory at h x w in a fresh subprocess."""
    code = CHILD.format(threads=threads, paths=[str(ROOT), str(ROOT / "plugins")], pack=str(pack), h=h, w=w, repeats=repeats)
    env = {**os.environ, "OMP_NUM_THREADS": str(threads)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    """Measure and print (and optionally append) the markdown table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pack, step_s, train_total = make_pack(Path(tmp))
        rows = [(name, measure(pack, h, w, args.threads, args.repeats)) for name, h, w in (("1024x1024", 1024, 1024), ("3840x2160", 2160, 3840), ("7680x4320", 4320, 7680))]
    lines = [
        f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC, {platform.machine()} CPU, {os.cpu_count()} cores (1-min load average before the run: {os.getloadavg()[0]:.1f}), "
        f"torch {args.threads} threads for applying, 1 thread for training",
        "",
        "| size | apply median (s) | apply min (s) | peak RSS (MB) | RSS before apply (MB) |",
        "|---|---|---|---|---|",
    ]
    for name, r in rows:
        lines.append(f"| {name} | {r['median_s']:.3f} | {r['min_s']:.3f} | {r['peak_mb']:.0f} | {r['before_apply_mb']:.0f} |")
    lines += ["", f"One training step at the default size (128 px, batch 16): {step_s * 1000:.0f} ms "
              f"(40 steps on 10 bundled photos incl. setup: {train_total:.1f} s)."]
    print("\n".join(lines))
    if args.out:
        with open(args.out, "a", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n\n")


if __name__ == "__main__":
    main()
