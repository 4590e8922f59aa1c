"""The voice tagger: a transformers T5 encoder with two tag heads over source tokens.

The encoder reads SentencePiece pieces of the neutral text (with a leading `<s>` whose
position carries the "insert before the first token" tag); each source token's first
piece predicts that token's transform and what to insert after it. Saved as the encoder's
own `save_pretrained` files plus `heads.safetensors`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .files import HEADS_FILE
from .spm_tokenizer import BOS_ID, EOS_ID, PAD_ID
from .textops import Token

HEAD_MODULES = ("transform", "insert", "from_start", "from_end")
POSITION_BUCKETS, POSITION_DIM = 16, 32
MAX_PIECES = 128

# Small enough to train in CPU minutes; the tagging task needs context, not capacity.
DEFAULT_SIZE = {"d_model": 128, "d_kv": 32, "d_ff": 256, "num_layers": 2, "num_heads": 4}
TINY_SIZE = {"d_model": 32, "d_kv": 8, "d_ff": 64, "num_layers": 1, "num_heads": 4}


@dataclass
class EncodedSource:
    """Piece ids of one source (starting with `<s>`) and the first-piece index of each token."""

    ids: list[int]
    positions: list[int]


def encode_source(tokens: list[Token], sp: "object", max_pieces: int = MAX_PIECES) -> EncodedSource:
    """`<s>`, the pieces of each token in turn, `</s>`; tokens that no longer fit are left out
    (they are copied unchanged). The closing `</s>` lets attention find the end of the text,
    where most of a voice's insertions go."""
    ids, positions = [BOS_ID], []
    for tok in tokens:
        pieces = sp.encode(tok.text)
        if len(ids) + len(pieces) + 1 > max_pieces:
            break
        positions.append(len(ids))
        ids.extend(pieces)
    ids.append(EOS_ID)
    return EncodedSource(ids, positions)


def build_tagger(vocab_size: int, n_transforms: int, n_inserts: int, size: dict, seed: int) -> "object":
    """A freshly initialised tagger (seeded)."""
    import torch
    from transformers import T5Config

    torch.manual_seed(seed)
    config = T5Config(
        vocab_size=vocab_size, pad_token_id=PAD_ID, eos_token_id=1, decoder_start_token_id=PAD_ID,
        dropout_rate=0.1, feed_forward_proj="gated-gelu", tie_word_embeddings=False,
        is_encoder_decoder=False, use_cache=False, **size,
    )
    return _tagger_class()(config, n_transforms, n_inserts)


def quiet_transformers() -> None:
    """Silence transformers' own progress bars and notices: stylekit reports progress itself."""
    from transformers.utils import logging

    logging.disable_progress_bar()
    logging.set_verbosity_error()


# STYLEKIT_TAGGER=torch runs a voice's tagger with torch on the CPU too (for comparison);
# by default the CPU runs it in numpy (numpy_model), which needs neither torch nor transformers.
TAGGER_BACKEND_ENV = "STYLEKIT_TAGGER"


def load_tagger(style_dir: Path, device: str) -> "object":
    """The tagger saved in `style_dir` (config.json, model.safetensors, heads.safetensors), for
    inference: a `NumpyTagger` on the CPU, the torch module on a GPU (or when
    STYLEKIT_TAGGER=torch). Both have `tag(sources)` giving numpy logits."""
    import os

    if device == "cpu" and os.environ.get(TAGGER_BACKEND_ENV, "numpy").strip().lower() != "torch":
        from .numpy_model import NumpyTagger

        return NumpyTagger.load(style_dir)
    return load_torch_tagger(style_dir, device)


def load_torch_tagger(style_dir: Path, device: str) -> "object":
    """The tagger saved in `style_dir` as the torch module (training, resuming, GPUs)."""
    from safetensors.torch import load_file
    from transformers import T5EncoderModel

    quiet_transformers()
    encoder = T5EncoderModel.from_pretrained(style_dir, local_files_only=True)
    heads = load_file(str(style_dir / HEADS_FILE))
    tagger = _tagger_class()(encoder.config, heads["transform.weight"].shape[0],
                             heads["insert.weight"].shape[0], encoder=encoder)
    for name in HEAD_MODULES:
        module = getattr(tagger, name)
        module.load_state_dict({k.split(".", 1)[1]: v for k, v in heads.items() if k.split(".", 1)[0] == name})
    return tagger.to(device).eval()


def save_tagger(tagger: "object", style_dir: Path) -> None:
    """Write the encoder with `save_pretrained` and the heads as safetensors."""
    from safetensors.torch import save_file

    quiet_transformers()
    tagger.encoder.save_pretrained(style_dir, safe_serialization=True)
    save_file({f"{name}.{k}": v.detach().cpu().contiguous()
               for name in HEAD_MODULES for k, v in getattr(tagger, name).state_dict().items()},
              str(style_dir / HEADS_FILE))


def _tagger_class() -> type:
    """The nn.Module class, defined lazily so importing this module does not import torch."""
    global _TAGGER
    if _TAGGER is None:
        import torch
        from transformers import T5EncoderModel

        class VoiceTagger(torch.nn.Module):
            """T5 encoder + a transform head and an insertion head per source position."""

            def __init__(self, config, n_transforms: int, n_inserts: int, encoder=None):
                super().__init__()
                self.encoder = encoder if encoder is not None else T5EncoderModel(config)
                # Where a token sits (counted in tokens from each end) decides most of a
                # voice's edits: sign-offs go last, openers first. Giving the heads that
                # directly spares the encoder learning to count in CPU minutes.
                self.from_start = torch.nn.Embedding(POSITION_BUCKETS, POSITION_DIM)
                self.from_end = torch.nn.Embedding(POSITION_BUCKETS, POSITION_DIM)
                width = config.d_model + POSITION_DIM
                self.transform = torch.nn.Linear(width, n_transforms)
                self.insert = torch.nn.Linear(width, n_inserts)

            def forward(self, input_ids, attention_mask, from_start, from_end):
                hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
                where = self.from_start(from_start) + self.from_end(from_end)
                features = torch.cat([hidden, where], dim=-1)
                return self.transform(features), self.insert(features)

            def tag(self, sources: list[EncodedSource], batch_size: int = 64) -> list[tuple]:
                """Per source: transform logits [tokens, transforms] and insertion logits
                [tokens + 1, inserts] (slot 0 is before the first token), float32 numpy."""
                device = next(self.parameters()).device
                results = []
                with torch.inference_mode():
                    for start in range(0, len(sources), batch_size):
                        chunk = sources[start:start + batch_size]
                        t_logits, i_logits = self(*[x.to(device) for x in pad_batch(chunk)])
                        for row, src in enumerate(chunk):
                            pos = torch.tensor(src.positions, dtype=torch.long)
                            ins = torch.cat([torch.zeros(1, dtype=torch.long), pos])
                            results.append((t_logits[row, pos.to(device)].float().cpu().numpy(),
                                            i_logits[row, ins.to(device)].float().cpu().numpy()))
                return results

        _TAGGER = VoiceTagger
    return _TAGGER


_TAGGER: type | None = None


def pad_sources(sources: list[EncodedSource]) -> tuple["object", "object", "object", "object"]:
    """Padded `input_ids`, `attention_mask` and the token-position buckets of a batch, as
    int64 numpy arrays [batch, longest source]."""
    import numpy as np

    width = max(len(s.ids) for s in sources)
    ids = np.full((len(sources), width), PAD_ID, dtype=np.int64)
    mask = np.zeros((len(sources), width), dtype=np.int64)
    from_start = np.zeros((len(sources), width), dtype=np.int64)
    from_end = np.zeros((len(sources), width), dtype=np.int64)
    top = POSITION_BUCKETS - 1
    for row, src in enumerate(sources):
        ids[row, :len(src.ids)] = src.ids
        mask[row, :len(src.ids)] = 1
        n = len(src.positions)
        if n:
            # bucket 0 is kept for the <s> slot (insertions before the first token)
            pos = np.asarray(src.positions)
            from_start[row, pos] = np.minimum(np.arange(1, n + 1), top)
            from_end[row, pos] = np.minimum(np.arange(n, 0, -1), top)
    return ids, mask, from_start, from_end


def pad_batch(sources: list[EncodedSource]) -> tuple["object", "object", "object", "object"]:
    """`pad_sources` as torch tensors."""
    import torch

    return tuple(torch.from_numpy(a) for a in pad_sources(sources))
