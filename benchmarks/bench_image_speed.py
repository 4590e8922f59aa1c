"""Speed and memory of the gan engine: applying a look at 1024^2, 3840x2160 and 7680x4320, and one training step.

Applying a baked look needs no torch (the 33^3 LUT runs through OpenCV's C `remap`, the
vignette through numpy, in bands). Each apply measurement runs in a fresh subprocess, so
its peak resident memory (`ru_maxrss`) is that of loading the look, holding the input and
output frames and applying; the child checks that torch was never imported. Times are the
median of repeated applies after one warm-up. Training (torch, 1 thread) is timed in this
process.

    python benchmarks/bench_image_speed.py [--repeats 5] [--write]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "plugins"), str(ROOT / "benchmarks")]

from _common import machine, report  # noqa: E402

CHILD = r"""
import json, resource, sys, time
import numpy as np
sys.path[:0] = {paths!r}
from stylekit_gan import GanEngine
look = GanEngine().load({pack!r})
from PIL import Image
h, w = {h}, {w}
img = np.asarray(Image.open({photo!r}).convert("RGB").resize((w, h), Image.BICUBIC), np.float32) / 255
def hwm():  # this process's own peak RSS (ru_maxrss would include the parent's, inherited at fork)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
base = hwm()
look.apply(img, 0.8)
times, cpu = [], []
for _ in range({repeats}):
    t0, c0 = time.perf_counter(), time.process_time()
    out = look.apply(img, 0.8)
    times.append(time.perf_counter() - t0); cpu.append(time.process_time() - c0)
peak = hwm()
assert "torch" not in sys.modules, "applying imported torch"
print(json.dumps({{"median_s": float(np.median(times)), "cpu_s": float(np.median(cpu)), "peak_mb": peak, "before_apply_mb": base}}))
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


def measure(pack: Path, h: int, w: int, repeats: int) -> dict:
    """Apply timing and peak memory at h x w in a fresh subprocess."""
    code = CHILD.format(paths=[str(ROOT), str(ROOT / "plugins")], pack=str(pack), h=h, w=w, repeats=repeats,
                        photo=str(ROOT / "examples" / "photos" / "coffee.jpg"))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    """Measure and print (and with --write, save) the markdown table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--write", action="store_true", help="also write benchmarks/results/image_speed.md")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    sizes = (("1024x1024", 1024, 1024), ("3840x2160", 2160, 3840), ("7680x4320", 4320, 7680))
    bundled = ROOT / "plugins" / "stylekit_demo" / "packs" / "aurora" / "image"
    with tempfile.TemporaryDirectory() as tmp:
        pack, step_s, train_total = make_pack(Path(tmp))
        rows = [(f"{look} | {name}", measure(where, h, w, args.repeats))
                for look, where in (("bundled aurora", bundled), ("freshly trained", pack)) for name, h, w in sizes]
    lines = [
        "# Image speed and memory: applying a gan look, and one training step",
        "",
        f"Produced by `python benchmarks/bench_image_speed.py --write`: {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC, "
        f"{machine()}, 1-minute load average before the run {load:.1f}.",
        "",
        "Two looks: the bundled demo look `aurora`, and one trained here (aurora's grade on the bundled photos, "
        "40 steps, with whatever parts the engine now learns), each applied at strength 0.8 (the transform "
        "interpolated toward the identity, then applied) to the sample photo `coffee.jpg` resized to each size "
        "(float32), torch-free, one thread; frames of random noise, with no two neighbouring colours alike, "
        "take two to three times longer (the LUT lookups stop hitting the cache). "
        "Each size runs in a fresh process; peak memory is that process's own high-water mark (VmHWM: Python, "
        "numpy, OpenCV, the input and output frames, the scratch bands).",
        "",
        "| look | size | apply wall median (s) | apply CPU median (s) | peak RSS (MB) | RSS before apply (MB) |",
        "|---|---|---|---|---|---|",
    ]
    for name, r in rows:
        lines.append(f"| {name} | {r['median_s']:.3f} | {r['cpu_s']:.3f} | {r['peak_mb']:.0f} | {r['before_apply_mb']:.0f} |")
    lines += ["", f"One training step at the default size (128 px, batch 16, torch, 1 thread): {step_s * 1000:.0f} ms "
              f"(40 steps on 10 bundled photos incl. setup: {train_total:.1f} s)."]
    report("\n".join(lines), "image_speed.md", args.write)


if __name__ == "__main__":
    main()
