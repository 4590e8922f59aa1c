"""Caption layout and drawing time by caption length (best of 3) on a 1080x1080 photo:
words, one word without spaces, and Chinese with emoji. Layout (wrapping) is timed alone
and as the whole `caption` overlay (wrap, shrink-to-fit, render, composite). Prints a
Markdown table; `--write` saves it to results/caption_speed.md.

    python benchmarks/bench_caption.py [--write]
"""

from __future__ import annotations

import argparse
import os
from datetime import datetime, timezone

import numpy as np

from _common import best_ms, machine, report

LENGTHS = [100, 1000, 3000, 10000]
KINDS = {
    "words": lambda n: ("a sunny day at the beach " * (n // 25 + 1))[:n],
    "no spaces": lambda n: "x" * n,
    "Chinese + emoji": lambda n: ("周末开心🎉" * (n // 5 + 1))[:n],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    from stylekit_edits.overlays import caption
    from stylekit_edits.text import font_chain, wrap

    photo = np.full((1080, 1080, 3), 0.5, np.float32)
    chain = font_chain("")
    caption(photo, text="warm up 周末🎉")
    rows = []
    for kind, make in KINDS.items():
        for n in LENGTHS:
            text = make(n)
            layout = best_ms(lambda: wrap(text, 24, 950.0, chain)) / 1000
            whole = best_ms(lambda: caption(photo, text=text), repeats=2) / 1000
            rows.append(f"| {kind} | {n:,} | {layout * 1000:.1f} | {whole:.2f} |")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    table = "\n".join([
        "# Caption layout speed",
        "",
        f"{machine()}, load average {load:.1f} at start, {datetime.now(timezone.utc):%Y-%m-%d}.",
        "Layout: `wrap` at 24 px into 950 px. Whole overlay: `caption` on a 1080x1080 photo (text",
        "shrunk until it fits, rendered once, composited).",
        "",
        "| caption | characters | layout (ms) | whole overlay (s) |",
        "|---|---:|---:|---:|",
        *rows,
    ])
    report(table, "caption_speed.md", args.write)


if __name__ == "__main__":
    main()
