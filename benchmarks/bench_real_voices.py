"""Real voices: learn real authors' voices from their own text, rewrite plain sentences in
them, and score the rewrites STRAP-style against three baselines.

Corpora: benchmarks/data/real_voices/ (see its DATA_CARD.md): six US presidents' State of
the Union sentences (English) and five classical Chinese authors or books (Chinese), made
by scripts/build_real_voices.py from two npm packages. Each voice is marked `tuning` (its
figures may guide changes to the engine) or `heldout` (reported only); the split was fixed
before any result was seen.

Per voice: posts split 70 / 30 (fixed shuffle): the engine learns from the 70 %, the judge
from the 30 %. Inputs: plain sentences of the voice's language from the engine's bundled
background corpus (given to neither). Per rewrite:
  ACC  the judge names this voice: a classifier over all voices of the language (char
       2-5-gram + word 1-2-gram TF-IDF, multinomial logistic regression, trained on every
       voice's held-out 30 %), as in authorship attribution; a plain sentence lands on some
       voice by chance (about 1 in 6 for English, 1 in 5 for Chinese);
  SIM  mean of chrF to the input and the share of the input's content words kept;
  FL   perplexity under a word-bigram LM (as in bench_open_voice.py) trained on background
       sentences plus every voice's held-out posts, at most the 95th percentile of the
       inputs' own: fluent means ordinary English (Chinese) or a voice's own, not broken;
  J    mean of ACC * SIM * FL.
Systems: COPY (the input), RULE (the input + the voice's most typical ending: its most
frequent last word-and-punctuation of the posts, when the input lacks it), RETRIEVAL (the
engine's training post nearest the input by chrF: a real post, in the voice, off-topic),
and stylekit's seq2seq engine (default `apply`, strength 1 and 1.5).

Run: `python benchmarks/bench_real_voices.py [--set tuning|heldout|all] [--test 100] [--write]`
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

from _common import machine, report
from bench_open_voice import BigramLM
from stylekit.engines import TrainConfig, TrainData
from stylekit_seq2seq import Seq2SeqEngine
from stylekit_seq2seq.corpus import load_background
from stylekit_seq2seq.scoring import chrf, content_kept
from stylekit_seq2seq.textops import tokenize

DATA = Path(__file__).parent / "data" / "real_voices"
ROLES = {
    "en_thomas_jefferson": "tuning", "en_ronald_reagan": "tuning", "en_george_washington": "heldout",
    "en_abraham_lincoln": "heldout", "en_franklin_d_roosevelt": "heldout", "en_barack_obama": "heldout",
    "zh_bai_juyi": "tuning", "zh_li_bai": "heldout", "zh_du_fu": "heldout", "zh_lunyu": "heldout",
    "zh_nalan_xingde": "heldout",
}


def typical_ending(posts: list[str]) -> str:
    """The voice's most frequent closing word plus punctuation (e.g. "God bless America.")."""
    endings = Counter()
    for p in posts:
        tokens = [t for t in tokenize(p) if t.kind != "space"]
        words = [i for i, t in enumerate(tokens) if t.kind == "word"]
        if words:
            endings["".join(t.space + t.text for t in tokens[words[-1]:]).strip()] += 1
    return endings.most_common(1)[0][0] if endings else ""


def rule(text: str, ending: str, lang: str) -> str:
    """Append the typical ending (its punctuation replacing the input's final mark)."""
    if not ending or text.endswith(ending):
        return text
    stripped = text.rstrip(".!?。！？…")
    return stripped + ("，" if lang == "zh" else ", ") + ending


def language_split(lang: str, n_test: int) -> dict:
    """Inputs, engine background, every voice's engine/judge posts, the judge and the LM."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    from bench_open_voice import _words

    background = load_background(lang)
    order = list(range(len(background)))
    random.Random(0).shuffle(order)
    d = {"test": [background[i] for i in order[:n_test]],
         "engine_bg": [background[i] for i in order[n_test + 2000:]], "engine_posts": {}}
    judge_texts, judge_labels = [], []
    for voice in ROLES:
        if voice[:2] != lang:
            continue
        posts = (DATA / f"{voice}.txt").read_text(encoding="utf-8").splitlines()
        shuffled = list(range(len(posts)))
        random.Random(1).shuffle(shuffled)
        cut = int(0.7 * len(posts))
        d["engine_posts"][voice] = [posts[i] for i in sorted(shuffled[:cut])]
        held = [posts[i] for i in sorted(shuffled[cut:])]
        judge_texts += held
        judge_labels += [voice] * len(held)
    features = make_union(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), lowercase=False, min_df=2),
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), lowercase=True, min_df=2,
                        **({"tokenizer": _words, "token_pattern": None} if lang == "zh" else {})),
    )
    d["clf"] = make_pipeline(features, LogisticRegression(max_iter=3000, class_weight="balanced"))
    d["clf"].fit(judge_texts, judge_labels)
    d["lm"] = BigramLM([background[i] for i in order[n_test: n_test + 2000]] + d["engine_bg"] + judge_texts)
    d["threshold"] = sorted(d["lm"].perplexity(s) for s in d["test"])[int(0.95 * (n_test - 1))]
    return d


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--set", choices=("tuning", "heldout", "all"), default="all")
    parser.add_argument("--test", type=int, default=100)
    parser.add_argument("--only", action="append")
    parser.add_argument("--steps", type=int, default=None)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    import torch

    torch.set_num_threads(1)
    names = args.only or [n for n, r in ROLES.items() if args.set in ("all", r)]
    langs: dict[str, dict] = {}
    rows, examples = [], []
    for name in names:
        lang = name[:2]
        if lang not in langs:
            langs[lang] = language_split(lang, args.test)
        d = langs[lang]
        engine_posts = d["engine_posts"][name]
        classes = list(d["clf"].classes_)
        ending = typical_ending(engine_posts)
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            Seq2SeqEngine().train(TrainData(posts=engine_posts, background=d["engine_bg"]), Path(tmp) / "s",
                                  TrainConfig(steps=args.steps, seed=0))
            seconds = time.perf_counter() - started
            style = Seq2SeqEngine().load(Path(tmp) / "s")
            default = [c[0] for c in style.apply_batch(d["test"], num=1, seed=0)]
            strong = [c[0] for c in style.apply_batch(d["test"], num=1, seed=0, strength=1.5)]
        retrieval = [max(engine_posts, key=lambda p: chrf(p, s)) for s in d["test"]]
        systems = {"COPY": d["test"], "RULE (typical ending)": [rule(s, ending, lang) for s in d["test"]],
                   "RETRIEVAL (nearest real post)": retrieval,
                   "stylekit": default, "stylekit, strength 1.5": strong}
        scores = {}
        for system, outs in systems.items():
            acc = [classes[k] == name for k in d["clf"].predict_proba(outs).argmax(axis=1)]
            sim = [0.5 * (chrf(o, s) + content_kept(o, s)) for o, s in zip(outs, d["test"])]
            fl = [d["lm"].perplexity(o) <= d["threshold"] for o in outs]
            n = len(outs)
            j = sum(a * s * f for a, s, f in zip(acc, sim, fl)) / n
            changed = sum(o != s for o, s in zip(outs, d["test"])) / n
            scores[system] = j
            rows.append((name, ROLES[name], system, sum(acc) / n, sum(sim) / n, sum(fl) / n, j, changed,
                         seconds if system.startswith("stylekit") else None))
        best_baseline = max(scores["COPY"], scores["RULE (typical ending)"], scores["RETRIEVAL (nearest real post)"])
        rows.append((name, ROLES[name], "stylekit / best baseline", None, None, None,
                     scores["stylekit"] / best_baseline if best_baseline else float("nan"), None, None))
        # The first three inputs stylekit changed (or the first two, when it changed none).
        changed_at = [i for i, (o, t) in enumerate(zip(default, d["test"])) if o != t][:3] or [0, 1]
        examples += [(name, d["test"][i], default[i]) for i in changed_at]
        print(name, "trained in", round(seconds), "s", flush=True)
        for row in rows[-len(systems) - 1:]:
            print("   ", row[2], *(f"{x:.3f}" for x in row[3:8] if x is not None), flush=True)
    write_table(rows, examples, args, names)


def write_table(rows, examples, args, names) -> None:
    lines = [
        "# Real voices (seq2seq text engine, real authors' text)",
        "",
        f"Date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC. Machine: {machine()}, 1 torch thread, CPU only. "
        f"{args.test} plain sentences of the voice's language as inputs; engine trained on 70 % of each voice's "
        "posts (default steps), judge on the other 30 %. Voices marked `heldout` were never looked at while "
        "changing the engine.",
        "",
        "| voice | set | system | ACC | SIM | FL | J | changed | train s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, role, system, acc, sim, fl, j, changed, seconds in rows:
        if acc is None:
            lines.append(f"| {name} | {role} | **{system}** | | | | **{j:.2f}×** | | |")
            continue
        lines.append(f"| {name} | {role} | {system} | {acc:.3f} | {sim:.3f} | {fl:.3f} | {j:.3f} | {changed:.2f} | "
                     f"{'' if seconds is None else f'{seconds:.0f}'} |")
    lines += ["", "Examples (input → stylekit; the first three inputs it changed):", ""]
    for name, src, out in examples:
        lines.append(f"- {name}: `{src}` → `{out}`")
    suffix = args.set if not args.only else "_".join(names)
    report("\n".join(lines), f"voice_real_{suffix}.md", args.write)


if __name__ == "__main__":
    main()
