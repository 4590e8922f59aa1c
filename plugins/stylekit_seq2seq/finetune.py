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

from stylekit.engines import ProgressEvent, ProgressFn, TrainConfig, TrainData
from stylekit.errors import TrainingError

from .checkpoint import save_checkpoint, start_or_resume
from .corpus import training_corpora
from .files import ENGINE_FILE, NEUTRALISER_FILE, SCORER_FILE, resolve_device
from .generator import MAX_TOKENS
from .neutralise import Neutraliser
from .scoring import StyleScorer

BATCH_SIZE = 16
COPY_SHARE = 0.3


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

    from .train import learning_rate_at, run_fingerprint

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
