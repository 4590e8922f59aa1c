"""Helpers shared by the benchmark scripts (run as `python benchmarks/NAME.py`)."""

from __future__ import annotations

import os
import platform
import time
from pathlib import Path


def machine() -> str:
    """CPU model and core count, e.g. 'x86_64 AMD EPYC (2 cores)'."""
    model = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.machine()} {model} ({os.cpu_count()} cores)"


def report(table: str, name: str, write: bool) -> None:
    """Print a results table; with `write`, also save it as results/NAME."""
    print(table)
    if write:
        out = Path(__file__).parent / "results" / name
        out.write_text(table + "\n", encoding="utf-8")
        print(f"wrote {out}")


def best_ms(fn, repeats: int = 3) -> float:
    """The fastest of `repeats` calls of `fn`, in milliseconds."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best * 1000
