"""The SentencePiece tokenizer of a voice: trained on posts + background, exact round trip.

Byte fallback lets any emoji or script through; frequent emoji and hashtags become whole
pieces; the "identity" normalisation keeps stylised characters (fullwidth, ligatures,
combining marks) exactly as written.
"""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path
from typing import Iterable

from .files import SPM_FILE
from .textops import tokenize

PAD_ID, EOS_ID, UNK_ID, BOS_ID = 0, 1, 2, 3


def frequent_symbols(posts: Iterable[str], limit: int = 200, min_count: int = 3) -> list[str]:
    """Emoji and hashtags used at least `min_count` times, most frequent first."""
    counts = Counter(t.text for p in posts for t in tokenize(p) if t.kind in ("emoji", "hashtag"))
    return [s for s, c in counts.most_common(limit) if c >= min_count]


def train_spm(
    posts: list[str], background: list[str], out_dir: Path, vocab_size: int = 4000
) -> "object":
    """Train the SentencePiece model into `out_dir/spiece.model`; return a loaded processor."""
    import sentencepiece as spm

    lines = [*posts, *background]
    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=buffer,
        model_type="unigram",
        vocab_size=vocab_size,
        hard_vocab_limit=False,  # small corpora cannot fill a large vocabulary; take what fits
        byte_fallback=True,
        character_coverage=0.9995,
        normalization_rule_name="identity",
        remove_extra_whitespaces=False,
        split_digits=True,
        user_defined_symbols=frequent_symbols(posts),
        pad_id=PAD_ID, eos_id=EOS_ID, unk_id=UNK_ID, bos_id=BOS_ID,
        pad_piece="<pad>", eos_piece="</s>", unk_piece="<unk>", bos_piece="<s>",
        num_threads=1,  # explicit: never let the trainer grab every core of a shared machine
        minloglevel=2,
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / SPM_FILE).write_bytes(buffer.getvalue())
    return load_spm(out_dir)


def load_spm(style_dir: Path) -> "object":
    """Load the SentencePiece processor saved in `style_dir`."""
    import sentencepiece as spm

    return spm.SentencePieceProcessor(model_file=str(style_dir / SPM_FILE))


def save_hf_tokenizer_files(style_dir: Path, model_max_length: int = 256) -> None:
    """Write `tokenizer.json` + `tokenizer_config.json` mirroring `spiece.model`.

    The same unigram pieces, scores and byte fallback, so that
    `transformers.AutoTokenizer.from_pretrained(style_dir)` opens it offline (converting
    `spiece.model` itself would need protobuf). Its segmentation can differ from
    SentencePiece's around user-defined symbols; the engine encodes with SentencePiece
    directly, which is what guarantees the pieces and exact round trips.
    """
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    sp = load_spm(style_dir)
    vocab = [(sp.id_to_piece(i), sp.get_score(i)) for i in range(sp.get_piece_size())]
    tok = Tokenizer(models.Unigram(vocab, unk_id=UNK_ID, byte_fallback=True))
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=False)
    tok.decoder = decoders.Sequence([
        decoders.ByteFallback(), decoders.Metaspace(replacement="▁", prepend_scheme="always", split=False)])
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, pad_token="<pad>", eos_token="</s>",
                                   unk_token="<unk>", bos_token="<s>", model_max_length=model_max_length)
    fast.save_pretrained(style_dir)
