"""The bundled demo influencers: both modalities load, and `recommend` ranks each first
on held-out material in its style (photos of scenes outside its feed, newly written posts)."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import stylekit

ROOT = Path(__file__).resolve().parents[1]


def _module(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(path.parent))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(path.parent))
    return module


@pytest.fixture(scope="module")
def looks():
    return _module(ROOT / "benchmarks" / "looks.py")


@pytest.fixture(scope="module")
def corpora():
    return _module(ROOT / "scripts" / "make_text_corpora.py")


def held_out_photos(tmp_path: Path, look, name: str) -> Path:
    """Crops of a photo that is in neither demo feed (the stereo motorcycle), in the look."""
    from skimage import data

    left, right = data.stereo_motorcycle()[:2]
    folder = tmp_path / name
    folder.mkdir()
    for i, photo in enumerate((left, right)):
        for j, (top, lft) in enumerate(((0, 0), (100, 200), (200, 400))):
            crop = photo[top : top + 300, lft : lft + 400].astype(np.float32) / 255
            graded = np.clip(look(name, crop), 0, 1)
            Image.fromarray((graded * 255).round().astype(np.uint8)).save(folder / f"{i}{j}.png")
    return folder


def test_demo_packs_have_look_and_voice():
    for name in ("aurora", "noir"):
        pack = stylekit.load_pack(name)
        assert pack.bundled and pack.consent and pack.licence == "CC0-1.0"
        assert pack.modalities["image"]["engine"] == "gan" and pack.modalities["text"]["engine"] == "seq2seq"


def test_demo_voice_keeps_content():
    sentence = "I went to the market and bought fresh bread."
    for name in ("aurora", "noir"):
        out = stylekit.stylize_text(sentence, name, seed=0)[0]
        assert "market" in out and "fresh bread" in out and out != sentence
        assert stylekit.stylize_text(sentence, name, 0.0) == [sentence]


def test_recommend_ranks_each_demo_influencer_first(tmp_path, looks, corpora):
    for k, name in enumerate(("aurora", "noir")):
        photos = held_out_photos(tmp_path, looks.apply_look, name)
        maker = corpora.make_aurora if name == "aurora" else corpora.make_noir
        posts = maker(random.Random(1000 + k), 60)  # a new seed: posts the pack never saw
        result = stylekit.recommend(photos=photos, posts=posts)
        assert result.matches[0].name == name, [(m.name, m.score) for m in result.matches]
        assert result.margin > 0
        assert stylekit.recommend(photos=photos).matches[0].name == name
        assert stylekit.recommend(posts=posts).matches[0].name == name
