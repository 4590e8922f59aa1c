"""Random draws for sampled rewrites, in numpy, bit for bit the draws torch makes on the CPU.

A voice's sampled candidates were first drawn with `torch.Generator`, `torch.bernoulli` and
`torch.multinomial`; applying a voice no longer imports torch, yet a seed must keep giving
the same rewrites. `TorchCompatibleGenerator` therefore runs torch's CPU generator (the
32-bit Mersenne Twister, seeded as `torch.Generator().manual_seed(seed)` seeds it) on
numpy's MT19937 and consumes its stream exactly as torch's CPU kernels do:
`bernoulli` one 32-bit draw per element (24 bits compared with p), `multinomial` with
replacement one 64-bit draw (53 bits) per sample by binary search of the row's float32
cumulative distribution, and a single draw (`n == 1`) as torch's exponential race.
Tests compare it with torch itself.
"""

from __future__ import annotations

import numpy as np

_MT_N = 624
_FLOAT_UNIT = np.float32(1.0 / (1 << 24))
_DOUBLE_UNIT = 1.0 / (1 << 53)


def _mt_key(seed: int) -> np.ndarray:
    """MT19937's state after init_genrand(seed & 0xffffffff), as torch seeds it."""
    key = [int(seed) & 0xFFFFFFFF]
    for i in range(1, _MT_N):
        prev = key[-1]
        key.append((1812433253 * (prev ^ (prev >> 30)) + i) & 0xFFFFFFFF)
    return np.array(key, dtype=np.uint32)


class TorchCompatibleGenerator:
    """A seeded stream of draws equal to `torch.Generator().manual_seed(seed)`'s on the CPU."""

    def __init__(self, seed: int):
        self._bits = np.random.MT19937()
        # pos = 624: the first draw regenerates the whole block, as torch's engine does.
        self._bits.state = {"bit_generator": "MT19937", "state": {"key": _mt_key(seed), "pos": _MT_N}}

    def _uint32(self, n: int) -> np.ndarray:
        return self._bits.random_raw(n).astype(np.uint64)

    def _uniform_float(self, n: int) -> np.ndarray:
        """torch's float uniform in [0, 1): the low 24 bits of one 32-bit draw."""
        return (self._uint32(n) & 0xFFFFFF).astype(np.float32) * _FLOAT_UNIT

    def _uniform_double(self, n: int) -> np.ndarray:
        """torch's double uniform in [0, 1): the low 53 bits of two 32-bit draws (first high)."""
        pairs = self._uint32(2 * n).reshape(n, 2) if n else np.zeros((0, 2), dtype=np.uint64)
        bits = ((pairs[:, 0] << np.uint64(32)) | pairs[:, 1]) & np.uint64((1 << 53) - 1)
        return bits.astype(np.float64) * _DOUBLE_UNIT

    def bernoulli(self, p: np.ndarray) -> np.ndarray:
        """`torch.bernoulli(p, generator=...)` for float32 probabilities: bool, p's shape, drawn
        in row-major order."""
        p = np.ascontiguousarray(p, dtype=np.float32)
        return (self._uniform_float(p.size) < p.reshape(-1)).reshape(p.shape)

    def multinomial(self, weights: np.ndarray, n: int) -> np.ndarray:
        """`torch.multinomial(weights, n, replacement=True, generator=...)` for a float32
        [rows, categories] array of non-negative weights, each row with a positive sum:
        int64 [rows, n]."""
        weights = np.ascontiguousarray(weights, dtype=np.float32)
        rows, cats = weights.shape
        if n == 1:
            return self._exponential_race(weights)
        out = np.empty((rows, n), dtype=np.int64)
        for r in range(rows):
            cum = np.cumsum(weights[r], dtype=np.float32)  # sequential, as torch sums
            cum = cum / cum[-1]
            cum[-1] = 1.0
            # torch: the first bucket whose cumulative value is not below the draw
            out[r] = np.searchsorted(cum.astype(np.float64), self._uniform_double(n), side="left")
        return out

    def _exponential_race(self, weights: np.ndarray) -> np.ndarray:
        """One draw per row as torch makes it: argmax of weight / Exp(1), with float32
        quotients (the exponential draws are doubles rounded to float32)."""
        u = self._uniform_double(weights.size).reshape(weights.shape)
        q = (-1.0 * np.log1p(-u)).astype(np.float32)
        with np.errstate(divide="ignore", invalid="ignore"):
            race = weights / q
        return np.argmax(race, axis=-1)[:, None]
