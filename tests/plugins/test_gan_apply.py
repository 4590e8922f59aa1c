"""Applying a baked gan look (33^3 LUT + vignette) needs no torch, and matches torch's result."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from stylekit.lut import identity_lut
from stylekit_gan import LoadedLook
from stylekit_gan.transform import LookTransform

NO_TORCH = "assert 'torch' not in sys.modules, sorted(m for m in sys.modules if m.startswith('torch'))"


def _run(code: str, cwd, home) -> str:
    env = {**os.environ, "STYLEKIT_HOME": str(home)}
    done = subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_stylekit_image_with_a_baked_look_never_imports_torch(tmp_path, isolated_home):
    Image.fromarray(np.full((40, 60, 3), 120, np.uint8)).save(tmp_path / "photo.jpg")
    code = (
        "import sys\nfrom stylekit_cli import main\n"
        "sys.argv = ['stylekit', 'image', 'photo.jpg', '-i', 'aurora', '-o', 'out.jpg']\n"
        "try:\n    main()\nexcept SystemExit as exit:\n    assert not exit.code, exit.code\n" + NO_TORCH
    )
    _run(code, tmp_path, isolated_home)
    out = np.asarray(Image.open(tmp_path / "out.jpg"))
    assert out.shape == (40, 60, 3) and np.abs(out.astype(int) - 120).max() > 2  # the look changed it


def test_the_api_applies_and_mixes_baked_looks_without_torch(tmp_path, isolated_home):
    code = (
        "import sys, numpy as np, stylekit\n"
        "rgb = np.random.default_rng(0).random((32, 48, 3), dtype=np.float32)\n"
        "out = stylekit.stylize_image(rgb, 'aurora:0.5,noir:0.5', strength=0.8)\n"
        "assert out.shape == rgb.shape and np.abs(out - rgb).max() > 0.01\n" + NO_TORCH
    )
    _run(code, tmp_path, isolated_home)


def _torch_reference(look: LookTransform, rgb: np.ndarray) -> np.ndarray:
    """The look applied the way the engine did before it went torch-free: grid_sample."""
    torch = pytest.importorskip("torch")
    h, w, _ = rgb.shape
    lattice = torch.from_numpy(np.ascontiguousarray(look.lut.transpose(3, 2, 1, 0)))[None]
    grid = torch.from_numpy(rgb * 2 - 1).reshape(1, 1, 1, -1, 3)
    graded = torch.nn.functional.grid_sample(lattice, grid, mode="bilinear", padding_mode="border", align_corners=True)
    graded = graded.reshape(3, h, w).permute(1, 2, 0)
    u2, v2 = torch.linspace(-1, 1, w) ** 2, torch.linspace(-1, 1, h) ** 2
    r2 = (v2[:, None] + u2[None, :]) * 0.5
    a, b = (float(v) for v in look.vignette)
    return (graded * torch.exp(-(a * r2 + b * r2 * r2))[..., None]).clamp(0, 1).numpy()


def _warm_look() -> LookTransform:
    ident = identity_lut(33)
    lut = np.clip(ident**0.8 * np.array([1.1, 1.0, 0.85], np.float32) + 0.03, 0, 1).astype(np.float32)
    return LookTransform(lut, np.array([0.35, 0.1], np.float32))


@pytest.mark.parametrize("strength", [0.5, 1.0, 1.5])
def test_matches_the_torch_grid_sample_result(strength):
    rgb = np.random.default_rng(1).random((70, 90, 3), dtype=np.float32)
    look = _warm_look().scaled(strength)
    diff = np.abs(LoadedLook(_warm_look()).apply(rgb, strength) - _torch_reference(look, rgb))
    assert diff.max() < 5e-4 and diff.mean() < 1e-4


def test_16_bit_input_keeps_more_than_8_bit_precision():
    # A ramp in 4096 steps through every channel: the output must not collapse to 256 levels.
    ramp = np.linspace(0.2, 0.8, 4096, dtype=np.float32)
    rgb = np.repeat(ramp[None, :, None], 3, axis=2)
    out = LookTransform(_warm_look().lut, np.zeros(2, np.float32)).apply(rgb)
    assert len(np.unique(out[..., 2])) > 2000
    assert np.all(np.diff(out[0, :, 2]) >= -1e-6)  # still monotone, no quantisation wiggles
