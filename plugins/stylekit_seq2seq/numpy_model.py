"""The voice tagger run in numpy: the same weights and logits as the torch module, no torch.

Applying a voice on the CPU needs one pass of a tiny T5 encoder (a few layers of width 128)
over a sentence: well under a millisecond of arithmetic, against seconds to import torch and
transformers. `NumpyTagger` reads the files `model.save_tagger` writes (`config.json`,
`model.safetensors`, `heads.safetensors`) with `safetensors.numpy` and computes what
transformers' `T5EncoderModel` (gated-GELU feed-forward, RMS layer norm, relative position
buckets, unscaled attention) plus the tag heads compute, in float32; tests hold the two to
1e-4 on every bundled voice. Training and `--device cuda` keep the torch module.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from stylekit.errors import PackError

from .files import HEADS_FILE
from .model import EncodedSource, pad_sources

_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)


def relative_position_buckets(query_length: int, key_length: int, num_buckets: int, max_distance: int) -> np.ndarray:
    """T5's bidirectional relative position bucket of every (query, key) pair, [q, k] int64
    (transformers' `T5Attention._relative_position_bucket`, in float32 as it computes)."""
    relative = np.arange(key_length)[None, :] - np.arange(query_length)[:, None]
    half = num_buckets // 2
    buckets = (relative > 0).astype(np.int64) * half
    distance = np.abs(relative)
    max_exact = half // 2
    with np.errstate(divide="ignore"):
        scaled = (np.log(distance.astype(np.float32) / np.float32(max_exact))
                  / np.float32(math.log(max_distance / max_exact)) * np.float32(half - max_exact))
    large = np.minimum(max_exact + np.where(distance < max_exact, 0, scaled).astype(np.int64), half - 1)
    return buckets + np.where(distance < max_exact, distance, large)


def _rms_norm(x: np.ndarray, weight: np.ndarray, eps: float) -> np.ndarray:
    variance = np.mean(x * x, axis=-1, keepdims=True)
    return weight * (x / np.sqrt(variance + np.float32(eps)))


def _gelu_new(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + np.tanh(np.float32(_SQRT_2_OVER_PI) * (x + np.float32(0.044715) * x * x * x)))


def _softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


class NumpyTagger:
    """The tagger of a voice folder, evaluated in numpy (see the module docstring)."""

    def __init__(self, config: dict, weights: dict[str, np.ndarray], heads: dict[str, np.ndarray]):
        self.n_heads = int(config["num_heads"])
        self.d_kv = int(config["d_kv"])
        self.eps = float(config.get("layer_norm_epsilon", 1e-6))
        self.num_buckets = int(config.get("relative_attention_num_buckets", 32))
        self.max_distance = int(config.get("relative_attention_max_distance", 128))
        act = config.get("dense_act_fn", "gelu_new")
        if config.get("feed_forward_proj", "gated-gelu") != "gated-gelu" or act not in ("gelu_new", "gelu_pytorch_tanh"):
            raise PackError(f"text tagger with feed-forward '{config.get('feed_forward_proj')}' is not supported "
                            "without torch; use --device cuda or retrain the voice")
        embed = weights.get("shared.weight", weights.get("encoder.embed_tokens.weight"))
        if embed is None:
            raise PackError("text tagger weights lack the token embedding; retrain or re-import the voice")
        self.embed = embed.astype(np.float32, copy=False)
        self.layers = []
        for i in range(int(config["num_layers"])):
            p = f"encoder.block.{i}."
            att = p + "layer.0.SelfAttention."
            ff = p + "layer.1.DenseReluDense."
            # Weights stored [out, in]; kept transposed so each projection is one x @ W.
            self.layers.append({
                "ln1": weights[p + "layer.0.layer_norm.weight"],
                "qkv": np.concatenate([weights[att + n + ".weight"].T for n in "qkv"], axis=1),
                "o": np.ascontiguousarray(weights[att + "o.weight"].T),
                "ln2": weights[p + "layer.1.layer_norm.weight"],
                "wi": np.concatenate([weights[ff + "wi_0.weight"].T, weights[ff + "wi_1.weight"].T], axis=1),
                "wo": np.ascontiguousarray(weights[ff + "wo.weight"].T),
            })
        self.relative_bias = weights["encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight"]
        self.final_ln = weights["encoder.final_layer_norm.weight"]
        self.from_start = heads["from_start.weight"]
        self.from_end = heads["from_end.weight"]
        self.head_w = np.concatenate([heads["transform.weight"].T, heads["insert.weight"].T], axis=1)
        self.head_b = np.concatenate([heads["transform.bias"], heads["insert.bias"]])
        self.n_transforms = heads["transform.weight"].shape[0]
        self._bias_cache: dict[int, np.ndarray] = {}

    @classmethod
    def load(cls, style_dir: Path) -> "NumpyTagger":
        """The tagger saved in `style_dir` by `model.save_tagger`."""
        from safetensors.numpy import load_file

        style_dir = Path(style_dir)
        config = json.loads((style_dir / "config.json").read_text(encoding="utf-8"))
        return cls(config, load_file(str(style_dir / "model.safetensors")), load_file(str(style_dir / HEADS_FILE)))

    def tag(self, sources: list[EncodedSource], batch_size: int = 64) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per source: transform logits [tokens, transforms] and insertion logits
        [tokens + 1, inserts] (slot 0 is before the first token), float32."""
        results = []
        for start in range(0, len(sources), batch_size):
            chunk = sources[start:start + batch_size]
            t_logits, i_logits = self.forward(*pad_sources(chunk))
            for row, src in enumerate(chunk):
                pos = np.asarray(src.positions, dtype=np.int64)
                results.append((t_logits[row, pos], i_logits[row, np.concatenate([[0], pos])]))
        return results

    def forward(self, ids: np.ndarray, mask: np.ndarray, from_start: np.ndarray,
                from_end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Transform and insertion logits of a padded batch (`model.pad_sources`)."""
        batch, length = ids.shape
        heads, d_kv = self.n_heads, self.d_kv
        inner = heads * d_kv
        x = self.embed[ids]
        bias = self._position_bias(length)
        if not mask.all():  # padding: keys past a text's end get no attention
            bias = bias + np.where(mask[:, None, None, :] > 0, np.float32(0), np.finfo(np.float32).min)
        for layer in self.layers:
            h = _rms_norm(x, layer["ln1"], self.eps)
            qkv = (h @ layer["qkv"]).reshape(batch, length, 3, heads, d_kv).transpose(2, 0, 3, 1, 4)
            q, k, v = qkv[0], qkv[1], qkv[2]
            attn = _softmax(q @ k.transpose(0, 1, 3, 2) + bias)
            out = (attn @ v).transpose(0, 2, 1, 3).reshape(batch, length, inner)
            x = x + out @ layer["o"]
            h = _rms_norm(x, layer["ln2"], self.eps)
            gate_lin = h @ layer["wi"]
            d_ff = gate_lin.shape[-1] // 2
            x = x + (_gelu_new(gate_lin[..., :d_ff]) * gate_lin[..., d_ff:]) @ layer["wo"]
        x = _rms_norm(x, self.final_ln, self.eps)
        where = self.from_start[from_start] + self.from_end[from_end]
        logits = np.concatenate([x, where], axis=-1) @ self.head_w + self.head_b
        return logits[..., :self.n_transforms], logits[..., self.n_transforms:]

    def _position_bias(self, length: int) -> np.ndarray:
        """[1, heads, length, length] relative position bias (shared by every layer)."""
        if length not in self._bias_cache:
            buckets = relative_position_buckets(length, length, self.num_buckets, self.max_distance)
            self._bias_cache[length] = self.relative_bias[buckets].transpose(2, 0, 1)[None]
        return self._bias_cache[length]
