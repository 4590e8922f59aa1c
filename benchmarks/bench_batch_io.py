"""A batch with bad files among good photos: time and peak memory of `stylekit image` over a
folder holding a truncated JPEG, a text file named .jpg and a 30000x30000 PNG header, plus
the classic engine's apply time at 1024x1024 and 3840x2160. Prints a Markdown table;
`--write` saves it to results/batch_io.md.

    python benchmarks/bench_batch_io.py [--write]
"""

from __future__ import annotations

import os
import platform
import struct
import subprocess
import sys
import tempfile
import zlib
from datetime import date
from pathlib import Path

from _common import report

ROOT = Path(__file__).resolve().parents[1]
CHILD = """
import resource, sys, time
from stylekit_cli import main
sys.argv = ['stylekit', *sys.argv[1:]]
start = time.perf_counter()
try:
    main()
except SystemExit as exc:
    code = exc.code
print(f"RESULT {time.perf_counter() - start:.3f} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} {code}", file=sys.stderr)
"""
APPLY = """
import resource, sys, time
import numpy as np
import stylekit
from stylekit.api import apply_image_style
w, h = int(sys.argv[1]), int(sys.argv[2])
rgb = np.random.default_rng(0).random((h, w, 3), dtype=np.float32)
style = stylekit.load_style(sys.argv[3], "image")
apply_image_style(style, rgb[:64, :64])
times = []
for _ in range(3):
    t = time.perf_counter(); apply_image_style(style, rgb); times.append(time.perf_counter() - t)
print(f"RESULT {min(times):.3f} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}", file=sys.stderr)
"""


def png_header(path: Path, width: int, height: int) -> None:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 16)) + chunk(b"IEND", b""))


def child(code: str, *args: str, env: dict) -> list[str]:
    done = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True)
    line = next(l for l in done.stderr.splitlines() if l.startswith("RESULT"))
    return line.split()[1:]


def main() -> None:
    env = dict(os.environ, STYLEKIT_HOME=tempfile.mkdtemp(), OMP_NUM_THREADS="2")
    work = Path(tempfile.mkdtemp())
    folder = work / "in"
    folder.mkdir()
    for photo in sorted((ROOT / "examples" / "photos").glob("*.jpg")):
        (folder / photo.name).write_bytes(photo.read_bytes())
    data = (folder / "coffee.jpg").read_bytes()
    (folder / "truncated.jpg").write_bytes(data[: len(data) // 2])
    (folder / "notes.jpg").write_text("not an image")
    png_header(folder / "huge.png", 30000, 30000)
    seconds, peak, code = child(CHILD, "image", str(folder), "-i", "sunset", "--out-dir", str(work / "out"), env=env)
    rows = [f"| folder: 4 good photos + truncated JPEG + text as .jpg + 30000x30000 PNG header | {seconds} s | {peak} MB | exit {code}, {len(list((work / 'out').iterdir()))} written |"]
    for w, h in ((1024, 1024), (3840, 2160)):
        seconds, peak = child(APPLY, str(w), str(h), "sunset", env=env)
        rows.append(f"| classic `.cube` look (sunset), apply {w}x{h} | {float(seconds) * 1000:.0f} ms | {peak} MB | best of 3 |")
    table = "\n".join([
        f"Batch robustness and classic-engine speed ({platform.machine()}, {os.cpu_count()} cores, 2 threads, "
        f"Python {platform.python_version()}, {date.today()}; peak = max RSS of the whole process).",
        "", "| case | time | peak memory | notes |", "|---|---|---|---|", *rows,
    ])
    report(table, "batch_io.md", "--write" in sys.argv)


if __name__ == "__main__":
    main()
