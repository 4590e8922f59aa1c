"""Personalisation through the API and the CLI: edits, avatar, region, recipes, post cards."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from PIL import Image
from typer.testing import CliRunner

import stylekit
from stylekit.recipes import Recipe
from stylekit_cli.app import build_app

ROOT = Path(__file__).resolve().parents[1]
FACE = ROOT / "examples" / "photos" / "astronaut.jpg"


def run(*args):
    return CliRunner().invoke(build_app(), [str(a) for a in args])


def test_circular_avatar_centred_on_detected_face(tmp_path):
    from stylekit_edits.avatar import detect_faces

    result = run("image", FACE, "--influencer", "sunset", "--avatar", "--circle", "--avatar-size", "256", "-o", tmp_path / "a.png")
    assert result.exit_code == 0, result.output
    avatar = np.asarray(Image.open(tmp_path / "a.png"))
    assert avatar.shape == (256, 256, 4)
    assert avatar[0, 0, 3] == 0 and avatar[-1, -1, 3] == 0 and avatar[128, 128, 3] == 255
    x, y, w, h = max(detect_faces(avatar[..., :3].astype(np.float32) / 255), key=lambda b: b[2] * b[3])
    assert abs((x + w / 2) - 128) < 0.08 * 256 and abs((y + h / 2) - 128) < 0.15 * 256
    meta = stylekit.inspect_image(tmp_path / "a.png")["stylekit"]
    assert meta["recipe"]["avatar"]["circle"] is True


def test_no_face_is_a_clear_error_unless_fallback(tmp_path):
    cat = ROOT / "examples" / "photos" / "chelsea.jpg"
    failed = run("image", cat, "--avatar", "-o", tmp_path / "a.png")
    assert failed.exit_code == 1 and "face" in failed.stderr.lower()
    ok = run("image", cat, "--avatar", "--fallback", "center", "--avatar-size", "128", "-o", tmp_path / "b.png")
    assert ok.exit_code == 0 and Image.open(tmp_path / "b.png").size == (128, 128)


def test_edit_flags_match_edit_functions(png_photo, tmp_path):
    result = run("image", png_photo, "--contrast", "1.2", "--brightness", "0.05", "-o", tmp_path / "e.png")
    assert result.exit_code == 0, result.output
    rgb = np.asarray(Image.open(png_photo), dtype=np.float32) / 255
    # Shortcut flags apply in `stylekit edits` order of SHORTCUTS: brightness before contrast.
    expected = np.clip((np.clip(rgb + 0.05, 0, 1) - 0.5) * 1.2 + 0.5, 0, 1)
    got = np.asarray(Image.open(tmp_path / "e.png"), dtype=np.float32) / 255
    assert np.abs(got - expected).max() <= 1 / 255 + 1e-6


def test_out_of_range_edit_is_usage_error(png_photo):
    result = run("image", png_photo, "--contrast", "9")
    assert result.exit_code == 2 and "contrast.amount=9" in result.stderr


def test_recipe_roundtrip_gives_same_pixels(tmp_path):
    first = run("image", FACE, "-i", "sunset", "--grain", "0.05", "--vignette", "0.3", "--caption", "周末 🎉 weekend",
                "--overlay", "frame:width=0.03,radius=0.05", "-o", tmp_path / "a.png", "--save-recipe", tmp_path / "r.toml")
    assert first.exit_code == 0, first.output
    second = run("image", FACE, "--recipe", tmp_path / "r.toml", "-o", tmp_path / "b.png")
    assert second.exit_code == 0, second.output
    assert np.array_equal(np.asarray(Image.open(tmp_path / "a.png")), np.asarray(Image.open(tmp_path / "b.png")))
    mixed = run("image", FACE, "--recipe", tmp_path / "r.toml", "--contrast", "1.1")
    assert mixed.exit_code == 2 and "--recipe replays" in mixed.stderr


def test_region_limits_the_look(tmp_path):
    rgb = np.asarray(Image.open(FACE), dtype=np.float32) / 255
    recipe = Recipe(influencer="sunset", region="background")
    out, alpha = stylekit.personalise(rgb, recipe)
    full, _ = stylekit.personalise(rgb, Recipe(influencer="sunset"))
    changed = np.abs(out - rgb).mean(axis=2)
    face_box = (slice(67, 160), slice(177, 270))  # the detected face: kept as it was
    assert changed[face_box].mean() < 0.25 * np.abs(full - rgb).mean(axis=2)[face_box].mean()
    assert changed[:40, :40].mean() > 0.5 * np.abs(full - rgb).mean(axis=2)[:40, :40].mean()


def test_mask_file(tmp_path, png_photo):
    mask = np.zeros((48, 64), np.uint8)
    mask[:, 32:] = 255
    Image.fromarray(mask).save(tmp_path / "m.png")
    result = run("image", png_photo, "-i", "sunset", "--mask", tmp_path / "m.png", "-o", tmp_path / "o.png")
    assert result.exit_code == 0, result.output
    out = np.asarray(Image.open(tmp_path / "o.png"), dtype=np.int16)
    src = np.asarray(Image.open(png_photo), dtype=np.int16)
    assert np.abs(out[:, :20] - src[:, :20]).max() <= 1 and np.abs(out[:, 44:] - src[:, 44:]).mean() > 3


def test_nothing_to_do(png_photo):
    result = run("image", png_photo)
    assert result.exit_code == 2 and "Nothing to do" in result.stderr


def test_post_card_layouts(tmp_path):
    result = run("post", FACE, "-i", "sunset", "--caption", "Beach day 🌊 海边", "-o", tmp_path / "p.jpg", "--layout", "both")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "Beach day 🌊 海边"  # sunset has no voice: kept, with a warning
    assert "no voice" in result.stderr
    assert Image.open(tmp_path / "p_square.jpg").size == (1080, 1080)
    assert Image.open(tmp_path / "p_story.jpg").size == (1080, 1920)
    assert stylekit.inspect_image(tmp_path / "p_story.jpg")["stylekit"]["layout"] == "story"


def test_edits_listing():
    data = json.loads(run("edits", "--json").stdout)
    names = {e["name"] for e in data}
    assert {"brightness", "contrast", "caption", "sticker", "frame", "avatar", "grain"} <= names
