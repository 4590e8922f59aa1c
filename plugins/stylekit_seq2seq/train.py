"""Training a voice: tokenizer, neutraliser, pseudo-parallel pairs, tagger, scorer, metrics."""

from __future__ import annotations

import json
import random
import re
import shutil
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from stylekit.engines import ProgressEvent, ProgressFn, TrainConfig, TrainData
from stylekit.errors import TrainingError
from stylekit.packfiles import write_config
from stylekit.training import TrainingLoop, check_resume, finite, one_thread_on_cpu, resolve_device, run_fingerprint, set_learning_rate, warmup_cosine

from .corpus import posts_language, training_corpora
from .edits import KEEP, LOWER, TITLE, UPPER, EditScript, EditVocabulary, align
from .files import EDITS_FILE, ENGINE_FILE, FORMAT_VERSION, NEUTRALISER_FILE, SCORER_FILE
from .generate import VoiceStyle
from .model import DEFAULT_SIZE, MAX_PIECES, TINY_SIZE, EncodedSource, build_tagger, encode_source, pad_batch, save_tagger
from .neutralise import Neutraliser
from .scoring import StyleScorer, chrf, content_kept
from .spm_tokenizer import save_hf_tokenizer_files, train_spm
from .textops import CONTENT_STOPWORDS, HAN_RE, WORD_RE, Token, is_chinese, needs_space, tokenize

BATCH_SIZE = 32
LEARNING_RATE = 2e-3
CHECKPOINT_EVERY = 200
SWAP_PROB = 0.25  # share of plain words replaced by background words in augmented copies
# A voice is learned from at most this many posts, spread evenly through what was given:
# preparing the pairs and the scorer is linear in the posts, and a bigger file would spend
# its time there without a progress bar the user can act on.
MAX_POSTS = 10_000
REPORT_EVERY = 250  # posts between progress events while neutralising


@dataclass
class Example:
    """One training pair as model inputs: pieces, token positions and tag class indices."""

    source: EncodedSource
    transforms: list[int]
    inserts: list[int]


def spread_sample(items: list[str], count: int) -> list[str]:
    """`count` of `items` taken at even intervals (first and order kept)."""
    if len(items) <= count:
        return list(items)
    return [items[i * len(items) // count] for i in range(count)]


def default_steps(n_examples: int) -> int:
    """Steps for a default run: about 12 passes over the pairs, between 400 and 2000."""
    return int(min(2000, max(400, 12 * n_examples // BATCH_SIZE)))


def _swap_words(tokens: list[Token], script: EditScript, words: list[str], rng: random.Random) -> list[Token]:
    """Copy of `tokens` with some plain words swapped for background words (tags unchanged).

    The tags of a kept or re-cased word do not depend on which word it is; swapping teaches
    the tagger exactly that, over the background's vocabulary that the posts never use.
    """
    out = []
    for tok, tag in zip(tokens, script.transforms):
        if (tok.kind == "word" and tag in (KEEP, LOWER, TITLE, UPPER)
                and tok.text.lower() not in CONTENT_STOPWORDS and rng.random() < SWAP_PROB):
            new = rng.choice(words)
            if is_chinese(new) != is_chinese(tok.text):
                out.append(tok)  # a word is swapped for one of its own script only
                continue
            new = new[:1].upper() + new[1:] if tok.text[:1].isupper() else new
            tok = Token(new, tok.space, tok.kind)
        out.append(tok)
    return out


def _example(tokens: list[Token], script: EditScript, vocab: EditVocabulary, sp: Any) -> Example | None:
    source = encode_source(tokens, sp)
    if len(source.positions) < len(tokens):
        return None  # too long for the window: its tail would be unlabelled
    t_ids, i_ids = vocab.encode(script)
    return Example(source, t_ids, i_ids)


def swap_vocabulary(background: list[str], langs: tuple[str, ...], top: int = 20000) -> list[str]:
    """Plain words to swap into training copies: the background's, plus the `top` most
    frequent words of each language in `langs` by wordfreq (everyday text at large)."""
    from wordfreq import top_n_list

    words = {t.text.lower() for s in background for t in tokenize(s) if t.kind == "word"}
    for lang in langs:
        words.update(w for w in top_n_list(lang, top) if re.fullmatch(WORD_RE if lang == "en" else HAN_RE, w))
    return sorted(w for w in words if w not in CONTENT_STOPWORDS and (len(w) > 2 or is_chinese(w)))


def build_examples(pairs: list[tuple[list[Token], EditScript]], vocab: EditVocabulary, sp: Any,
                   background: list[str], seed: int, langs: tuple[str, ...] = ("en",)) -> list[Example]:
    """Each pair once as is and once with plain words swapped in (see `swap_vocabulary`)."""
    rng = random.Random(seed)
    words = swap_vocabulary(background, langs)
    examples = []
    for tokens, script in pairs:
        for variant in (tokens, _swap_words(tokens, script, words, rng)):
            ex = _example(variant, script, vocab, sp)
            if ex is not None:
                examples.append(ex)
    return examples


def _batch_tensors(examples: list[Example]) -> tuple[Any, ...]:
    import torch

    ids, mask, from_start, from_end = pad_batch([e.source for e in examples])
    t_labels = torch.full(ids.shape, -100, dtype=torch.long)
    i_labels = torch.full(ids.shape, -100, dtype=torch.long)
    for row, ex in enumerate(examples):
        pos = torch.tensor(ex.source.positions, dtype=torch.long)
        t_labels[row, pos] = torch.tensor(ex.transforms, dtype=torch.long)
        i_labels[row, 0] = ex.inserts[0]
        i_labels[row, pos] = torch.tensor(ex.inserts[1:], dtype=torch.long)
    return ids, mask, from_start, from_end, t_labels, i_labels


def run_folder(config: TrainConfig, out_dir: Path) -> tuple[Path, bool]:
    """(folder for checkpoints, whether this run owns it): the caller's `work_dir`, or a
    `.work` folder beside `out_dir` that is removed once the voice is written."""
    if config.work_dir is not None:
        return Path(config.work_dir), False
    return out_dir.with_name(out_dir.name + ".work"), True


def fit(model: Any, batch_loss: Callable[[list[int]], Any], n_items: int, batch_size: int, steps: int,
        peak_lr: float, fingerprint: str, work_dir: Path, config: TrainConfig,
        progress: ProgressFn | None) -> list[dict[str, float]]:
    """The optimisation both modes share, on the core `TrainingLoop`: AdamW with warm-up and
    cosine decay, clipped gradients, checkpoints every `checkpoint_every` steps (option,
    default 200), resume, NaN skip/rollback, Ctrl-C saves. `batch_loss(indices)` returns
    the loss of those training items. Returns the per-step history."""
    import torch

    optimiser = torch.optim.AdamW(model.parameters(), lr=peak_lr, weight_decay=0.01)
    loop = TrainingLoop(
        total=steps, fingerprint=fingerprint, modules={"model": model}, optimisers={"optimiser": optimiser},
        work_dir=work_dir, checkpoint_every=int(config.options.get("checkpoint_every", CHECKPOINT_EVERY)),
        report_every=10, progress=progress,
        rollback_from_disk=True,  # a --base-model can be large: no second copy held in memory
    )
    torch.manual_seed(config.seed)
    loop.start(config.resume)

    def step(i: int) -> dict[str, float] | None:
        # Batches come from a generator seeded by the step (and by the steps skipped so
        # far, so a retried step sees another batch): a resumed run sees exactly the
        # batches the uninterrupted run would have seen.
        seed = config.seed * 1_000_003 + i + 7_919 * loop.skipped
        pick = torch.randint(n_items, (batch_size,), generator=torch.Generator().manual_seed(seed))
        set_learning_rate(optimiser, warmup_cosine(i, steps, peak_lr))
        loss = batch_loss([int(j) for j in pick])
        if not finite(loss):
            return None
        optimiser.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimiser.step()
        return {"loss": float(loss.detach())}

    return loop.run(step)


def final_loss(history: list[dict[str, float]]) -> float:
    """Mean loss of the last 20 steps."""
    tail = [h["loss"] for h in history[-20:]]
    return round(sum(tail) / max(1, len(tail)), 4)


def train_voice(data: TrainData, out_dir: Path, config: TrainConfig,
                progress: ProgressFn | None = None) -> dict[str, Any]:
    """Learn a voice from `data.posts` and write it into `out_dir`; return the metrics."""
    with one_thread_on_cpu(config.device):  # a tiny tagger: small tensors
        return _train_voice(data, out_dir, config, progress)


def _train_voice(data: TrainData, out_dir: Path, config: TrainConfig, progress: ProgressFn | None) -> dict[str, Any]:
    import torch

    started = time.perf_counter()
    report = progress or (lambda event: None)
    posts, background = training_corpora(data)
    if len(posts) > MAX_POSTS:
        warnings.warn(f"{len(posts):,} posts given; the voice is learned from {MAX_POSTS:,} of them, "
                      "taken evenly through the file", stacklevel=2)
        posts = spread_sample(posts, MAX_POSTS)
    size = TINY_SIZE if config.options.get("size") == "tiny" else DEFAULT_SIZE  # "tiny": tests
    device = resolve_device(config.device)
    out_dir = Path(out_dir)
    check_resume(run_folder(config, out_dir)[0], config.resume)
    out_dir.mkdir(parents=True, exist_ok=True)

    rng = random.Random(config.seed)
    held_posts = set(rng.sample(range(len(posts)), min(100, len(posts) // 10)))
    train_posts = [p for i, p in enumerate(posts) if i not in held_posts]
    test_posts = [posts[i] for i in sorted(held_posts)]
    shuffled_bg = background[:]
    rng.shuffle(shuffled_bg)
    test_bg, train_bg = shuffled_bg[:100], shuffled_bg[100:]

    report(ProgressEvent(0, 4, "prepare", {}))
    sp = train_spm(train_posts, train_bg, out_dir)
    save_hf_tokenizer_files(out_dir, MAX_PIECES)
    neutraliser = Neutraliser.fit(train_posts, train_bg)
    report(ProgressEvent(1, 4, "prepare", {}))
    pairs = []
    for number, post in enumerate(train_posts, 1):
        neutral = neutraliser.neutralise(post)
        source = tokenize(neutral)
        if source:
            pairs.append((source, align(source, tokenize(post), neutraliser.swaps)))
        if number % REPORT_EVERY == 0 or number == len(train_posts):
            report(ProgressEvent(number, len(train_posts), "neutralising posts", {}))
    vocab = EditVocabulary.build(pairs)
    lang = posts_language(train_posts)
    examples = build_examples(pairs, vocab, sp, train_bg, config.seed,
                              ("en", "zh") if lang == "mixed" else (lang,))
    if not examples:
        raise TrainingError("No post could be turned into a training pair; give ordinary one-line posts.")
    report(ProgressEvent(2, 4, "prepare", {}))
    scorer = StyleScorer.fit(train_posts, train_bg[:4000], seed=config.seed,
                             progress=lambda done, total: report(ProgressEvent(done, total, "learning the scorer", {})))
    report(ProgressEvent(3, 4, "prepare", {}))

    steps = config.steps or default_steps(len(examples))
    fingerprint = run_fingerprint(posts, background, steps, size, config.seed)
    work_dir, own_work_dir = run_folder(config, out_dir)

    tagger = build_tagger(sp.get_piece_size(), len(vocab.transforms), len(vocab.inserts), size, config.seed)
    tagger.to(device).train()
    report(ProgressEvent(4, 4, "prepare", {}))

    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=-100)

    def batch_loss(indices: list[int]) -> Any:
        ids, mask, from_start, from_end, t_labels, i_labels = (
            x.to(device) for x in _batch_tensors([examples[i] for i in indices]))
        t_logits, i_logits = tagger(ids, mask, from_start, from_end)
        return loss_fn(t_logits.flatten(0, 1), t_labels.flatten()) + loss_fn(i_logits.flatten(0, 1), i_labels.flatten())

    history = fit(tagger, batch_loss, len(examples), BATCH_SIZE, steps, LEARNING_RATE, fingerprint, work_dir,
                  config, progress)

    tagger.eval()
    save_tagger(tagger, out_dir)
    (out_dir / EDITS_FILE).write_text(json.dumps(vocab.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")
    (out_dir / NEUTRALISER_FILE).write_text(json.dumps(neutraliser.to_json(), ensure_ascii=False, indent=1),
                                            encoding="utf-8")
    from safetensors.torch import save_file

    save_file(scorer.state(), str(out_dir / SCORER_FILE))
    write_config(out_dir, "seq2seq", FORMAT_VERSION, name=ENGINE_FILE, mode="tagger")
    train_seconds = time.perf_counter() - started
    metrics = evaluate(VoiceStyle.load(out_dir, device), neutraliser, test_posts, test_bg)
    metrics.update({
        "engine": "seq2seq", "mode": "tagger", "steps": steps, "final_loss": final_loss(history),
        "train_seconds": round(train_seconds, 1), "posts": len(posts), "background": len(background),
        "pairs": len(pairs), "examples": len(examples), "transform_tags": len(vocab.transforms),
        "insert_tags": len(vocab.inserts), "markers": neutraliser.marker_strings()[:30],
        "vocab_size": sp.get_piece_size(), "size": size, "device": device, "seed": config.seed,
        "report": {"voice": voice_summary(neutraliser)},
    })
    (out_dir / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=1), encoding="utf-8")
    if own_work_dir:
        shutil.rmtree(work_dir, ignore_errors=True)
    return metrics


def voice_summary(neutraliser: Neutraliser, limit: int = 8) -> list[str]:
    """What the voice was found to do, in words (printed after training): its markers, the
    sentence openers it favours, its word choice."""
    from .neutralise import STARTER

    def listed(items: list[str]) -> str:
        return ", ".join(items[:limit]) + (f" and {len(items) - limit} more" if len(items) > limit else "")

    def shown(gram: tuple[str, ...]) -> str:
        text = gram[0]
        for key in gram[1:]:
            text += (" " if key[:1].isalnum() and needs_space(text, key) else "") + key
        return f'"{text}"'

    grams = sorted(neutraliser.markers, key=lambda g: (-len(g), g))
    starters = [shown(g) for g in sorted(grams) if neutraliser.markers[g] == STARTER]
    markers = [shown(g) for g in grams if neutraliser.markers[g] != STARTER]
    lines = []
    if markers:
        lines.append("markers: " + listed(markers))
    if starters:
        lines.append("opens sentences with: " + listed(starters))
    if neutraliser.swaps:
        lines.append("word choice: " + listed([f'"{voiced}" for "{plain}"' for voiced, plain in sorted(neutraliser.swaps.items())]))
    return lines


def evaluate(style: VoiceStyle, neutraliser: Neutraliser, test_posts: list[str], test_bg: list[str]) -> dict:
    """Held-out reconstruction of posts from their neutral form, and copying of plain text
    (greedy rewrites).

    `reconstruction_chrf` vs `neutral_chrf`: how much closer to the real post the rewrite of
    its neutral version is than the neutral version itself. `background_content_kept` and
    `background_chrf`: how much of plain everyday sentences survives the voice (copying).
    """
    neutral = [neutraliser.neutralise(p) for p in test_posts]
    rewritten = [c[0] for c in style.apply_batch(neutral, seed=0, samples=0)] if neutral else []
    plain_out = [c[0] for c in style.apply_batch(test_bg, seed=0, samples=0)] if test_bg else []
    n, m = max(len(test_posts), 1), max(len(test_bg), 1)
    return {
        "reconstruction_chrf": round(100 * sum(chrf(r, p) for r, p in zip(rewritten, test_posts)) / n, 2),
        "neutral_chrf": round(100 * sum(chrf(x, p) for x, p in zip(neutral, test_posts)) / n, 2),
        "background_chrf": round(100 * sum(chrf(o, b) for o, b in zip(plain_out, test_bg)) / m, 2),
        "background_content_kept": round(sum(content_kept(o, b) for o, b in zip(plain_out, test_bg)) / m, 4),
        "background_style_before": round(sum(style.scorer.score_many(test_bg)) / m, 4),
        "background_style_after": round(sum(style.scorer.score_many(plain_out)) / m, 4),
        "examples_plain": test_bg[:3], "examples_voiced": plain_out[:3],
    }
