"""Shared fixtures: an isolated STYLEKIT_HOME, a fresh plugin manager, tiny photos."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from stylekit.plugins import reset_plugin_manager


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory, monkeypatch) -> Path:
    """Every test gets its own empty store and reloads plugins from entry points."""
    home = tmp_path_factory.mktemp("stylekit_home")
    monkeypatch.setenv("STYLEKIT_HOME", str(home))
    monkeypatch.delenv("STYLEKIT_LOAD_PLUGINS", raising=False)
    monkeypatch.delenv("STYLEKIT_DEBUG", raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    reset_plugin_manager()
    yield home
    reset_plugin_manager()


def scene(seed: int, size: tuple[int, int] = (48, 64)) -> np.ndarray:
    """A small synthetic photo: smooth colour gradients plus a few blobs, uint8 RGB."""
    rng = np.random.default_rng(seed)
    h, w = size
    y, x = np.mgrid[0:h, 0:w] / np.array([h, w]).reshape(2, 1, 1)
    base = rng.uniform(0.1, 0.9, 3)
    slope = rng.uniform(-0.4, 0.4, (2, 3))
    img = base + x[..., None] * slope[0] + y[..., None] * slope[1]
    for _ in range(3):
        cy, cx, r = rng.uniform(0, 1), rng.uniform(0, 1), rng.uniform(0.1, 0.3)
        mask = ((y - cy) ** 2 + (x - cx) ** 2) < r**2
        img[mask] = rng.uniform(0, 1, 3)
    return (np.clip(img, 0, 1) * 255).astype(np.uint8)


@pytest.fixture
def photo_dir(tmp_path) -> Path:
    """A folder of four tiny JPEG photos."""
    folder = tmp_path / "photos"
    folder.mkdir()
    for i in range(4):
        Image.fromarray(scene(i)).save(folder / f"p{i}.jpg", quality=95)
    return folder


@pytest.fixture
def png_photo(tmp_path) -> Path:
    """One tiny lossless photo."""
    path = tmp_path / "me.png"
    Image.fromarray(scene(42)).save(path)
    return path
