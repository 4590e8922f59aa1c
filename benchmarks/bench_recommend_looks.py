"""Recommend by look: do photos in an influencer's look rank that influencer first?

Held-out looks of the protocol (`looksampler.HELDOUT_SEEDS`, never tuned on) are taken
five at a time. For each look an influencer is trained by the gan engine from 14
protocol-split reference photos styled with it (`--mode quick`: the look prior alone;
`--mode default`: the full training). Then, for each look, 8 *other* protocol photos
styled with it are given to `stylekit recommend --photos`, which ranks every installed
influencer (the group's five plus the bundled demo influencers). Reported: how often
the influencer of the photos' own look ranks first, and its mean rank.

    python benchmarks/bench_recommend_looks.py [--groups 6] [--mode quick|default] [--write]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "plugins"), str(ROOT / "benchmarks")]

from _common import machine, report  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--groups", type=int, default=6)
    ap.add_argument("--mode", choices=("quick", "default"), default="quick")
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()

    home = tempfile.mkdtemp(prefix="stylekit-rec-")
    os.environ["STYLEKIT_HOME"] = home
    from PIL import Image

    import stylekit
    from stylekit_gan.looksampler import HELDOUT_SEEDS, sample_look
    from stylekit_gan.reference import load_rgb, reference_sources

    sources = reference_sources("protocol")
    ids = sorted(sources)
    work = Path(home) / "photos"

    def write(folder: Path, imgs: list[np.ndarray]) -> Path:
        folder.mkdir(parents=True)
        for i, im in enumerate(imgs):
            Image.fromarray(np.rint(np.clip(im, 0, 1) * 255).astype(np.uint8)).save(folder / f"{i:02d}.png")
        return folder

    seeds = list(HELDOUT_SEEDS)[: 5 * args.groups]
    hits, ranks, rows = 0, [], []
    for g in range(args.groups):
        group = seeds[5 * g : 5 * g + 5]
        rng = np.random.default_rng([g, 3])
        order = [ids[i] for i in rng.permutation(len(ids))]
        names = {}
        for k, seed in enumerate(group):
            look = sample_look(seed)
            feed_ids = order[k * 4 : k * 4 + 14] if len(order) >= 34 else order[:14]
            feed = [look(load_rgb(sources[s][0])) for s in feed_ids]
            name = f"look{seed}"
            options = {"quick": True} if args.mode == "quick" else {}
            stylekit.train("image", name, photos=write(work / name / "feed", feed), options=options, overwrite=True)
            names[seed] = name
        user_ids = order[-8:]  # never in any feed of this group
        for seed in group:
            look = sample_look(seed)
            user = write(work / f"user{seed}", [look(load_rgb(sources[s][0])) for s in user_ids])
            ranking = [m.name for m in stylekit.recommend(photos=str(user)).matches]
            rank = ranking.index(names[seed]) + 1
            hits += rank == 1
            ranks.append(rank)
            rows.append((seed, sample_look(seed).family, rank, ranking[0]))
            print(f"{seed} {sample_look(seed).family:<6} rank {rank} (first: {ranking[0]})", flush=True)
        for name in names.values():  # the next group competes with the bundled influencers only
            stylekit.remove_pack(name)

    n = len(ranks)
    lines = [
        "# Recommend by look: held-out looks",
        "",
        f"Machine: {machine()}. {args.groups} groups of 5 held-out looks; influencers trained with `--mode {args.mode}` "
        "from 14 styled protocol photos each; 8 other protocol photos in each look ranked against every installed "
        f"influencer ({5} of the group plus the bundled ones).",
        "",
        f"- ranked first: **{hits}/{n} ({100 * hits / n:.0f} %)**; mean rank {np.mean(ranks):.2f}",
        "",
        "| look | family | rank | ranked first |",
        "|---|---|---|---|",
    ] + [f"| {s} | {f} | {r} | {first} |" for s, f, r, first in rows]
    report("\n".join(lines), f"recommend_looks_{args.mode}.md", args.write)


if __name__ == "__main__":
    main()
