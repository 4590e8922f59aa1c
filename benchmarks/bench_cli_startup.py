"""How long `stylekit --help`, `stylekit plugins` and `stylekit styles list` take, and
whether they import torch. Prints a Markdown table; `--write` saves it to results/.

    python benchmarks/bench_cli_startup.py [--write]
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from _common import report

COMMANDS = [["--help"], ["plugins"], ["styles", "list"], ["engines"]]
RUNS = 7
PROBE = (
    "import sys, runpy; sys.argv = ['stylekit', *sys.argv[1:]]\n"
    "from stylekit_cli import main\n"
    "try:\n    main()\nexcept SystemExit:\n    pass\n"
    "print('TORCH' if 'torch' in sys.modules else 'NOTORCH', file=sys.stderr)\n"
)


def main() -> None:
    stylekit = Path(sys.executable).with_name("stylekit")
    env = dict(os.environ, STYLEKIT_HOME=tempfile.mkdtemp())
    rows = []
    for args in COMMANDS:
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            subprocess.run([stylekit, *args], env=env, capture_output=True, check=True)
            times.append(time.perf_counter() - start)
        probe = subprocess.run([sys.executable, "-c", PROBE, *args], env=env, capture_output=True, text=True)
        torch = "yes" if "TORCH" in probe.stderr.split() else "no"
        rows.append(f"| `stylekit {' '.join(args)}` | {statistics.median(times) * 1000:.0f} | {min(times) * 1000:.0f} | {torch} |")
    table = "\n".join(
        [
            f"CLI start-up, {RUNS} runs each, wall clock of the whole process "
            f"({platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {date.today()}).",
            "",
            "| command | median ms | min ms | imports torch |",
            "|---|---|---|---|",
            *rows,
        ]
    )
    report(table, "cli_startup.md", "--write" in sys.argv)


if __name__ == "__main__":
    main()
