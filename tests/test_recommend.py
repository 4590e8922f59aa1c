"""`stylekit recommend`: held-out material of an influencer ranks that influencer first."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

import stylekit
from stylekit import hookimpl
from stylekit.engines import LoadedStyle, StyleTransfer
from stylekit.plugins import get_plugin_manager



def scene(seed: int, size=(64, 64)) -> np.ndarray:
    """An everyday-looking synthetic photo: a lit gradient with mildly coloured blobs, 0..255."""
    rng = np.random.default_rng(seed)
    h, w = size
    y, x = np.mgrid[0:h, 0:w] / np.array([h, w]).reshape(2, 1, 1)
    light = rng.uniform(0.3, 0.7) + rng.uniform(-0.3, 0.3) * x + rng.uniform(-0.3, 0.3) * y
    img = np.repeat(light[..., None], 3, axis=2) * (1 + rng.uniform(-0.08, 0.08, 3))
    for _ in range(6):
        cy, cx, r = rng.uniform(0, 1, 2).tolist() + [rng.uniform(0.05, 0.25)]
        mask = ((y - cy) ** 2 + (x - cx) ** 2) < r**2
        grey = rng.uniform(0.05, 0.95)
        img[mask] = grey * (1 + rng.uniform(-0.25, 0.25, 3))
    return np.clip(img, 0, 1) * 255

LOOKS = {
    "warm": lambda x: np.clip(0.06 + x * np.array([1.08, 0.97, 0.78]), 0, 1),
    "cool": lambda x: np.clip((x - 0.5) * 1.3 + 0.5, 0, 1) * np.array([0.85, 0.95, 1.1]),
}
WORDS = "the market bread morning coffee walk friends rain city light weekend dinner music train park book".split()


def voiced(voice: str, rng: random.Random) -> str:
    sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 10)))
    if voice == "warm":
        return f"OMG {sentence.capitalize()} soooo good!! ✨ #goldenhour"
    return f"{sentence} ... quiet night 🖤"


class TextEngine(StyleTransfer):
    """A do-nothing text engine: these tests only need the descriptor core writes."""

    name, modality = "fake-text", "text"

    def train(self, data, out_dir, config, progress=None):
        return {"posts": len(data.posts)}

    def load(self, style_dir, device="cpu"):
        class Same(LoadedStyle):
            def apply(self, content, strength=1.0, **options):
                return [content]

        return Same()


class Plugin:
    @hookimpl
    def register_transfers(self, register):
        register(TextEngine)


@pytest.fixture
def influencers(tmp_path):
    pm = get_plugin_manager()
    pm.register(Plugin(), name="fake-text-plugin")
    rng = random.Random(0)
    held = {}
    try:
        for k, (name, look) in enumerate(LOOKS.items()):
            feed = tmp_path / name
            feed.mkdir()
            for i in range(6):
                rgb = look(scene(100 * k + i, (64, 64)) / 255.0)
                Image.fromarray((rgb * 255).astype(np.uint8)).save(feed / f"{i}.png")
            posts = tmp_path / f"{name}.txt"
            posts.write_text("\n".join(voiced(name, rng) for _ in range(60)), encoding="utf-8")
            stylekit.train("image", name, engine="classic", photos=feed)
            stylekit.train("text", name, engine="fake-text", posts=posts)
            out = tmp_path / f"held_{name}"
            out.mkdir()
            for i in range(6):
                rgb = look(scene(1000 + 10 * k + i, (64, 64)) / 255.0)
                Image.fromarray((rgb * 255).astype(np.uint8)).save(out / f"{i}.png")
            held_posts = tmp_path / f"held_{name}.txt"
            held_posts.write_text("\n".join(voiced(name, rng) for _ in range(30)), encoding="utf-8")
            held[name] = (out, held_posts)
        yield held
    finally:
        pm.unregister(name="fake-text-plugin")


def test_held_out_photos_and_posts_rank_their_influencer_first(influencers):
    for name, (photos, posts) in influencers.items():
        by_photos = stylekit.recommend(photos=photos)
        assert by_photos.matches[0].name == name and by_photos.margin > 0
        by_posts = stylekit.recommend(posts=posts)
        assert by_posts.matches[0].name == name
        both = stylekit.recommend(photos=photos, posts=posts)
        assert both.matches[0].name == name and both.matches[0].look is not None and both.matches[0].voice is not None


def test_small_samples_warn(influencers, tmp_path):
    photos, _ = influencers["warm"]
    one = tmp_path / "one"
    one.mkdir()
    (one / "a.png").write_bytes((photos / "0.png").read_bytes())
    result = stylekit.recommend(photos=one, posts=["omg so good ✨"])
    assert any("not reliable" in w and "photo" in w for w in result.warnings)
    assert any("post(s)" in w for w in result.warnings)


def test_cli_recommend(influencers):
    from stylekit_cli.app import build_app

    photos, posts = influencers["cool"]
    result = CliRunner().invoke(build_app(), ["recommend", "--photos", str(photos), "--posts", str(posts), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["matches"][0]["name"] == "cool" and data["margin"] > 0
    plain = CliRunner().invoke(build_app(), ["recommend", "--photos", str(photos)])
    assert plain.stdout.startswith("1. cool") and "margin to the runner-up" in plain.stdout


def test_recommend_needs_material():
    from stylekit.errors import UsageError

    with pytest.raises(UsageError, match="photos=PATH"):
        stylekit.recommend()
