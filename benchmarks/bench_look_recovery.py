"""Look recovery: learn known looks from unpaired photos, score held-out scenes by CIEDE2000.

For each ground-truth look in `looks.py`, the gan engine learns from 16 styled photos
(crops of 4 source photos) against 6 raw content photos (crops of 2 *other* source
photos), and is applied to 8 raw held-out photos (crops of 2 further source photos).
Every split comes from different source photos, so no scene is shared. Reported:
mean CIEDE2000 to the true look for doing nothing, Reinhard (Lab mean/std transfer from
the pooled feed), histogram matching (skimage, reference = the pooled feed) and the
gan engine, plus the engine's training time.

    python benchmarks/bench_look_recovery.py [--fold 0|1] [--looks a,b] [--steps N] [--out FILE]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "plugins"), str(ROOT / "benchmarks")]

from looks import LOOKS, apply_look  # noqa: E402

CROP_LONG_SIDE = 320
# Each fold: (feed sources, content sources, held-out sources), all disjoint.
FOLDS = [
    (("astronaut", "coffee", "china", "motorcycle"), ("rocket", "flower"), ("chelsea", "grace_hopper")),
    (("chelsea", "grace_hopper", "rocket", "flower"), ("astronaut", "motorcycle"), ("coffee", "china")),
]
CROPS = {"feed": 4, "content": 3, "heldout": 4}
# Shared-source folds: feed and content crops come from different regions of the same
# 6 photos (similar scenes, never the same pixels); held-out photos stay disjoint.
SHARED_HELDOUT = [("chelsea", "grace_hopper"), ("coffee", "china")]


def load_sources() -> dict[str, np.ndarray]:
    """The offline colour photos: skimage (astronaut, chelsea, coffee, rocket, motorcycle),
    scikit-learn (china, flower) and matplotlib (grace_hopper), as float32 in [0, 1]."""
    import matplotlib.cbook as cbook
    import skimage.data as skd
    from PIL import Image
    from sklearn.datasets import load_sample_images

    china, flower = load_sample_images().images
    with Image.open(cbook.get_sample_data("grace_hopper.jpg", asfileobj=False)) as im:
        hopper = np.asarray(im.convert("RGB"))
    raw = {
        "astronaut": skd.astronaut(),
        "chelsea": skd.chelsea(),
        "coffee": skd.coffee(),
        "rocket": skd.rocket(),
        "motorcycle": skd.stereo_motorcycle()[0],
        "china": china,
        "flower": flower,
        "grace_hopper": hopper,
    }
    return {k: v.astype(np.float32) / 255.0 for k, v in raw.items()}


def crops(img: np.ndarray, n: int, seed: int) -> list[np.ndarray]:
    """`n` deterministic crops (55-85 % of each side, spread positions), long side 320 px."""
    import cv2

    rng = np.random.default_rng(seed)
    h, w = img.shape[:2]
    out = []
    for i in range(n):
        s = rng.uniform(0.55, 0.85)
        ch, cw = int(h * s), int(w * s * rng.uniform(0.9, 1.1))
        cw = min(cw, w)
        top = int((h - ch) * ((i % 2) * 0.8 + rng.uniform(0, 0.2)))
        left = int((w - cw) * (((i // 2) % 2) * 0.8 + rng.uniform(0, 0.2)))
        c = img[top : top + ch, left : left + cw]
        k = CROP_LONG_SIDE / max(c.shape[:2])
        out.append(cv2.resize(c, (round(c.shape[1] * k), round(c.shape[0] * k)), interpolation=cv2.INTER_AREA))
    return out


def split(sources: dict[str, np.ndarray], fold: int) -> dict[str, list[np.ndarray]]:
    """Raw crops for the feed, content and held-out roles of one fold."""
    if fold >= len(FOLDS):
        return shared_split(sources, SHARED_HELDOUT[fold - len(FOLDS)])
    roles = dict(zip(("feed", "content", "heldout"), FOLDS[fold]))
    return {
        role: [c for j, name in enumerate(names) for c in crops(sources[name], CROPS[role], seed=100 * fold + 10 * j + len(role))]
        for role, names in roles.items()
    }


def shared_split(sources: dict[str, np.ndarray], heldout: tuple[str, ...]) -> dict[str, list[np.ndarray]]:
    """Feed and content from the same 6 source photos but disjoint regions (60 % / 40 % of
    the width, alternating sides), held-out crops from 2 other source photos."""
    out: dict[str, list[np.ndarray]] = {"feed": [], "content": [], "heldout": []}
    for j, (name, img) in enumerate(sorted(sources.items())):
        if name in heldout:
            out["heldout"] += crops(img, CROPS["heldout"], seed=500 + j)
            continue
        cut = int(img.shape[1] * (0.6 if j % 2 else 0.4))
        left, right = img[:, :cut], img[:, cut:]
        feed_part, content_part = (left, right) if j % 2 else (right, left)
        out["feed"] += crops(feed_part, 3, seed=600 + j)
        out["content"] += crops(content_part, 1, seed=700 + j)
    return out


def delta_e(a: np.ndarray, b: np.ndarray) -> float:
    """Mean CIEDE2000 between two sRGB float images."""
    from skimage.color import deltaE_ciede2000, rgb2lab

    return float(deltaE_ciede2000(rgb2lab(np.clip(a, 0, 1)), rgb2lab(np.clip(b, 0, 1))).mean())


def reinhard(img: np.ndarray, feed: list[np.ndarray]) -> np.ndarray:
    """Reinhard et al. colour transfer in Lab: match the pooled feed's mean and std."""
    from skimage.color import lab2rgb, rgb2lab

    ref = np.concatenate([rgb2lab(f).reshape(-1, 3) for f in feed])
    lab = rgb2lab(img)
    mu, sd = lab.reshape(-1, 3).mean(0), lab.reshape(-1, 3).std(0) + 1e-6
    out = (lab - mu) / sd * ref.std(0) + ref.mean(0)
    return np.clip(lab2rgb(out), 0, 1).astype(np.float32)


def histogram_match(img: np.ndarray, feed: list[np.ndarray]) -> np.ndarray:
    """skimage histogram matching per channel to the pooled feed pixels."""
    from skimage.exposure import match_histograms

    ref = np.concatenate([f.reshape(-1, 1, 3) for f in feed])
    return np.clip(match_histograms(img, ref, channel_axis=-1), 0, 1).astype(np.float32)


def write_pngs(folder: Path, images: list[np.ndarray]) -> list[Path]:
    """Save float images as 8-bit PNGs (what a user's feed folder holds)."""
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, im in enumerate(images):
        p = folder / f"{i:02d}.png"
        Image.fromarray(np.rint(np.clip(im, 0, 1) * 255).astype(np.uint8)).save(p)
        paths.append(p)
    return paths


def run_look(name: str, data: dict[str, list[np.ndarray]], steps: int | None, seed: int) -> dict[str, float]:
    """Train the gan engine on one look and score all methods on the held-out photos."""
    import torch

    from stylekit.engines import TrainConfig, TrainData
    from stylekit_gan import GanEngine

    torch.set_num_threads(1)
    feed = [apply_look(name, im) for im in data["feed"]]
    truth = [apply_look(name, im) for im in data["heldout"]]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        photos = write_pngs(tmp / "feed", feed)
        content = write_pngs(tmp / "content", data["content"])
        engine = GanEngine()
        t0 = time.perf_counter()
        engine.train(TrainData(photos=photos, content=content), tmp / "pack", TrainConfig(steps=steps, seed=seed, device="cpu"))
        seconds = time.perf_counter() - t0
        look = engine.load(tmp / "pack")
        # Feed pixels as the 8-bit files hold them, for the classic transfers too.
        feed8 = [np.rint(f * 255) / 255 for f in feed]
    rows = {"nothing": [], "reinhard": [], "histogram": [], "gan": []}
    for raw, gt in zip(data["heldout"], truth):
        rows["nothing"].append(delta_e(raw, gt))
        rows["reinhard"].append(delta_e(reinhard(raw, feed8), gt))
        rows["histogram"].append(delta_e(histogram_match(raw, feed8), gt))
        rows["gan"].append(delta_e(look.apply(raw), gt))
    result = {k: float(np.mean(v)) for k, v in rows.items()}
    result["gan_worst_photo"] = float(np.max(np.array(rows["gan"]) - np.array(rows["nothing"])))
    result["train_s"] = seconds
    return result


def main() -> None:
    """Run the benchmark and print (and optionally write) the markdown table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fold", type=int, default=0, choices=range(len(FOLDS) + len(SHARED_HELDOUT)))
    parser.add_argument("--looks", default=",".join(LOOKS))
    parser.add_argument("--steps", type=int, default=None, help="training steps (default: the engine's)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=None, help="append the table to this markdown file")
    args = parser.parse_args()
    warnings.filterwarnings("ignore", message="Conversion from CIE-LAB")  # Reinhard's out-of-gamut Lab, clipped
    data = split(load_sources(), args.fold)
    if args.fold < len(FOLDS):
        feed_src, content_src, held_src = FOLDS[args.fold]
    else:
        held_src = SHARED_HELDOUT[args.fold - len(FOLDS)]
        feed_src = content_src = tuple(n for n in sorted(load_sources()) if n not in held_src)
    lines = [
        f"### Fold {args.fold}: feed {', '.join(feed_src)} ({len(data['feed'])} crops); "
        f"content {', '.join(content_src)} ({len(data['content'])}); held-out {', '.join(held_src)} ({len(data['heldout'])})",
        "",
        f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC, {platform.machine()} {platform.processor() or ''}, "
        f"{os.cpu_count()}-core CPU (1-min load average {os.getloadavg()[0]:.1f}), torch 1 thread, engine defaults"
        + (f", {args.steps} steps" if args.steps else ""),
        "",
        "| look | nothing | Reinhard | histogram | gan | gan worst photo vs nothing | gan train (s) |",
        "|---|---|---|---|---|---|---|",
    ]
    print("\n".join(lines), flush=True)
    results = []
    for name in args.looks.split(","):
        r = run_look(name, data, args.steps, args.seed)
        results.append(r)
        line = (
            f"| {name} | {r['nothing']:.2f} | {r['reinhard']:.2f} | {r['histogram']:.2f} | **{r['gan']:.2f}** | "
            f"{r['gan_worst_photo']:+.2f} | {r['train_s']:.0f} |"
        )
        lines.append(line)
        print(line, flush=True)
    mean = {k: np.mean([r[k] for r in results]) for k in ("nothing", "reinhard", "histogram", "gan", "train_s")}
    line = f"| **mean** | {mean['nothing']:.2f} | {mean['reinhard']:.2f} | {mean['histogram']:.2f} | **{mean['gan']:.2f}** | | {mean['train_s']:.0f} |"
    lines.append(line)
    print(line)
    if args.out:
        with open(args.out, "a", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n\n")


if __name__ == "__main__":
    main()
