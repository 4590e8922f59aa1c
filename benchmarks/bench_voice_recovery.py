"""Voice recovery: can the `seq2seq` engine learn voices whose ground truth we know?

Each voice is a deterministic function on plain text (markers, emoji, casing,
substitutions). The engine trains on the voiced versions of one set of plain sentences
(its only "posts"; the background is a disjoint part of the bundled corpus) and rewrites
held-out plain sentences; we report chrF (implemented in `stylekit_seq2seq.scoring`,
character 6-grams, beta 2) and exact match against the true voiced sentence, next to
COPY (input unchanged) and RULE (input + the three most salient post tokens appended).

Run: `python benchmarks/bench_voice_recovery.py [--posts 2000] [--steps N] [--threads 2]`
Writes benchmarks/results/voice_recovery.md.
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from _common import machine
from stylekit.engines import TrainConfig, TrainData
from stylekit_seq2seq import Seq2SeqEngine
from stylekit_seq2seq.corpus import load_background
from stylekit_seq2seq.neutralise import salience_scores
from stylekit_seq2seq.scoring import chrf



RESULTS = Path(__file__).resolve().parent / "results" / "voice_recovery.md"


def voice_hype(s: str) -> str:
    """Exclamations, a fire emoji and a hashtag; 'very' shouted."""
    s = re.sub(r"\bvery\b", "VERY", s)
    s = re.sub(r"[.?]$", "!!!", s)
    return f"{s} 🔥 #hype"


def voice_whisper(s: str) -> str:
    """All lower case, ellipses instead of full stops, a moon emoji."""
    s = s.lower()
    s = re.sub(r"\.(\s|$)", r"...\1", s)
    return f"{s} 🌙"


def voice_opener(s: str) -> str:
    """An opener, 'really' before the first verb-like word after I/we, sparkles at the end."""
    s = "Okay so " + s[:1].lower() + s[1:] if not s.startswith("I ") else "Okay so " + s
    s = re.sub(r"\b(I|We|we) (\w+)", r"\1 really \2", s, count=1)
    return re.sub(r"[.?!]$", "! ✨", s)


VOICES: dict[str, Callable[[str], str]] = {"hype": voice_hype, "whisper": voice_whisper, "opener": voice_opener}


def rule_baseline(posts: list[str], background: list[str]) -> Callable[[str], str]:
    """Append the three tokens most salient in the posts against the background."""
    scores = salience_scores(posts, background)
    top = [k for k, _ in sorted(scores.items(), key=lambda kv: -kv[1])[:3]]
    return lambda s: s + " " + " ".join(top)


def main() -> None:
    """Train one voice per ground-truth function and write the results table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--test", type=int, default=100)
    parser.add_argument("--steps", type=int, default=None)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    import torch

    torch.set_num_threads(args.threads)
    sentences = [s for s in load_background() if len(s) < 90]
    plain_posts = sentences[: args.posts]
    test = sentences[args.posts: args.posts + args.test]
    background = sentences[args.posts + args.test:]
    rows = []
    engine = Seq2SeqEngine()
    for name, voice in VOICES.items():
        posts = [voice(s) for s in plain_posts]
        truth = [voice(s) for s in test]
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            engine.train(TrainData(posts=posts, background=background), Path(tmp) / "style",
                         TrainConfig(steps=args.steps, seed=0))
            seconds = time.perf_counter() - started
            style = engine.load(Path(tmp) / "style")
            # greedy: the truth is deterministic, so the model's single best guess is scored
            outputs = [c[0] for c in style.apply_batch(test, seed=0, samples=0)]
        rule = rule_baseline(posts, background)
        systems = {"COPY": test, "RULE": [rule(s) for s in test], "seq2seq": outputs}
        for system, hyps in systems.items():
            score = 100 * sum(chrf(h, t) for h, t in zip(hyps, truth)) / len(truth)
            exact = sum(h == t for h, t in zip(hyps, truth)) / len(truth)
            rows.append((name, system, score, exact, seconds if system == "seq2seq" else None))
        print(name, "example:", test[0], "->", outputs[0], "| truth:", truth[0], flush=True)
    write_table(rows, args)


def write_table(rows: list[tuple], args: argparse.Namespace) -> None:
    """Markdown table with machine and date."""
    lines = [
        "# Voice recovery (seq2seq text engine)",
        "",
        f"Date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC. Machine: {machine()}, {args.threads} torch threads, CPU only.",
        f"Training posts: {args.posts} voiced sentences per voice; test: {args.test} held-out plain "
        f"sentences; steps: {args.steps or 'default'}. chrF: own implementation "
        "(`stylekit_seq2seq.scoring.chrf`, char 1-6-grams, beta 2), sentence mean, 0-100.",
        "",
        "| voice | system | chrF | exact | train s |",
        "|---|---|---|---|---|",
    ]
    for name, system, score, exact, seconds in rows:
        lines.append(f"| {name} | {system} | {score:.1f} | {exact:.2f} | {'' if seconds is None else f'{seconds:.0f}'} |")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
