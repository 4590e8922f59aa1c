"""A loaded voice: tags the user's text, renders candidates, re-ranks them.

Greedy tags give the first candidate; more are sampled from the tag distributions with a
seeded generator, so the same seed gives the same candidates, also after save and load.
Strength biases every slot toward "keep / insert nothing" (0 returns the input as is).
"""

from __future__ import annotations

import json
import math
import zlib
from pathlib import Path
from typing import Any

from stylekit.engines import LoadedStyle
from stylekit.errors import PackError, UsageError

from .edits import EditVocabulary, apply_script
from .files import EDITS_FILE, NEUTRALISER_FILE, SCORER_FILE, SPM_FILE
from .model import MAX_PIECES, EncodedSource, encode_source, load_tagger, pad_batch
from .neutralise import Neutraliser
from .scoring import StyleScorer, content_similarity
from .spm_tokenizer import load_spm
from .textops import PROTECTED_KINDS, Token, split_sentences, tokenize

STRENGTH_SHARPNESS = 1.5  # logit bias per unit of log(1/strength) toward leaving text alone


class _Unit:
    """One chunk of a text (a few sentences) that the tagger reads in one go."""

    def __init__(self, text: str, sep: str, sp: Any):
        self.text = text
        self.sep = sep  # whitespace that followed this chunk in the input
        self.tokens = tokenize(text)
        self.source: EncodedSource = encode_source(self.tokens, sp)


class VoiceStyle(LoadedStyle):
    """An influencer's voice, ready to rewrite text (`apply`, `apply_batch`).

    `neutraliser` exposes what was learned about the voice's markers (for inspection).
    """

    engine = "seq2seq"

    def __init__(self, tagger: Any, sp: Any, vocab: EditVocabulary, scorer: StyleScorer,
                 neutraliser: Neutraliser, device: str):
        self.tagger = tagger
        self.sp = sp
        self.vocab = vocab
        self.scorer = scorer
        self.neutraliser = neutraliser
        self.device = device

    @classmethod
    def load(cls, style_dir: Path, device: str = "cpu") -> "VoiceStyle":
        """Read a voice written by `train_voice` from `style_dir`."""
        from safetensors.torch import load_file

        style_dir = Path(style_dir)
        missing = [f for f in ("config.json", "model.safetensors", EDITS_FILE, SCORER_FILE, SPM_FILE)
                   if not (style_dir / f).is_file()]
        if missing:
            raise PackError(f"Text style in '{style_dir}' lacks {', '.join(missing)}; retrain or re-import it.")
        vocab = EditVocabulary.from_json(json.loads((style_dir / EDITS_FILE).read_text(encoding="utf-8")))
        neutraliser = Neutraliser.from_json(
            json.loads((style_dir / NEUTRALISER_FILE).read_text(encoding="utf-8")))
        scorer = StyleScorer.from_state(load_file(str(style_dir / SCORER_FILE)))
        return cls(load_tagger(style_dir, device), load_spm(style_dir), vocab, scorer, neutraliser, device)

    # --- public API -----------------------------------------------------------------

    def apply(self, content: str, strength: float = 1.0, num: int = 1, seed: int | None = None,
              samples: int | None = None, **options: Any) -> list[str]:
        """Up to `num` rewrites of `content` in this voice, best first (strength 0: unchanged).

        `samples` sampled candidates (default max(DEFAULT_SAMPLES, 2 * num)) are re-ranked
        together with the greedy one; `samples=0` returns the greedy rewrite alone (fastest).
        """
        return self.apply_batch([content], strength=strength, num=num, seed=seed, samples=samples)[0]

    def apply_batch(self, texts: list[str], strength: float = 1.0, num: int = 1,
                    seed: int | None = None, samples: int | None = None) -> list[list[str]]:
        """`apply` for many texts, tagged together in batches."""
        import torch

        if strength < 0:
            raise UsageError(f"Strength must be 0 or more, got {strength}.")
        num = max(1, int(num))
        if strength == 0:
            return [[t] for t in texts]
        units_per_text = [self._units(t) for t in texts]
        flat = [u for units in units_per_text for u in units if u.source.positions]
        logits = self._tag(flat)
        n_samples = max(2 * num, DEFAULT_SAMPLES) if samples is None else max(0, int(samples))
        out = []
        k = 0
        for text, units in zip(texts, units_per_text):
            # One generator per text, seeded by the seed and the text itself, so a text gets
            # the same candidates alone or in any batch.
            generator = torch.Generator().manual_seed(
                (0 if seed is None else int(seed)) * 1_000_003 + zlib.crc32(text.encode("utf-8")))
            per_unit = []
            for unit in units:
                if not unit.source.positions:
                    per_unit.append([unit.text] * (n_samples + 1))
                    continue
                per_unit.append(self._candidates(unit, logits[k], strength, n_samples, generator))
                k += 1
            candidates = ["".join(c[j] + u.sep for c, u in zip(per_unit, units)).strip()
                          for j in range(n_samples + 1)]
            out.append(self._rank(text, candidates, strength, num))
        return out

    # --- internals ------------------------------------------------------------------

    def _units(self, text: str) -> list[_Unit]:
        """Sentences of `text` grouped into chunks that fit the tagger's window."""
        units: list[_Unit] = []
        pending, pending_sep = "", ""
        for sentence, sep in split_sentences(text.strip()):
            joined = pending + pending_sep + sentence if pending else sentence
            if pending and len(encode_source(tokenize(joined), self.sp, 10**9).ids) > MAX_PIECES // 2:
                units.append(_Unit(pending, pending_sep, self.sp))
                joined = sentence
            pending, pending_sep = joined, sep
        if pending:
            units.append(_Unit(pending, pending_sep, self.sp))
        return units

    def _tag(self, units: list[_Unit], batch_size: int = 64) -> list[tuple[Any, Any]]:
        import torch

        results = []
        with torch.inference_mode():
            for start in range(0, len(units), batch_size):
                chunk = units[start:start + batch_size]
                inputs = [x.to(self.device) for x in pad_batch([u.source for u in chunk])]
                t_logits, i_logits = self.tagger(*inputs)
                for row, unit in enumerate(chunk):
                    pos = torch.tensor(unit.source.positions)
                    ins = torch.cat([torch.zeros(1, dtype=torch.long), pos])
                    results.append((t_logits[row, pos].float().cpu(), i_logits[row, ins].float().cpu()))
        return results

    def _candidates(self, unit: _Unit, logits: tuple[Any, Any], strength: float, n_samples: int,
                    generator: Any) -> list[str]:
        import torch

        t_logits, i_logits = logits[0].clone(), logits[1].clone()
        bias = STRENGTH_SHARPNESS * math.log(1.0 / strength)
        t_logits[:, 0] += bias
        i_logits[:, 0] += bias
        for i, tok in enumerate(unit.tokens[:len(t_logits)]):
            if tok.kind in PROTECTED_KINDS:
                t_logits[i, 1:] = -math.inf  # the user's URLs, mentions, numbers, emoji stay
                continue
            allowed = torch.zeros(t_logits.shape[1], dtype=torch.bool)
            allowed[self.vocab.allowed_transforms(tok)] = True
            t_logits[i, ~allowed] = -math.inf
        picks = [(_decide(t_logits), _decide(i_logits))]
        for _ in range(n_samples):
            picks.append((_decide(t_logits, generator), _decide(i_logits, generator)))
        return [self._render(unit.tokens, t.tolist(), i.tolist()) for t, i in picks]

    def _render(self, tokens: list[Token], t_ids: list[int], i_ids: list[int]) -> str:
        # Tokens past the tagger's window are copied as they are.
        extra = len(tokens) - len(t_ids)
        script = self.vocab.decode(t_ids + [0] * extra, i_ids + [0] * extra)
        return apply_script(tokens, script)

    def _rank(self, text: str, candidates: list[str], strength: float, num: int) -> list[str]:
        """Best first: the least change that reads in the voice.

        Candidates the style scorer already puts at `STYLE_TARGET` or above come first, the
        most content-preserving of them first (fewer inserted words, so the text stays
        fluent); the rest follow by strength-weighted style score plus content similarity.
        """
        unique = list(dict.fromkeys(c for c in candidates if c))
        if len(unique) <= 1:
            return unique or [text]
        styles = self.scorer.score_many(unique)
        sims = [content_similarity(c, text) for c in unique]
        weight = min(strength, 2.0)

        def key(i: int) -> tuple:
            if styles[i] >= STYLE_TARGET:
                return (0, -sims[i], i)
            return (1, -(weight * styles[i] + sims[i]), i)

        order = sorted(range(len(unique)), key=key)
        return [unique[i] for i in order[:num]]


DEFAULT_SAMPLES = 16
# Style-scorer probability at which a candidate counts as "in the voice"; among those the
# re-ranking prefers the one closest to the input instead of the most styled one.
STYLE_TARGET = 0.7
SAMPLE_TEMPERATURE = 0.8
# Edit a slot when the model gives editing at least this much probability. Below 0.5 on
# purpose: a voice is several optional markers, each under even odds, and at strength 1
# the user asked for the voice (strength < 1 shifts every slot back toward the input).
GREEDY_EDIT_THRESHOLD = 0.35


def _decide(logits: Any, generator: Any = None) -> Any:
    """Tag per slot: first whether to edit at all (class 0 = leave alone), then which edit.

    Edits are spread over many strings (which emoji, which ending), so a plain argmax would
    almost always pick "leave alone" even where an edit is likely; deciding edit-or-not on
    the summed probability first (against `GREEDY_EDIT_THRESHOLD`) keeps the voice. With a generator both steps are sampled,
    sharpened by `SAMPLE_TEMPERATURE` so unlikely slots rarely fire.
    """
    import torch

    probs = logits.softmax(-1)
    p_edit = (1.0 - probs[:, 0]).clamp(0.0, 1.0)
    if probs.shape[1] == 1:
        return torch.zeros(len(probs), dtype=torch.long)
    rest = probs[:, 1:]
    if generator is None:
        return torch.where(p_edit > GREEDY_EDIT_THRESHOLD, rest.argmax(-1) + 1, 0)
    inv = 1.0 / SAMPLE_TEMPERATURE
    sharp = p_edit ** inv / (p_edit ** inv + (1.0 - p_edit) ** inv + 1e-12)
    edit = torch.bernoulli(sharp, generator=generator).bool()
    weights = rest ** inv + 1e-12
    choice = torch.multinomial(weights / weights.sum(-1, keepdim=True), 1, generator=generator).squeeze(1) + 1
    return torch.where(edit, choice, 0)
