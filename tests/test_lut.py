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


def _smooth_lut(size: int) -> np.ndarray:
    ident = identity_lut(size)
    return np.clip(ident**1.3 * np.array([0.9, 1.05, 1.0], np.float32) + 0.02 * np.sin(6 * ident[..., ::-1]), 0, 1).astype(np.float32)


@pytest.mark.parametrize("size", [2, 9, 33, 65])
def test_apply_lut_matches_exact_trilinear(size):
    from stylekit.lut import apply_lut

    lut = _smooth_lut(size)
    rgb = np.random.default_rng(size).random((37, 53, 3), dtype=np.float32)
    assert np.abs(apply_lut(lut, rgb) - sample_lut(lut, rgb)).max() < 5e-4


def test_apply_lut_bands_give_the_same_pixels_and_out_of_range_input_clamps():
    from stylekit.lut import apply_lut

    lut = _smooth_lut(17)
    rgb = np.random.default_rng(3).uniform(-0.2, 1.2, (29, 31, 3)).astype(np.float32)
    whole = apply_lut(lut, rgb)
    np.testing.assert_array_equal(apply_lut(lut, rgb, band=40), whole)  # bands of one row and a bit
    assert np.abs(whole - sample_lut(lut, np.clip(rgb, 0, 1))).max() < 5e-4


def test_apply_lut_handles_frames_wider_than_opencv_maps():
    from stylekit.lut import apply_lut

    lut = _smooth_lut(9)
    rgb = np.random.default_rng(5).random((2, 33000, 3), dtype=np.float32)  # remap maps stop at 32767
    assert np.abs(apply_lut(lut, rgb) - sample_lut(lut, rgb)).max() < 5e-4


def test_apply_lut_too_large_for_opencv_falls_back_to_exact():
    from stylekit.lut import apply_lut, remap_tiles

    lut = identity_lut(200)
    assert remap_tiles(lut) is None
    rgb = np.random.default_rng(4).random((5, 7, 3), dtype=np.float32)
    np.testing.assert_allclose(apply_lut(lut, rgb), rgb, atol=1e-6)
