"""Full-sentence mode: fine-tune a pretrained seq2seq model the user has on disk.

With `--base-model DIR` (a local T5 or BART folder; nothing is downloaded) the voice is
learned as neutral -> post generation, with plain background sentences copied to
themselves so the pretrained model keeps its habit of preserving content. Probes showed
a generator trained from scratch does not learn to copy in CPU minutes, so this mode is
only offered on top of a pretrained checkpoint; the default mode is the edit tagger.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path
from typing import Any

from stylekit.engines import LoadedStyle, ProgressEvent, ProgressFn, TrainConfig, TrainData
from stylekit.errors import PackError, TrainingError

from .checkpoint import save_checkpoint, start_or_resume
from .corpus import training_corpora
from .generate import ENGINE_FILE, NEUTRALISER_FILE, SCORER_FILE
from .neutralise import Neutraliser
from .scoring import StyleScorer, content_similarity
from .textops import PROTECTED_KINDS, tokenize

BATCH_SIZE = 16
COPY_SHARE = 0.3
MAX_TOKENS = 96


def _load_base(base: Path) -> tuple[Any, Any]:
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    from .model import quiet_transformers

    quiet_transformers()
    if not (base / "config.json").is_file():
        raise TrainingError(f"--base-model '{base}' has no config.json; give a local T5 or BART model folder.")
    try:
        model = AutoModelForSeq2SeqLM.from_pretrained(base, local_files_only=True)
        tokenizer = AutoTokenizer.from_pretrained(base, local_files_only=True)
    except (OSError, ValueError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise TrainingError(f"Cannot open --base-model '{base}' as a seq2seq model ({first}).") from None
    return model, tokenizer


def finetune_generator(data: TrainData, out_dir: Path, config: TrainConfig,
                       progress: ProgressFn | None = None) -> dict[str, Any]:
    """Fine-tune `config.base_model` on neutral -> post pairs; write it into `out_dir`."""
    import torch
    from safetensors.torch import save_file

    from .train import run_fingerprint, learning_rate_at, resolve_device

    started = time.perf_counter()
    report = progress or (lambda event: None)
    posts, background = training_corpora(data)
    device = resolve_device(config.device)
    model, tokenizer = _load_base(Path(config.base_model))
    neutraliser = Neutraliser.fit(posts, background)
    rng = random.Random(config.seed)
    pairs = [(neutraliser.neutralise(p), p) for p in posts]
    pairs += [(b, b) for b in rng.sample(background, min(len(background), int(len(pairs) * COPY_SHARE)))]
    scorer = StyleScorer.fit(posts, background[:4000], seed=config.seed)
    steps = config.steps or 500
    fingerprint = run_fingerprint(posts, background, steps, {"base": str(config.base_model)}, config.seed)
    own_work_dir = config.work_dir is None
    work_dir = Path(config.work_dir) if config.work_dir else out_dir.with_name(out_dir.name + ".work")

    model.to(device).train()
    optimiser = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.01)
    start_step, losses = start_or_resume(work_dir, model, optimiser, fingerprint, config.resume, config.seed)
    for step in range(start_step, steps):
        pick = torch.randint(len(pairs), (BATCH_SIZE,),
                             generator=torch.Generator().manual_seed(config.seed * 1_000_003 + step))
        src = [pairs[i][0] for i in pick]
        tgt = [pairs[i][1] for i in pick]
        batch = tokenizer(src, text_target=tgt, padding=True, truncation=True, max_length=MAX_TOKENS,
                          return_tensors="pt")
        batch["labels"][batch["labels"] == tokenizer.pad_token_id] = -100
        for group in optimiser.param_groups:
            group["lr"] = learning_rate_at(step, steps, 1e-4)
        loss = model(**{k: v.to(device) for k, v in batch.items()}).loss
        optimiser.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimiser.step()
        losses.append(float(loss.detach()))
        if (step + 1) % 10 == 0 or step + 1 == steps:
            report(ProgressEvent(step + 1, steps, "train", {"loss": sum(losses[-10:]) / len(losses[-10:])}))
        if (step + 1) % 200 == 0 and step + 1 < steps:
            save_checkpoint(work_dir, model, optimiser, {"step": step + 1, "losses": losses,
                                                        "fingerprint": fingerprint})
    model.eval()
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)
    save_file(scorer.state(), str(out_dir / SCORER_FILE))
    (out_dir / NEUTRALISER_FILE).write_text(json.dumps(neutraliser.to_json(), ensure_ascii=False), encoding="utf-8")
    (out_dir / ENGINE_FILE).write_text(json.dumps({"engine": "seq2seq", "mode": "generator", "format": 1}),
                                       encoding="utf-8")
    metrics = {"engine": "seq2seq", "mode": "generator", "base_model": str(config.base_model),
               "steps": steps, "final_loss": round(sum(losses[-20:]) / max(1, len(losses[-20:])), 4),
               "train_seconds": round(time.perf_counter() - started, 1), "posts": len(posts),
               "pairs": len(pairs), "device": device, "seed": config.seed}
    (out_dir / "metrics.json").write_text(json.dumps(metrics, indent=1), encoding="utf-8")
    if own_work_dir:
        import shutil

        shutil.rmtree(work_dir, ignore_errors=True)
    return metrics


class GeneratorStyle(LoadedStyle):
    """A voice in full-sentence mode: generates candidates, keeps only faithful ones."""

    engine = "seq2seq"

    def __init__(self, model: Any, tokenizer: Any, scorer: StyleScorer, device: str):
        self.model = model
        self.tokenizer = tokenizer
        self.scorer = scorer
        self.device = device

    @classmethod
    def load(cls, style_dir: Path, device: str = "cpu") -> "GeneratorStyle":
        """Read a fine-tuned generator voice from `style_dir`."""
        from safetensors.torch import load_file
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

        from .model import quiet_transformers

        quiet_transformers()
        try:
            model = AutoModelForSeq2SeqLM.from_pretrained(style_dir, local_files_only=True)
            tokenizer = AutoTokenizer.from_pretrained(style_dir, local_files_only=True)
        except (OSError, ValueError):
            raise PackError(f"The text model in '{style_dir}' cannot be read; retrain or re-import it.") from None
        scorer = StyleScorer.from_state(load_file(str(style_dir / SCORER_FILE)))
        return cls(model.to(device).eval(), tokenizer, scorer, device)

    def apply(self, content: str, strength: float = 1.0, num: int = 1, seed: int | None = None,
              samples: int | None = None, **options: Any) -> list[str]:
        """Up to `num` rewrites of `content`, best first (strength 0: unchanged); `samples`
        sampled candidates (default max(4, 2 * num); 0 = greedy only) are re-ranked."""
        return self.apply_batch([content], strength=strength, num=num, seed=seed, samples=samples)[0]

    def apply_batch(self, texts: list[str], strength: float = 1.0, num: int = 1,
                    seed: int | None = None, samples: int | None = None) -> list[list[str]]:
        """`apply` for many texts. Candidates that drop a URL, mention, number or emoji of the
        input are discarded; strength weighs the style score against content similarity."""
        import torch

        if strength == 0:
            return [[t] for t in texts]
        n_samples = max(2 * num, 4) if samples is None else max(0, int(samples))
        enc = self.tokenizer(texts, padding=True, truncation=True, max_length=MAX_TOKENS * 2,
                             return_tensors="pt").to(self.device)
        with torch.inference_mode():
            greedy = self.model.generate(**enc, max_new_tokens=MAX_TOKENS * 2, do_sample=False)
            outs = [self.tokenizer.batch_decode(greedy, skip_special_tokens=True)]
            if n_samples:
                torch.manual_seed(0 if seed is None else int(seed))
                sampled = self.model.generate(**enc, max_new_tokens=MAX_TOKENS * 2, do_sample=True,
                                              top_p=0.9, num_return_sequences=n_samples)
                flat = self.tokenizer.batch_decode(sampled, skip_special_tokens=True)
                outs += [flat[j::n_samples] for j in range(n_samples)]
        results = []
        for row, text in enumerate(texts):
            keep = [t.text for t in tokenize(text) if t.kind in PROTECTED_KINDS]
            cands = [o[row].strip() for o in outs]
            cands = list(dict.fromkeys(c for c in cands if c and all(k in c for k in keep))) or [text]
            styles = self.scorer.score_many(cands)
            scores = [min(strength, 2.0) * s + content_similarity(c, text) for c, s in zip(cands, styles)]
            order = sorted(range(len(cands)), key=lambda i: (-scores[i], i))
            results.append([cands[i] for i in order[:num]])
        return results
