"""3D colour lookup tables: Adobe Cube LUT 1.0 files and trilinear application.

A LUT here is a float32 array of shape (N, N, N, 3) indexed [r, g, b] with outputs in
[0, 1] (or the file's domain). In `.cube` files the red index varies fastest.

Two ways to apply one, both trilinear and torch-free: `sample_lut` (numpy, exact to
float32 rounding, for lattices and small arrays) and `apply_lut` (OpenCV's C `remap`,
for whole images: several times faster, within about 2e-4 of exact on float input, and
finer than 8 bits, so 16-bit photos keep their precision).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from .errors import UsageError
from .imageio import atomic_write

MAX_CUBE_SIZE = 65  # 65^3 rows is what grading tools export at most; larger tables cost gigabytes
MAX_CUBE_BYTES = 64 * 1024**2
REFINE_TO = 129  # `apply_lut` refines the green/blue lattice to about this many nodes (see there)
BAND_PIXELS = 1 << 20  # pixels `apply_lut` processes at once: bounds the temporary arrays
_REMAP_MAX = 32767  # OpenCV's remap takes images and maps smaller than this on each side


def identity_lut(size: int = 33) -> np.ndarray:
    """The LUT that maps every colour to itself."""
    axis = np.linspace(0.0, 1.0, size, dtype=np.float32)
    r, g, b = np.meshgrid(axis, axis, axis, indexing="ij")
    return np.stack([r, g, b], axis=-1)


def read_cube(path: str | os.PathLike) -> np.ndarray:
    """Parse a `.cube` 3D LUT into an (N, N, N, 3) array indexed [r, g, b], domain mapped to [0, 1]."""
    path = Path(path)
    try:
        if not path.is_file():
            raise UsageError(f"{path}: not a regular file; pass a .cube file")
        if path.stat().st_size > MAX_CUBE_BYTES:
            raise UsageError(f"{path}: larger than {MAX_CUBE_BYTES // 1024**2} MB, more than a LUT_3D_SIZE {MAX_CUBE_SIZE} table")
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
            elif key[0].isalpha() and key.lower() not in ("nan", "inf", "infinity"):
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
    if lo.shape != (3,) or hi.shape != (3,) or not np.all(np.isfinite(lo) & np.isfinite(hi)) or np.any(hi <= lo):
        raise UsageError(f"{path}: DOMAIN_MIN/DOMAIN_MAX must be three finite numbers with min < max")
    table = np.asarray(rows, dtype=np.float32).reshape(size, size, size, 3)  # [b, g, r]
    if not np.all(np.isfinite(table)):
        bad = int(np.argmin(np.isfinite(table).all(axis=-1).reshape(-1)))
        raise UsageError(f"{path}: table row {bad + 1} is not finite (nan or inf); fix or re-export the LUT")
    table = table.transpose(2, 1, 0, 3)  # -> [r, g, b]
    # The domain maps input colours onto the lattice; we keep the lattice on [0, 1] inputs.
    if np.any(lo != 0) or np.any(hi != 1):
        table = sample_lut(table, (identity_lut(size) - lo) / (hi - lo))
    return np.ascontiguousarray(table)


def write_cube(path: str | os.PathLike, lut: np.ndarray, title: str = "stylekit", overwrite: bool = False) -> Path:
    """Write an (N, N, N, 3) [r, g, b] LUT as an Adobe Cube 1.0 file, atomically."""
    path = Path(path)
    size = lut.shape[0]
    if lut.shape != (size, size, size, 3) or not 2 <= size <= MAX_CUBE_SIZE:
        raise UsageError(f"LUT must have shape (N, N, N, 3) with N from 2 to {MAX_CUBE_SIZE}, got {lut.shape}")
    if not np.all(np.isfinite(lut)):
        raise UsageError("LUT holds nan or inf values; nothing was written")
    body = np.clip(lut, 0.0, 1.0).transpose(2, 1, 0, 3).reshape(-1, 3)  # red fastest
    safe_title = title.replace('"', "'")
    text = [f'TITLE "{safe_title}"', f"LUT_3D_SIZE {size}", "DOMAIN_MIN 0.0 0.0 0.0", "DOMAIN_MAX 1.0 1.0 1.0"]
    text += [f"{r:.6f} {g:.6f} {b:.6f}" for r, g, b in body]
    atomic_write(path, lambda tmp: tmp.write_text("\n".join(text) + "\n", encoding="utf-8"), overwrite=overwrite)
    return path


def ordinary_colours(size: int = 17) -> np.ndarray:
    """Colours of ordinary saturation, (N, 3): the size^3 lattice less its most saturated
    corners (channel spread above 0.6), where no photo's colours lie."""
    grid = identity_lut(size).reshape(-1, 3)
    return grid[(grid.max(1) - grid.min(1)) <= 0.6]


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


def refine_lut(lut: np.ndarray, factor: int) -> np.ndarray:
    """The same trilinear function on a lattice `factor` times finer along green and blue.

    The new nodes include the old ones, so inside every old cell the function is unchanged;
    the result has shape (N, M, M, 3) with M = (N - 1) * factor + 1.
    """
    size = lut.shape[0]
    fine = (size - 1) * factor + 1
    pos = np.linspace(0.0, size - 1, fine)
    i0 = np.minimum(pos.astype(np.int64), size - 2)
    frac = (pos - i0).astype(np.float32)[:, None]
    lut = lut.astype(np.float32)
    # Each new node mixes its two old neighbours: blue first (small), then green.
    low, high = lut[:, :, i0], lut[:, :, i0 + 1]
    high -= low
    high *= frac
    low += high  # [r, g, b', c]
    low_g, high_g = low[:, i0], low[:, i0 + 1]
    high_g -= low_g
    high_g *= frac[:, None]
    low_g += high_g
    return low_g  # [r, g', b', c]


def remap_tiles(lut: np.ndarray) -> np.ndarray | None:
    """`lut` laid out for `apply_lut`: refined, one (M, M) [green, blue] tile per red level,
    stacked into an (N * M, M, 3) image; None if the lattice is too large for OpenCV."""
    size = lut.shape[0]
    factor = min(-(-(REFINE_TO - 1) // (size - 1)), (_REMAP_MAX // size - 1) // (size - 1))
    if factor < 1:
        return None
    fine = refine_lut(lut, factor)
    return fine.reshape(size * fine.shape[1], fine.shape[1], 3)


def apply_lut(
    lut: np.ndarray, rgb: np.ndarray, out: np.ndarray | None = None, tiles: np.ndarray | None = None, band: int = BAND_PIXELS
) -> np.ndarray:
    """Look up an (H, W, 3) float image in [0, 1] in an (N, N, N, 3) LUT, trilinearly, in C.

    OpenCV's `remap` samples the LUT laid out as a 2D image (`remap_tiles`, pass it in when
    applying one LUT to many images) bilinearly at the two red levels either side of each
    pixel; blending the two gives the trilinear result. `remap` places samples on a
    1/32-pixel grid, so the lattice is first refined (`refine_lut`, to about 129 nodes)
    to make that grid about 1/4096 of the input range: the result stays within about
    2e-4 (times the LUT's steepest slope) of exact interpolation on float input, and
    16-bit input keeps 12 bits or more on every channel (red is exact). Bands of about
    `band` pixels, through scratch buffers reused from band to band, bound memory.
    """
    import cv2

    if rgb.ndim != 3 or rgb.shape[2] != 3:
        raise UsageError(f"Expected an (H, W, 3) RGB image, got shape {rgb.shape}")
    h, w = rgb.shape[:2]
    if out is None:
        out = np.empty((h, w, 3), np.float32)
    size = lut.shape[0]
    if tiles is None:
        tiles = remap_tiles(lut)
    if tiles is None:  # a lattice too large to lay out for remap: the exact numpy path
        out[...] = sample_lut(lut, rgb)
        return out
    steps = tiles.shape[1] - 1
    cols = min(w, _REMAP_MAX - 1)
    rows = max(1, min(h, band // max(cols, 1)))
    # Scratch buffers for one band, reused by every band (fresh memory is costly to touch).
    red, map_x, map_y = (np.empty((rows, cols), np.float32) for _ in range(3))
    r0 = np.empty((rows, cols), np.int32)
    low, high = (np.empty((rows, cols, 3), np.float32) for _ in range(2))
    threads = cv2.getNumThreads()
    cv2.setNumThreads(1)  # bands are small: threads cost more CPU time than they save here
    try:
        for left in range(0, w, cols):
            for top in range(0, h, rows):
                src = rgb[top : top + rows, left : left + cols]
                n, m = src.shape[:2]
                fr, r0b, mx, my, lo, hi = red[:n, :m], r0[:n, :m], map_x[:n, :m], map_y[:n, :m], low[:n, :m], high[:n, :m]
                np.multiply(src[..., 0], np.float32(size - 1), out=fr)
                np.copyto(r0b, fr, casting="unsafe")  # truncation; clipped to a valid lower level next
                np.clip(r0b, 0, size - 2, out=r0b)
                fr -= r0b  # weight of the upper red level
                np.clip(fr, 0.0, 1.0, out=fr)
                np.clip(src[..., 2], 0.0, 1.0, out=mx)
                mx *= np.float32(steps)
                np.clip(src[..., 1], 0.0, 1.0, out=my)
                my *= np.float32(steps)
                my += r0b * np.float32(steps + 1)
                lo = cv2.remap(tiles, mx, my, cv2.INTER_LINEAR, dst=lo, borderMode=cv2.BORDER_REPLICATE)
                my += np.float32(steps + 1)
                hi = cv2.remap(tiles, mx, my, cv2.INTER_LINEAR, dst=hi, borderMode=cv2.BORDER_REPLICATE)
                hi -= lo
                hi *= fr[..., None]
                np.add(lo, hi, out=out[top : top + n, left : left + m])
    finally:
        cv2.setNumThreads(threads)
    return out
