"""A loaded voice: tags the user's text, renders candidates, re-ranks them.

The candidates of a text do not depend on the strength: greedy tags at a few fixed levels
of boldness, samples drawn from the tag distributions with a generator seeded by the seed
and the text (so the same seed gives the same candidates, also after save and load), and
the input itself; where the text has a word the voice says its own way ("kids", for a voice
that says "children"), each of them also with the voice's words. Strength only weighs the
style score against content similarity when one candidate is chosen, which makes it
monotone: more strength never gives a rewrite the style scorer rates lower (0 returns the
input, 1.5 the most styled candidate).
"""

from __future__ import annotations

import json
import math
import zlib
from pathlib import Path
from typing import Any

import numpy as np

from stylekit.engines import LoadedStyle
from stylekit.errors import PackError

from .edits import KEEP, LOWER, NO_INSERT, SENTENCE, START, EditScript, EditVocabulary, apply_script, slot_class
from .files import EDITS_FILE, NEUTRALISER_FILE, SCORER_FILE, SPM_FILE
from .model import MAX_PIECES, EncodedSource, encode_source, load_tagger
from .neutralise import Neutraliser
from .sampling import TorchCompatibleGenerator
from .scoring import StyleScorer, content_similarity, style_gain, style_weight
from .spm_tokenizer import load_spm
from .textops import (CONTENT_STOPWORDS, PROTECTED_KINDS, Token, brackets_balanced, detokenize, is_chinese,
                      language, split_sentences, tokenize, word_key)

STRENGTH_SHARPNESS = 1.5  # logit bias per unit of log(1/level) toward leaving text alone
# Boldness levels of the greedy candidates (the level-1 one is the tagger's own greedy
# reading); fixed, so every strength chooses among the same candidates.
GREEDY_LEVELS = (0.5, 1.0, 1.5)


class _Unit:
    """One chunk of a text (a few sentences) that the tagger reads in one go."""

    def __init__(self, text: str, sep: str, sp: Any):
        self.text = text
        self.sep = sep  # whitespace that followed this chunk in the input
        self.tokens = tokenize(text)
        self.lang = language(text)
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
        self._choices: dict[str, str] | None = None

    @classmethod
    def load(cls, style_dir: Path, device: str = "cpu") -> "VoiceStyle":
        """Read a voice written by `train_voice` from `style_dir`."""
        from safetensors.numpy import load_file

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
        together with the greedy ones and the input; `samples=0` ranks only the greedy ones
        (fastest).
        """
        return self.apply_batch([content], strength=strength, num=num, seed=seed, samples=samples)[0]

    def apply_batch(self, texts: list[str], strength: float = 1.0, num: int = 1,
                    seed: int | None = None, samples: int | None = None) -> list[list[str]]:
        """`apply` for many texts, tagged together in batches."""
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
            generator = TorchCompatibleGenerator(
                (0 if seed is None else int(seed)) * 1_000_003 + zlib.crc32(text.encode("utf-8")))
            n_cand = len(GREEDY_LEVELS) + n_samples
            per_unit = []
            for unit in units:
                if not unit.source.positions:
                    per_unit.append([unit.text] * n_cand)
                    continue
                per_unit.append(self._candidates(unit, logits[k], n_samples, generator))
                k += 1
            candidates = [text.strip()] + ["".join(c[j] + u.sep for c, u in zip(per_unit, units)).strip()
                                           for j in range(n_cand)]
            if self._has_choices(text):
                # Each candidate also with the voice's own words for the user's ("children"
                # for "kids"); the ranking weighs them like any other edit.
                candidates += [self._choose_words(c) for c in candidates]
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

    def _tag(self, units: list[_Unit]) -> list[tuple[np.ndarray, np.ndarray]]:
        """Transform and insertion logits of each unit (numpy; the tagger runs in numpy on
        the CPU, in torch on a GPU: see `model.load_tagger`)."""
        return self.tagger.tag([u.source for u in units])

    def _candidates(self, unit: _Unit, logits: tuple[Any, Any], n_samples: int, generator: Any) -> list[str]:
        """Greedy rewrites at each of GREEDY_LEVELS, then `n_samples` sampled ones (level 1)."""
        t_logits, i_logits = logits[0].copy(), logits[1].copy()
        for i, tok in enumerate(unit.tokens[:len(t_logits)]):
            if tok.kind in PROTECTED_KINDS:
                t_logits[i, 1:] = -math.inf  # the user's URLs, mentions, numbers, emoji stay
                continue
            allowed = np.zeros(t_logits.shape[1], dtype=bool)
            allowed[self.vocab.allowed_transforms(tok)] = True
            t_logits[i, ~allowed] = -math.inf
        # Insertions only where the voice puts them, and in the text's own script.
        i_logits[~self.vocab.insert_mask(unit.tokens[:len(t_logits)], unit.lang)] = -math.inf
        picks = []
        for level in GREEDY_LEVELS:
            bias = STRENGTH_SHARPNESS * math.log(1.0 / level)
            t_biased, i_biased = t_logits.copy(), i_logits.copy()
            t_biased[:, 0] += bias
            i_biased[:, 0] += bias
            picks.append((_decide(t_biased)[0], _decide(i_biased)[0]))
        if n_samples:
            t_draws, i_draws = _decide(t_logits, generator, n_samples), _decide(i_logits, generator, n_samples)
            picks.extend(zip(t_draws, i_draws))
        return [self._render(unit.tokens, t.tolist(), i.tolist()) for t, i in picks]

    def _render(self, tokens: list[Token], t_ids: list[int], i_ids: list[int]) -> str:
        # Tokens past the tagger's window are copied as they are.
        extra = len(tokens) - len(t_ids)
        script = self.vocab.decode(t_ids + [0] * extra, i_ids + [0] * extra)
        return apply_script(tokens, self._fit_openers(tokens, script))

    @property
    def word_choices(self) -> dict[str, str]:
        """Everyday word -> the voice's word for it ("kids" -> "children"): the inverse of
        the neutraliser's swaps (for two voice words of one everyday word, the first)."""
        if self._choices is None:
            choices: dict[str, str] = {}
            for voiced, plain in sorted(self.neutraliser.swaps.items()):
                choices.setdefault(plain, voiced)
            self._choices = choices
        return self._choices

    def _has_choices(self, text: str) -> bool:
        choices = self.word_choices
        return bool(choices) and any(t.kind == "word" and word_key(t) in choices for t in tokenize(text))

    def _choose_words(self, text: str) -> str:
        """`text` with each everyday word the voice has its own word for replaced by it,
        in the user's casing (the inverse of `_plain_words`)."""
        return self._replace_words(text, self.word_choices)

    def _plain_words(self, text: str) -> str:
        """`text` with the voice's word choices put back to the everyday words they stand
        for (the neutraliser's swaps), so a chosen word does not count as lost content."""
        return self._replace_words(text, self.neutraliser.swaps)

    @staticmethod
    def _replace_words(text: str, table: dict[str, str]) -> str:
        if not table:
            return text
        tokens = tokenize(text)
        changed = False
        for i, tok in enumerate(tokens):
            new = table.get(word_key(tok)) if tok.kind == "word" else None
            if new is not None:
                new = new[:1].upper() + new[1:] if tok.text[:1].isupper() else new
                tokens[i] = Token(new, tok.space, tok.kind)
                changed = True
        return detokenize(tokens) if changed else text

    def _fit_openers(self, tokens: list[Token], script: EditScript) -> EditScript:
        """Case at the start of each sentence, the way the voice writes it.

        A sentence opener the voice adds ("And", "Well,") takes the capital of the word it
        now precedes ("And the ..."), unless that word is "I", or a name the voice does not
        lower after its openers (the tagger's own lower-casing says it does). Where the word's
        usual case is unknown (a capitalised word the background never writes mid-sentence)
        and the voice does not write sentences in lower case anyway, the opener is left out
        rather than guessed around ("And Dinner ..." or "And dinner" for a name). Without an
        opener, a sentence start is lower-cased only by a voice that writes that way."""
        truecase = self.neutraliser.truecase
        lower_starts = self.neutraliser.lower_starts
        for slot, tok in enumerate(tokens):
            if (tok.kind != "word" or not tok.text[:1].isupper() or is_chinese(tok.text)
                    or slot_class(tokens, slot) not in (START, SENTENCE)):
                continue
            insert = script.inserts[slot].strip()
            key = tok.text.lower()
            if not insert or not (insert[-1].isalnum() or insert[-1] in ",，"):
                if script.transforms[slot] == LOWER and lower_starts is False:
                    script.transforms[slot] = KEEP  # "our street is ..." from a voice that capitalises
                continue
            if key == "i" or key.startswith("i'"):
                form = "I" + key[1:]
            elif script.transforms[slot] == LOWER:
                form = key  # the voice lowers what follows its opener, as its posts show
            elif key in truecase:
                form = truecase[key]
            elif key in CONTENT_STOPWORDS or key in OPENING_WORDS or lower_starts:
                form = key
            else:
                script.inserts[slot] = NO_INSERT
                continue
            script.transforms[slot] = KEEP if form == tok.text else "=" + form
        return script

    def _rank(self, text: str, candidates: list[str], strength: float, num: int) -> list[str]:
        """Best first by `style_weight(strength) * style_gain(style) + content similarity`.

        The candidates are the same at every strength, and the weight grows with strength,
        so the chosen rewrite's style score never falls as strength rises (the argmax of
        `f + w * g` has a non-decreasing `g` in `w`). `style_gain` flattens above
        STYLE_TARGET: once a candidate reads in the voice, the least change wins, until
        strengths near 1.5 ask for the most styled one.
        """
        unique = list(dict.fromkeys(c for c in candidates if c))
        if brackets_balanced(text):
            # A voice's quotes and brackets come in pairs (子曰：“…”); a rewrite that leaves
            # one open or closes one never opened is broken text, whatever its style score.
            unique = [c for c in unique if brackets_balanced(c)] or [text.strip() or text]
        if len(unique) <= 1:
            return unique or [text]
        styles = self.scorer.score_many(unique)
        # The voice's own word for a thing ("children" for "kids") keeps the content.
        # Both sides are compared in everyday words, so a "children" the user wrote is kept too.
        source = self._plain_words(text)
        sims = [content_similarity(self._plain_words(c), source) for c in unique]
        weight = style_weight(strength)
        scores = [weight * style_gain(st) + sim for st, sim in zip(styles, sims)]
        order = sorted(range(len(unique)), key=lambda i: (-scores[i], -styles[i], i))
        return [unique[i] for i in order[:num]]


# Words that often open a sentence and are written in lower case inside one (besides the
# stopwords): after an added opener they lose their capital ("And nobody came.").
OPENING_WORDS = frozenset(
    "nobody everybody everyone someone somebody anyone nothing everything something today yesterday tomorrow "
    "tonight now maybe perhaps please thanks thank let let's there's it's that's what's here's "
    "why which whose while once since because although though still also even only never always sometimes "
    "usually often every each both many most much more few several last next first one two three".split())

DEFAULT_SAMPLES = 16
SAMPLE_TEMPERATURE = 0.8
# Edit a slot when the model gives editing at least this much probability. Below 0.5 on
# purpose: a voice is several optional markers, each under even odds, and at strength 1
# the user asked for the voice (strength < 1 shifts every slot back toward the input).
GREEDY_EDIT_THRESHOLD = 0.35


def _decide(logits: Any, generator: Any = None, n: int = 1) -> Any:
    """Tags per slot, [n, slots]: first whether to edit at all (class 0 = leave alone), then
    which edit.

    Edits are spread over many strings (which emoji, which ending), so a plain argmax would
    almost always pick "leave alone" even where an edit is likely; deciding edit-or-not on
    the summed probability first (against `GREEDY_EDIT_THRESHOLD`) keeps the voice. With a
    generator, `n` draws of both steps are sampled, sharpened by `SAMPLE_TEMPERATURE` so
    unlikely slots rarely fire.
    """
    shifted = np.exp(logits - logits.max(-1, keepdims=True))
    probs = shifted / shifted.sum(-1, keepdims=True)
    p_edit = np.clip(np.float32(1.0) - probs[:, 0], 0.0, 1.0)
    if probs.shape[1] == 1:
        return np.zeros((n, len(probs)), dtype=np.int64)
    rest = probs[:, 1:]
    if generator is None:
        return np.broadcast_to(np.where(p_edit > GREEDY_EDIT_THRESHOLD, rest.argmax(-1) + 1, 0), (n, len(probs)))
    inv = 1.0 / SAMPLE_TEMPERATURE
    sharp = p_edit ** inv / (p_edit ** inv + (1.0 - p_edit) ** inv + np.float32(1e-12))
    edit = generator.bernoulli(np.broadcast_to(sharp, (n, len(sharp))))
    weights = rest ** inv
    empty = weights.sum(-1) <= 0  # every edit masked out: p_edit is 0, the choice is moot
    weights[empty, 0] = 1.0
    choice = generator.multinomial(weights, n).T + 1
    return np.where(edit, choice, 0)
