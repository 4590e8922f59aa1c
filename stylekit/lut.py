"""3D colour lookup tables: Adobe Cube LUT 1.0 files and trilinear application.

A LUT here is a float32 array of shape (N, N, N, 3) indexed [r, g, b] with outputs in
[0, 1] (or the file's domain). In `.cube` files the red index varies fastest.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from .errors import UsageError
from .imageio import atomic_write

MAX_CUBE_SIZE = 256


def identity_lut(size: int = 33) -> np.ndarray:
    """The LUT that maps every colour to itself."""
    axis = np.linspace(0.0, 1.0, size, dtype=np.float32)
    r, g, b = np.meshgrid(axis, axis, axis, indexing="ij")
    return np.stack([r, g, b], axis=-1)


def read_cube(path: str | os.PathLike) -> np.ndarray:
    """Parse a `.cube` 3D LUT into an (N, N, N, 3) array indexed [r, g, b], domain mapped to [0, 1]."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read the .cube file ({exc})")
    size = None
    lo, hi = np.zeros(3, np.float32), np.ones(3, np.float32)
    rows: list[list[float]] = []
    for number, line in enumerate(lines, 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        key, _, rest = line.partition(" ")
        try:
            if key == "TITLE":
                continue
            if key == "LUT_1D_SIZE":
                raise UsageError(f"{path}: 1D LUTs are not supported; export a 3D LUT (LUT_3D_SIZE)")
            if key == "LUT_3D_SIZE":
                size = int(rest)
                if not 2 <= size <= MAX_CUBE_SIZE:
                    raise UsageError(f"{path}: LUT_3D_SIZE {size} is outside 2..{MAX_CUBE_SIZE}")
            elif key == "DOMAIN_MIN":
                lo = np.array(rest.split(), dtype=np.float32)
            elif key == "DOMAIN_MAX":
                hi = np.array(rest.split(), dtype=np.float32)
            elif key[0].isalpha():
                continue  # other keywords (LUT_3D_INPUT_RANGE, vendor extensions) do not change the table
            else:
                rows.append([float(v) for v in line.split()])
                if len(rows[-1]) != 3:
                    raise ValueError("expected three numbers")
        except ValueError as exc:
            raise UsageError(f"{path}: line {number} is not valid Cube syntax ({exc})")
    if size is None:
        raise UsageError(f"{path}: no LUT_3D_SIZE line; is this an Adobe .cube 3D LUT?")
    if len(rows) != size**3:
        raise UsageError(f"{path}: expected {size**3} table rows for LUT_3D_SIZE {size}, found {len(rows)}")
    if lo.shape != (3,) or hi.shape != (3,) or np.any(hi <= lo):
        raise UsageError(f"{path}: DOMAIN_MIN/DOMAIN_MAX must be three numbers with min < max")
    table = np.asarray(rows, dtype=np.float32).reshape(size, size, size, 3)  # [b, g, r]
    table = table.transpose(2, 1, 0, 3)  # -> [r, g, b]
    # The domain maps input colours onto the lattice; we keep the lattice on [0, 1] inputs.
    if np.any(lo != 0) or np.any(hi != 1):
        table = sample_lut(table, (identity_lut(size) - lo) / (hi - lo))
    return np.ascontiguousarray(table)


def write_cube(path: str | os.PathLike, lut: np.ndarray, title: str = "stylekit", overwrite: bool = False) -> Path:
    """Write an (N, N, N, 3) [r, g, b] LUT as an Adobe Cube 1.0 file, atomically."""
    path = Path(path)
    size = lut.shape[0]
    if lut.shape != (size, size, size, 3):
        raise UsageError(f"LUT must have shape (N, N, N, 3), got {lut.shape}")
    body = np.clip(lut, 0.0, 1.0).transpose(2, 1, 0, 3).reshape(-1, 3)  # red fastest
    safe_title = title.replace('"', "'")
    text = [f'TITLE "{safe_title}"', f"LUT_3D_SIZE {size}", "DOMAIN_MIN 0.0 0.0 0.0", "DOMAIN_MAX 1.0 1.0 1.0"]
    text += [f"{r:.6f} {g:.6f} {b:.6f}" for r, g, b in body]
    atomic_write(path, lambda tmp: tmp.write_text("\n".join(text) + "\n", encoding="utf-8"), overwrite=overwrite)
    return path


def sample_lut(lut: np.ndarray, rgb: np.ndarray, chunk: int = 1 << 20) -> np.ndarray:
    """Look up float RGB colours in [0, 1] by trilinear interpolation, in chunks to bound memory."""
    size = lut.shape[0]
    flat = rgb.reshape(-1, 3)
    out = np.empty_like(flat, dtype=np.float32)
    table = lut.reshape(-1, 3)
    for start in range(0, flat.shape[0], chunk):
        x = np.clip(flat[start : start + chunk], 0.0, 1.0) * (size - 1)
        i0 = np.minimum(x.astype(np.int32), size - 2)
        f = (x - i0).astype(np.float32)
        acc = np.zeros_like(f)
        for dr in (0, 1):
            wr = f[:, 0] if dr else 1 - f[:, 0]
            for dg in (0, 1):
                wg = f[:, 1] if dg else 1 - f[:, 1]
                for db in (0, 1):
                    wb = f[:, 2] if db else 1 - f[:, 2]
                    idx = ((i0[:, 0] + dr) * size + (i0[:, 1] + dg)) * size + (i0[:, 2] + db)
                    acc += (wr * wg * wb)[:, None] * table[idx]
        out[start : start + chunk] = acc
    return out.reshape(rgb.shape)
