"""Speed of the seq2seq text engine: default training on 2,000 posts, then rewriting.

Measures (CPU, `--threads` torch threads): wall time of a default training run on the
2,000 bundled aurora posts; latency of one sentence greedy (`samples=0`), with the default
greedy + 4 sampled candidates re-ranked, and with num=4, median of `--repeats` after
warm-up; throughput of greedy `apply_batch` on 64 sentences. Targets: training <= 3 min, greedy <= 5 ms, re-ranked <= 20 ms (also for one Chinese sentence on the bundled xiaoman voice).

Run: `python benchmarks/bench_text_speed.py [--threads 2]`
Writes benchmarks/results/text_speed.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from _common import machine
from stylekit.engines import TrainConfig, TrainData
from stylekit_seq2seq import Seq2SeqEngine
from stylekit_seq2seq.corpus import load_background, load_demo_posts



RESULTS = Path(__file__).resolve().parent / "results" / "text_speed.md"
SENTENCE = "I went to the market and bought fresh bread."
SENTENCE_ZH = "今天和朋友去海边玩了，好开心"


def _median_ms(fn, repeats: int) -> float:
    for _ in range(3):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(1000 * (time.perf_counter() - start))
    return statistics.median(times)


def main() -> None:
    """Train once, time the rewrites, write the table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=50)
    args = parser.parse_args()
    import torch

    torch.set_num_threads(args.threads)
    posts = load_demo_posts("aurora")[:2000]
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        metrics = Seq2SeqEngine().train(TrainData(posts=posts), Path(tmp) / "s", TrainConfig(seed=0))
        train_s = time.perf_counter() - started
        load_start = time.perf_counter()
        style = Seq2SeqEngine().load(Path(tmp) / "s")
        load_s = time.perf_counter() - load_start
        greedy = _median_ms(lambda: style.apply(SENTENCE, num=1, seed=0, samples=0), args.repeats)
        default = _median_ms(lambda: style.apply(SENTENCE, num=1, seed=0), args.repeats)
        four = _median_ms(lambda: style.apply(SENTENCE, num=4, seed=0), args.repeats)
        batch = load_background()[:64]
        batch_ms = _median_ms(lambda: style.apply_batch(batch, num=1, seed=0, samples=0), 5)
    from stylekit_demo import PACKS_DIR

    zh = Seq2SeqEngine().load(PACKS_DIR / "xiaoman" / "text")
    zh_greedy = _median_ms(lambda: zh.apply(SENTENCE_ZH, num=1, seed=0, samples=0), args.repeats)
    zh_default = _median_ms(lambda: zh.apply(SENTENCE_ZH, num=1, seed=0), args.repeats)
    load_avg = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [
        "# Text engine speed (seq2seq)",
        "",
        f"Date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC. Machine: {machine()}, {args.threads} torch threads, CPU only, "
        f"1-min load average at the end: {load_avg:.1f}.",
        "",
        "| measurement | value | target |",
        "|---|---|---|",
        f"| default training, 2,000 posts ({metrics['steps']} steps, model {metrics['size']['d_model']}d "
        f"x {metrics['size']['num_layers']} layers) | {train_s:.0f} s | <= 180 s |",
        f"| load style | {1000 * load_s:.0f} ms | |",
        f"| one sentence, greedy (`samples=0`), median of {args.repeats} | {greedy:.1f} ms | <= 5 ms |",
        f"| one sentence, default `apply` (greedy + 16 samples re-ranked), median of {args.repeats} | {default:.1f} ms | <= 20 ms |",
        f"| one sentence, num=4 (greedy + 16 samples re-ranked), median of {args.repeats} | {four:.1f} ms | |",
        f"| apply_batch, 64 sentences, greedy | {batch_ms:.0f} ms ({batch_ms / 64:.1f} ms/sentence) | |",
        f"| one Chinese sentence (bundled xiaoman), greedy, median of {args.repeats} | {zh_greedy:.1f} ms | <= 5 ms |",
        f"| one Chinese sentence (bundled xiaoman), default `apply`, median of {args.repeats} | {zh_default:.1f} ms | <= 20 ms |",
    ]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
