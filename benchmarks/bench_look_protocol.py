"""The held-out look protocol: can the image engine learn looks it was never tuned on?

Looks come from `stylekit_gan.looksampler` (parametric grades, smooth LUT warps, local
operations, compositions). Two fixed sets of seeds: TUNING looks, on which every
design decision is made, and HELDOUT looks, reported once per change and never
looked at while tuning. Photos come from the `protocol` split of the ordinary-photo
reference (`stylekit_gan.reference`): source photos that neither the look prior nor
the engine ever trains on. For each look, distinct source photos are drawn for a
feed (14 photos, styled with the look), content (6 raw photos, given to the engine
as the user's own) and a test set (6 raw photos); the engine learns from feed +
content and is scored on the test photos by mean CIEDE2000 to the true look.

Methods: `nothing` (the raw photo), `quick` (the look prior alone, `-O quick=true`),
`gan` (the engine's defaults) and `oracle` (a paired 17^3 LUT fitted by least squares
on the feed's raw -> styled pairs: a ceiling no unpaired method reaches; local
operations are beyond any LUT).

    python benchmarks/bench_look_protocol.py --set tuning [--methods nothing,quick,gan,oracle] [--limit N] [--write]
    python benchmarks/bench_look_protocol.py --set heldout --write
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "plugins"), str(ROOT / "benchmarks")]

from _common import machine, report  # noqa: E402

N_FEED, N_CONTENT, N_TEST = 14, 6, 6


def draw_photos(seed: int) -> dict[str, list[np.ndarray]]:
    """Feed, content and test photos for one look: distinct source photos of the protocol split."""
    from stylekit_gan.reference import load_rgb, reference_sources

    sources = reference_sources("protocol")
    ids = sorted(sources)
    need = N_FEED + N_CONTENT + N_TEST
    if len(ids) < N_TEST + 4:
        raise SystemExit(f"Only {len(ids)} protocol source photos; rebuild the reference (scripts/build_reference_photos.py).")
    rng = np.random.default_rng([seed, 99])
    order = [ids[i] for i in rng.permutation(len(ids))]
    test_ids = order[:N_TEST]
    rest = order[N_TEST:]
    # Feed and content never share a source photo with the test set; with fewer sources
    # than needed, feed and content cycle through the rest (other thumbnails or crops).
    pick = [rest[i % len(rest)] for i in range(N_FEED + N_CONTENT)] if len(rest) < need - N_TEST else rest[: N_FEED + N_CONTENT]

    def photo(sid: str, k: int) -> np.ndarray:
        files = sources[sid]
        img = load_rgb(files[k % len(files)])
        if k >= len(files):  # a repeated source: a different crop of it
            h, w = img.shape[:2]
            r = np.random.default_rng([seed, k, 5])
            ch, cw = int(h * 0.7), int(w * 0.7)
            top, left = int(r.integers(0, h - ch + 1)), int(r.integers(0, w - cw + 1))
            img = np.ascontiguousarray(img[top : top + ch, left : left + cw])
        return img

    seen: dict[str, int] = {}

    def next_photo(sid: str) -> np.ndarray:
        k = seen.get(sid, 0)
        seen[sid] = k + 1
        return photo(sid, k)

    feed_raw = [next_photo(s) for s in pick[:N_FEED]]
    content = [next_photo(s) for s in pick[N_FEED:]]
    test = [photo(s, 0) for s in test_ids]
    return {"feed_raw": feed_raw, "content": content, "test": test}


def delta_e(a: np.ndarray, b: np.ndarray) -> float:
    from skimage.color import deltaE_ciede2000, rgb2lab

    return float(deltaE_ciede2000(rgb2lab(np.clip(a, 0, 1)), rgb2lab(np.clip(b, 0, 1))).mean())


def fit_paired_lut(raw: list[np.ndarray], styled: list[np.ndarray], size: int = 17, smooth: float = 0.05) -> np.ndarray:
    """Least-squares (size^3, 3) lattice with trilinear weights mapping raw -> styled, plus a
    small Laplacian smoothness so empty cells follow their neighbours."""
    from scipy.sparse import coo_matrix, vstack
    from scipy.sparse.linalg import lsqr

    x = np.concatenate([r.reshape(-1, 3) for r in raw]).astype(np.float64)
    y = np.concatenate([s.reshape(-1, 3) for s in styled]).astype(np.float64)
    keep = np.random.default_rng(0).permutation(len(x))[:80_000]  # a fixed sample of the pixels is plenty
    x, y = x[keep], y[keep]
    t = np.clip(x, 0, 1) * (size - 1)
    i0 = np.minimum(np.floor(t).astype(int), size - 2)
    f = t - i0
    rows, cols, vals = [], [], []
    n = len(x)
    for corner in range(8):
        d = [(corner >> k) & 1 for k in range(3)]
        w = np.prod([f[:, k] if d[k] else 1 - f[:, k] for k in range(3)], axis=0)
        idx = ((i0[:, 0] + d[0]) * size + (i0[:, 1] + d[1])) * size + (i0[:, 2] + d[2])
        rows.append(np.arange(n))
        cols.append(idx)
        vals.append(w)
    a = coo_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n, size**3))
    lap_r, lap_c, lap_v, k = [], [], [], 0
    for axis in range(3):
        for i in range(size):
            for j in range(size):
                for m in range(1, size - 1):
                    p = [i, j]
                    p.insert(axis, m)
                    cells = []
                    for dm in (-1, 0, 1):
                        q = list(p)
                        q[axis] += dm
                        cells.append((q[0] * size + q[1]) * size + q[2])
                    lap_r += [k, k, k]
                    lap_c += cells
                    lap_v += [smooth, -2 * smooth, smooth]
                    k += 1
    lap = coo_matrix((lap_v, (lap_r, lap_c)), shape=(k, size**3))
    m = vstack([a, lap]).tocsr()
    axis = np.linspace(0, 1, size)
    ident = np.stack(np.meshgrid(axis, axis, axis, indexing="ij"), -1).reshape(-1, 3)
    lut = np.zeros((size**3, 3))
    for c in range(3):
        # Solve for the residual to the identity so unseen cells stay near the identity.
        rhs = np.concatenate([y[:, c] - a @ ident[:, c], -(lap @ ident[:, c])])
        lut[:, c] = ident[:, c] + lsqr(m, rhs, atol=1e-6, btol=1e-6, iter_lim=400)[0]
    return np.clip(lut.reshape(size, size, size, 3), 0, 1)


def apply_lut(lut: np.ndarray, img: np.ndarray) -> np.ndarray:
    from scipy.ndimage import map_coordinates

    size = lut.shape[0]
    coords = np.clip(img.reshape(-1, 3), 0, 1).T * (size - 1)
    out = np.stack([map_coordinates(lut[..., c], coords, order=1, mode="nearest") for c in range(3)], -1)
    return out.reshape(img.shape).astype(np.float32)


def run_engine(photos: dict[str, list[np.ndarray]], styled_feed: list[np.ndarray], options: dict, seed: int) -> tuple[list[np.ndarray], float]:
    """Train the gan engine on PNG files of the feed and content; apply it to the test photos."""
    from PIL import Image

    from stylekit.engines import TrainConfig, TrainData, get_engine

    engine = get_engine("gan", "image")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)

        def write(name: str, imgs: list[np.ndarray]) -> list[Path]:
            (tmp / name).mkdir()
            paths = []
            for i, im in enumerate(imgs):
                p = tmp / name / f"{i:02d}.png"
                Image.fromarray(np.rint(np.clip(im, 0, 1) * 255).astype(np.uint8)).save(p)
                paths.append(p)
            return paths

        data = TrainData(photos=write("feed", styled_feed), content=write("content", photos["content"]))
        t0 = time.perf_counter()
        engine.train(data, tmp / "pack", TrainConfig(seed=seed, device="cpu", options=dict(options)))
        seconds = time.perf_counter() - t0
        look = engine.load(tmp / "pack")
        return [look.apply(t) for t in photos["test"]], seconds


def main() -> None:
    from stylekit_gan.looksampler import HELDOUT_SEEDS, TUNING_SEEDS, sample_look

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--set", choices=("tuning", "heldout"), default="tuning")
    ap.add_argument("--methods", default="nothing,quick,gan,oracle")
    ap.add_argument("--limit", type=int, default=0, help="only the first N looks of the set")
    ap.add_argument("-O", dest="options", action="append", default=[], help="gan engine option KEY=VALUE")
    ap.add_argument("--write", action="store_true", help="save the table in benchmarks/results/")
    args = ap.parse_args()
    methods = args.methods.split(",")
    seeds = list(TUNING_SEEDS if args.set == "tuning" else HELDOUT_SEEDS)
    if args.limit:
        seeds = seeds[: args.limit]
    options = dict(o.split("=", 1) for o in args.options)

    rows, per_family, seconds = [], {}, {m: [] for m in methods}
    for seed in seeds:
        look = sample_look(seed)
        photos = draw_photos(seed)
        styled_feed = [look(p) for p in photos["feed_raw"]]
        truth = [look(t) for t in photos["test"]]
        scores = {}
        for m in methods:
            t0 = time.perf_counter()
            if m == "nothing":
                out = photos["test"]
            elif m == "oracle":
                lut = fit_paired_lut(photos["feed_raw"], styled_feed)
                out = [apply_lut(lut, t) for t in photos["test"]]
            elif m in ("quick", "gan"):
                opts = {**options, **({"quick": "true"} if m == "quick" else {})}
                out, _ = run_engine(photos, styled_feed, opts, seed)
            else:
                raise SystemExit(f"Unknown method '{m}'")
            seconds[m].append(time.perf_counter() - t0)
            scores[m] = float(np.mean([delta_e(o, t) for o, t in zip(out, truth)]))
        rows.append((seed, look.family, scores, look.describe()))
        per_family.setdefault(look.family, []).append(scores)
        print(f"{seed:>7} {look.family:<6} " + "  ".join(f"{m} {scores[m]:6.2f}" for m in methods), flush=True)

    lines = [
        f"# Held-out look protocol: {args.set} looks",
        "",
        f"Machine: {machine()}. {len(seeds)} looks from `looksampler` seeds {seeds[0]}..{seeds[-1]}; "
        f"{N_FEED} feed, {N_CONTENT} content and {N_TEST} test photos per look from distinct source photos of the "
        "reference's protocol split. Mean CIEDE2000 to the true look on the test photos (lower is better).",
        "",
        "| look | family | " + " | ".join(methods) + " |",
        "|---|---|" + "---|" * len(methods),
    ]
    for seed, fam, sc, _ in rows:
        lines.append(f"| {seed} | {fam} | " + " | ".join(f"{sc[m]:.2f}" for m in methods) + " |")
    lines += ["", "| family | looks | " + " | ".join(methods) + " |", "|---|---|" + "---|" * len(methods)]
    for fam, items in sorted(per_family.items()) + [("all", [s for _, _, s, _ in rows])]:
        lines.append(f"| {fam} | {len(items)} | " + " | ".join(f"{np.mean([s[m] for s in items]):.2f}" for m in methods) + " |")
    if "nothing" in methods:
        lines.append("")
        for m in methods:
            if m == "nothing":
                continue
            d = np.array([s[m] - s["nothing"] for _, _, s, _ in rows])
            lines.append(
                f"- {m}: better than nothing on {int((d < 0).sum())}/{len(d)} looks; worse on {int((d > 0).sum())} "
                f"(by more than 0.5 on {int((d > 0.5).sum())}; worst {d.max():+.2f}); mean time {np.mean(seconds[m]):.1f} s"
            )
    if "oracle" in methods:
        for m in ("quick", "gan"):
            if m in methods:
                ok = sum(np.mean([s[m] for s in it]) <= 1.5 * np.mean([s["oracle"] for s in it]) + 1.0 for it in per_family.values())
                lines.append(f"- {m}: within 1.5x the oracle + 1.0 in {ok}/{len(per_family)} families")
    lines += ["", "Looks:", ""] + [f"- {seed}: {desc}" for seed, _, _, desc in rows]
    report("\n".join(lines), f"look_protocol_{args.set}.md", args.write)


if __name__ == "__main__":
    main()
