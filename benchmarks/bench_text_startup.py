"""Whole-process CPU cost of one `stylekit text` call, with the voice's tagger in numpy (the
default on the CPU) and in torch (STYLEKIT_TAGGER=torch, the path before the numpy one).

Each row runs the command in a fresh process RUNS times and reads the child's user + system
CPU seconds from the kernel (os.wait4), so other work on a shared machine inflates wall time
but hardly the CPU seconds. Prints a Markdown table; `--write` saves it to results/.

    python benchmarks/bench_text_startup.py [--write] [--runs N]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from _common import machine, report

ENGLISH = "Had a nice day at the beach with my friends."
CHINESE = "今天和朋友去海边玩了，好开心"
CASES = [
    ("`stylekit --help` (start-up floor)", ["--help"], {}),
    ("`stylekit text \"...\" -i aurora`", ["text", ENGLISH, "-i", "aurora"], {}),
    ("`stylekit text \"...\" -i aurora` (torch tagger)", ["text", ENGLISH, "-i", "aurora"], {"STYLEKIT_TAGGER": "torch"}),
    ("`stylekit text \"<Chinese>\" -i xiaoman`", ["text", CHINESE, "-i", "xiaoman"], {}),
    ("`stylekit text \"<Chinese>\" -i xiaoman` (torch tagger)", ["text", CHINESE, "-i", "xiaoman"], {"STYLEKIT_TAGGER": "torch"}),
    ("`stylekit text \"\" -i aurora` (refused)", ["text", "", "-i", "aurora"], {}),
]
PROBE = (
    "import sys\nfrom stylekit_cli import main\nsys.argv = ['stylekit', *sys.argv[1:]]\n"
    "try:\n    main()\nexcept SystemExit:\n    pass\n"
    "print('HEAVY', *[m for m in ('torch', 'transformers') if m in sys.modules], file=sys.stderr)\n"
)


def cpu_seconds(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(user + system CPU seconds, wall seconds) of one run of `cmd` in a fresh process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(proc.pid, 0)
    return usage.ru_utime + usage.ru_stime, time.perf_counter() - start


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 7
    stylekit = str(Path(sys.executable).with_name("stylekit"))
    base = dict(os.environ, STYLEKIT_HOME=tempfile.mkdtemp())
    base.pop("STYLEKIT_TAGGER", None)
    load_before = load()
    rows = []
    for label, args, extra in CASES:
        env = {**base, **extra}
        cpu, wall = zip(*(cpu_seconds([stylekit, *args], env) for _ in range(runs)))
        probe = subprocess.run([sys.executable, "-c", PROBE, *args], env=env, capture_output=True, text=True)
        heavy = probe.stderr.split("HEAVY", 1)[-1].split()
        rows.append(f"| {label} | {min(cpu):.2f} | {statistics.median(cpu):.2f} | {statistics.median(wall):.2f} | "
                    f"{', '.join(heavy) or 'none'} |")
    table = "\n".join([
        f"One `stylekit text` call in a fresh process: CPU seconds (user + system) of the whole process, "
        f"{runs} runs each ({machine()}, Python {sys.version.split()[0]}, {date.today()}; "
        f"load average {load_before} before, {load()} after: a shared machine, so wall seconds vary with "
        "the load, CPU seconds much less). Target: <= 1 CPU-second.",
        "",
        "| command | min CPU s | median CPU s | median wall s | imports |",
        "|---|---|---|---|---|",
        *rows,
    ])
    report(table, "text_startup.md", "--write" in sys.argv)


if __name__ == "__main__":
    main()
