"""Cube LUT reading, writing and trilinear application."""

from __future__ import annotations

import numpy as np
import pytest

from stylekit.errors import UsageError
from stylekit.lut import identity_lut, read_cube, sample_lut, write_cube


def test_identity_leaves_pixels_unchanged(tmp_path):
    write_cube(tmp_path / "id.cube", identity_lut(17))
    rgb = np.random.default_rng(0).random((20, 30, 3), dtype=np.float32)
    out = sample_lut(read_cube(tmp_path / "id.cube"), rgb)
    assert np.abs(out - rgb).max() < 1e-5


def test_known_lut_gives_known_pixels(tmp_path):
    # A hand-written 2^3 cube that swaps red and blue; red varies fastest in the file.
    rows = []
    for b in (0, 1):
        for g in (0, 1):
            for r in (0, 1):
                rows.append(f"{b} {g} {r}")
    (tmp_path / "swap.cube").write_text("TITLE \"swap\"\n# comment\nLUT_3D_SIZE 2\n" + "\n".join(rows) + "\n")
    lut = read_cube(tmp_path / "swap.cube")
    rgb = np.array([[[1.0, 0.0, 0.0], [0.2, 0.5, 0.9]]], np.float32)
    assert np.allclose(sample_lut(lut, rgb), rgb[..., ::-1], atol=1e-6)


def test_write_read_roundtrip(tmp_path):
    lut = np.random.default_rng(1).random((9, 9, 9, 3)).astype(np.float32)
    write_cube(tmp_path / "r.cube", lut)
    assert np.allclose(read_cube(tmp_path / "r.cube"), lut, atol=1e-6)


def test_domain_is_honoured(tmp_path):
    # Domain 0..2: the lattice covers twice the input range, so input 0.5 reads lattice point 0.25.
    lut = identity_lut(5) * 2.0
    body = "\n".join(f"{r} {g} {b}" for r, g, b in np.clip(lut, 0, 2).transpose(2, 1, 0, 3).reshape(-1, 3) / 2)
    (tmp_path / "d.cube").write_text("LUT_3D_SIZE 5\nDOMAIN_MIN 0 0 0\nDOMAIN_MAX 2 2 2\n" + body)
    out = sample_lut(read_cube(tmp_path / "d.cube"), np.array([[[0.5, 0.5, 0.5]]], np.float32))
    assert np.allclose(out, 0.25, atol=1e-6)


@pytest.mark.parametrize(
    "text, message",
    [
        ("LUT_1D_SIZE 4\n", "1D LUTs are not supported"),
        ("0 0 0\n", "no LUT_3D_SIZE"),
        ("LUT_3D_SIZE 2\n0 0 0\n", "expected 8 table rows"),
        ("LUT_3D_SIZE 2\n" + "0 0 x\n" * 8, "line 2 is not valid"),
    ],
)
def test_bad_cube_files(tmp_path, text, message):
    (tmp_path / "bad.cube").write_text(text)
    with pytest.raises(UsageError, match=message):
        read_cube(tmp_path / "bad.cube")
