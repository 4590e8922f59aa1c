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

from stylekit.engines import ProgressFn, TrainConfig, TrainData
from stylekit.errors import TrainingError
from stylekit.packfiles import write_config
from stylekit.training import check_resume, resolve_device, run_fingerprint

from .corpus import training_corpora
from .files import ENGINE_FILE, FORMAT_VERSION, NEUTRALISER_FILE, SCORER_FILE
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
    from safetensors.torch import save_file

    from .train import final_loss, fit, run_folder

    started = time.perf_counter()
    posts, background = training_corpora(data)
    device = resolve_device(config.device)
    check_resume(run_folder(config, out_dir)[0], config.resume)
    model, tokenizer = _load_base(Path(config.base_model))
    neutraliser = Neutraliser.fit(posts, background)
    rng = random.Random(config.seed)
    pairs = [(neutraliser.neutralise(p), p) for p in posts]
    pairs += [(b, b) for b in rng.sample(background, min(len(background), int(len(pairs) * COPY_SHARE)))]
    scorer = StyleScorer.fit(posts, background[:4000], seed=config.seed)
    steps = config.steps or 500
    fingerprint = run_fingerprint(posts, background, steps, {"base": str(config.base_model)}, config.seed)
    work_dir, own_work_dir = run_folder(config, out_dir)
    model.to(device).train()

    def batch_loss(indices: list[int]) -> Any:
        batch = tokenizer([pairs[i][0] for i in indices], text_target=[pairs[i][1] for i in indices],
                          padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt")
        batch["labels"][batch["labels"] == tokenizer.pad_token_id] = -100
        return model(**{k: v.to(device) for k, v in batch.items()}).loss

    history = fit(model, batch_loss, len(pairs), BATCH_SIZE, steps, 1e-4, fingerprint, work_dir, config, progress)
    model.eval()
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)
    save_file(scorer.state(), str(out_dir / SCORER_FILE))
    (out_dir / NEUTRALISER_FILE).write_text(json.dumps(neutraliser.to_json(), ensure_ascii=False), encoding="utf-8")
    write_config(out_dir, "seq2seq", FORMAT_VERSION, name=ENGINE_FILE, mode="generator")
    metrics = {"engine": "seq2seq", "mode": "generator", "base_model": str(config.base_model),
               "steps": steps, "final_loss": final_loss(history),
               "train_seconds": round(time.perf_counter() - started, 1), "posts": len(posts),
               "pairs": len(pairs), "device": device, "seed": config.seed}
    (out_dir / "metrics.json").write_text(json.dumps(metrics, indent=1), encoding="utf-8")
    if own_work_dir:
        import shutil

        shutil.rmtree(work_dir, ignore_errors=True)
    return metrics
