"""Train the look prior shipped with the gan engine (plugins/stylekit_gan/data/prior/).

Deterministic for a seed: examples are drawn from the `prior` split of the ordinary-photo
reference (plugins/stylekit_gan/data/reference) and looks from `looksampler` seeds
reserved for training (never the protocol's tuning or held-out seeds). With the defaults
(the shipped prior): 8,000 examples (about 10 minutes on a quiet 2-core CPU) and 1,200
steps (about 10 minutes), one thread.

    python scripts/train_look_prior.py [--examples 8000] [--steps 1200] [--seed 1] [--cache DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "plugins")]


def main() -> None:
    import torch
    from safetensors.torch import load_file, save_file

    from stylekit_gan.prior import HIDDEN, PRIOR_DIR, save_prior
    from stylekit_gan.prior_training import PriorData, evaluate, fit_estimator, make_examples
    from stylekit_gan.reference import load_rgb, reference_paths

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--examples", type=int, default=8000)
    ap.add_argument("--only-examples", action="store_true", help="generate (and cache) the examples, then stop")
    ap.add_argument("--val", type=int, default=400)
    ap.add_argument("--steps", type=int, default=1200)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--hidden", type=int, default=HIDDEN)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--target-size", type=int, default=48, help="side of the scoring crops")
    ap.add_argument("--cache", type=Path, default=None, help="keep the generated examples here (safetensors) and reuse them")
    ap.add_argument("--out", type=Path, default=PRIOR_DIR / "look_prior.safetensors")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)

    paths = reference_paths("prior")
    if not paths:
        raise SystemExit("No reference photos; run scripts/build_reference_photos.py first.")
    photos = [load_rgb(p) for p in paths]
    print(f"{len(photos)} reference photos (prior split)", flush=True)

    def examples(n: int, seed: int, name: str) -> PriorData:
        cached = args.cache / f"{name}_{n}_{seed}_{args.target_size}.safetensors" if args.cache else None
        if cached is not None and cached.is_file():
            t = load_file(str(cached))
            return PriorData(*(t[k] for k in ("feed", "feed_mask", "content", "content_mask", "raw", "true")))
        t0 = time.perf_counter()
        data = make_examples(photos, n, seed=seed, target_size=args.target_size, progress=lambda d, tot: print(f"\r{name}: {d}/{tot} examples", end="", flush=True))
        print(f" ({time.perf_counter() - t0:.0f} s)", flush=True)
        if cached is not None:
            cached.parent.mkdir(parents=True, exist_ok=True)
            save_file({k: getattr(data, k).contiguous() for k in ("feed", "feed_mask", "content", "content_mask", "raw", "true")}, str(cached))
        return data

    train = examples(args.examples, args.seed, "train")
    val = examples(args.val, args.seed + 1, "val")
    if args.only_examples:
        return
    identity_de = float(evaluate(_Identity(), val))
    model, summary = fit_estimator(
        train,
        steps=args.steps,
        batch=args.batch,
        lr=args.lr,
        seed=args.seed,
        hidden=args.hidden,
        val=val,
        progress=lambda s, n, tr, v: print(f"step {s}/{n}: train {tr:.3f}  val {v:.3f} (identity {identity_de:.3f})", flush=True),
    )
    meta = {
        "n_features": int(train.feed.shape[-1]),
        "hidden": args.hidden,
        "examples": args.examples,
        "reference_photos": len(photos),
        "seed": args.seed,
        "val_cie76": summary["history"][-1]["val_de"],
        "val_cie76_identity": identity_de,
        "train_seconds": summary["seconds"],
    }
    save_prior(model, meta, args.out)
    (args.out.parent / "training.json").write_text(json.dumps({**meta, **summary}, indent=1) + "\n")
    print(f"wrote {args.out} (val CIE76 {meta['val_cie76']:.3f}, identity {identity_de:.3f})")


class _Identity:
    """An 'estimator' that always predicts the identity grade (the do-nothing baseline)."""

    def __call__(self, feed, feed_mask, content, content_mask):  # noqa: ANN001, D102
        import torch

        from stylekit_gan.model import N_PARAMS

        return torch.zeros(feed.shape[0], N_PARAMS)


if __name__ == "__main__":
    main()
