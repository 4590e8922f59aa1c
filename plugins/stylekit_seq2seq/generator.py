"""Full-sentence mode, applying: a fine-tuned seq2seq generator voice (see `finetune`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from stylekit.engines import LoadedStyle
from stylekit.errors import PackError

from .files import SCORER_FILE
from .scoring import StyleScorer, content_similarity, style_gain, style_weight
from .textops import PROTECTED_KINDS, tokenize

MAX_TOKENS = 96


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
        input are discarded; strength weighs the style score against content similarity
        (the candidates do not depend on it, so more strength never means less style)."""
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
            weight = style_weight(strength)
            scores = [weight * style_gain(s) + content_similarity(c, text) for c, s in zip(cands, styles)]
            order = sorted(range(len(cands)), key=lambda i: (-scores[i], -styles[i], i))
            results.append([cands[i] for i in order[:num]])
        return results
