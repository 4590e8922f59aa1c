"""The built-in edits plugin: formulas, identities, overlays, avatars, region masks, recipes."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

import stylekit_edits
from stylekit import plugins
from stylekit.edits import get_edit, get_edits
from stylekit.errors import StylekitError, UsageError
from stylekit.recipes import Recipe, Step, apply_recipe_edits, load_recipe, save_recipe
from stylekit_edits import adjust, avatar, overlays, regions, text

# skimage.data.astronaut(): NASA photo of Eileen Collins (public domain). The Haar cascade
# finds her face at this box (x, y, w, h), checked by test_astronaut_face_box.
ASTRONAUT_FACE = (177, 67, 93, 93)


@pytest.fixture(autouse=True)
def builtin_plugin(monkeypatch):
    """Only this plugin is registered, whatever else is installed."""
    monkeypatch.setenv("STYLEKIT_LOAD_PLUGINS", "")
    plugins.reset_plugin_manager()
    plugins.get_plugin_manager().register(stylekit_edits, name="stylekit_edits")
    try:
        yield
    finally:
        plugins.reset_plugin_manager()


@pytest.fixture(scope="module")
def astronaut():
    from skimage.data import astronaut as load

    return load().astype(np.float32) / 255.0


@pytest.fixture
def small():
    return np.random.default_rng(0).random((24, 32, 3), dtype=np.float32)


def _rgba(rgb):
    alpha = np.linspace(0.2, 1.0, rgb.shape[0] * rgb.shape[1], dtype=np.float32).reshape(rgb.shape[:2])
    return np.concatenate([rgb, alpha[..., None]], axis=2)


# --- registry and identities ---------------------------------------------------------

EXPECTED = {"exposure", "brightness", "contrast", "saturation", "vibrance", "temperature", "tint", "hue_shift",
            "gamma", "sharpness", "blur", "vignette", "grain", "crop", "resize", "rotate", "flip",
            "caption", "sticker", "frame", "avatar"}
REGION_EDITS = {"face", "person", "background", "clothes"}


def test_every_builtin_edit_is_registered_through_the_hook():
    edits = get_edits()
    assert set(edits) == EXPECTED | REGION_EDITS
    assert {e.kind for e in edits.values()} == {"adjust", "overlay", "avatar", "region"}
    assert all(e.description and all(p.description for p in e.params) for e in edits.values())


@pytest.mark.parametrize("name", sorted(EXPECTED))
@pytest.mark.parametrize("channels", [3, 4])
def test_neutral_values_return_the_input_exactly(name, channels, small):
    image = small if channels == 3 else _rgba(small)
    out = get_edit(name)(image)  # every parameter at its neutral value
    assert out is not image and out.dtype == np.float32
    assert np.array_equal(out, image)


@pytest.mark.parametrize(
    ("name", "params"),
    [("exposure", {"ev": 1e-4}), ("contrast", {"amount": 1.0001}), ("saturation", {"amount": 1.0001}),
     ("vibrance", {"amount": 1e-4}), ("hue_shift", {"degrees": 0.01}), ("sharpness", {"amount": 1e-4}),
     ("blur", {"sigma": 0.05}), ("vignette", {"amount": 1e-4}), ("grain", {"amount": 1e-5}),
     ("gamma", {"value": 1.0001})],
)
def test_near_neutral_values_are_close_to_the_identity(name, params, small):
    """The neutral shortcut agrees with the formula next to it (no jump at neutral)."""
    out = get_edit(name)(small, **params)
    assert np.abs(out - small).max() < 2e-3


def test_plugin_import_is_light():
    code = ("import sys, stylekit_edits; heavy = {'cv2', 'skimage', 'torch', 'numpy', 'PIL'} & set(sys.modules);"
            "print(sorted(heavy))")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert result.stdout.strip() == "[]"


# --- formulas ------------------------------------------------------------------------

def test_brightness_adds_an_offset(small):
    assert np.allclose(adjust.brightness(small, 0.1), np.clip(small + 0.1, 0, 1))
    assert adjust.brightness(np.full((1, 1, 3), 0.95, np.float32), 0.1).max() == 1.0


def test_contrast_scales_around_mid_grey():
    x = np.array([[[0.25, 0.5, 0.75]]], np.float32)
    assert np.allclose(adjust.contrast(x, 2.0), [[[0.0, 0.5, 1.0]]])
    assert np.allclose(adjust.contrast(x, 0.5), [[[0.375, 0.5, 0.625]]])
    assert np.allclose(adjust.contrast(x, 0.0), 0.5)


def test_saturation_scales_chroma_around_rec709_luma():
    x = np.array([[[0.8, 0.4, 0.2]]], np.float32)
    y = 0.2126 * 0.8 + 0.7152 * 0.4 + 0.0722 * 0.2
    assert np.allclose(adjust.saturation(x, 0.0), y)
    assert np.allclose(adjust.saturation(x, 0.5), y + (x - y) * 0.5)
    assert np.allclose(adjust.saturation(x, 1.5), np.clip(y + (x - y) * 1.5, 0, 1))


def test_vibrance_boosts_muted_colours_more():
    muted = np.array([[[0.5, 0.45, 0.4]]], np.float32)
    vivid = np.array([[[0.9, 0.2, 0.1]]], np.float32)

    def chroma(im):
        return float(im.max() - im.min())

    gain_muted = chroma(adjust.vibrance(muted, 0.5)) / chroma(muted)
    gain_vivid = chroma(adjust.vibrance(vivid, 0.5)) / chroma(vivid)
    assert gain_muted == pytest.approx(1 + 0.5 * (1 - 0.1), rel=1e-4)
    assert gain_vivid < gain_muted


def test_temperature_and_tint_shift_channels_by_a_tenth_per_unit():
    grey = np.full((1, 1, 3), 0.5, np.float32)
    assert np.allclose(adjust.temperature(grey, 1.0), [[[0.6, 0.5, 0.4]]])
    assert np.allclose(adjust.temperature(grey, -0.5), [[[0.45, 0.5, 0.55]]])
    assert np.allclose(adjust.tint(grey, 1.0), [[[0.5, 0.4, 0.5]]])


def test_exposure_is_stops_in_linear_light():
    x = np.full((1, 1, 3), 0.5, np.float32)
    lin = ((0.5 + 0.055) / 1.055) ** 2.4
    doubled = 1.055 * (2 * lin) ** (1 / 2.4) - 0.055
    assert np.allclose(adjust.exposure(x, 1.0), doubled, atol=1e-5)
    assert np.allclose(adjust.exposure(adjust.exposure(x, 1.0), -1.0), x, atol=1e-5)
    assert adjust.exposure(np.zeros((1, 1, 3), np.float32), 3.0).max() == 0.0


def test_gamma_and_hue_shift():
    x = np.full((1, 1, 3), 0.25, np.float32)
    assert np.allclose(adjust.gamma(x, 2.0), 0.5)
    red = np.array([[[1.0, 0.0, 0.0]]], np.float32)
    assert np.allclose(adjust.hue_shift(red, 120), [[[0, 1, 0]]], atol=1e-6)
    assert np.allclose(adjust.hue_shift(red, -120), [[[0, 0, 1]]], atol=1e-6)


def test_sharpness_and_blur_change_local_contrast(small):
    def detail(im):
        return float(np.abs(np.diff(im, axis=1)).mean())

    assert detail(adjust.sharpness(small, 1.0)) > detail(small) > detail(adjust.blur(small, 2.0))
    assert adjust.blur(small, 2.0).shape == small.shape


def test_vignette_darkens_corners_not_centre():
    grey = np.full((41, 41, 3), 0.5, np.float32)
    out = adjust.vignette(grey, amount=0.6, radius=0.3, softness=0.5)
    assert out[20, 20, 0] == pytest.approx(0.5)
    assert out[0, 0, 0] < 0.5 * (1 - 0.5)
    assert adjust.vignette(grey, amount=-0.6)[0, 0, 0] > 0.5


def test_grain_is_reproducible_with_a_seed(small):
    a = adjust.grain(small, amount=0.05, seed=3)
    assert np.array_equal(a, adjust.grain(small, amount=0.05, seed=3))
    assert not np.array_equal(a, adjust.grain(small, amount=0.05, seed=4))
    grey = np.full((200, 200, 3), 0.5, np.float32)
    noise = adjust.grain(grey, amount=0.05, seed=1)[..., 0] - 0.5
    assert noise.std() == pytest.approx(0.05, rel=0.05)
    assert np.array_equal(adjust.grain(grey, amount=0.05, seed=1)[..., 0], adjust.grain(grey, 0.05, seed=1)[..., 2])
    coarse = adjust.grain(grey, amount=0.05, size=4, seed=1)[..., 0] - 0.5
    assert coarse.std() == pytest.approx(0.05, rel=0.1)


def test_crop_resize_rotate_flip_geometry(small):
    assert adjust.crop(small, left=0.25, top=0.5).shape == (12, 24, 3)
    assert adjust.crop(small, aspect="1:1").shape == (24, 24, 3)
    assert adjust.crop(small, aspect="9:16").shape[:2] == (24, 14)
    with pytest.raises(UsageError, match="crop would leave nothing"):
        adjust.crop(small, left=0.5, right=0.5)
    assert adjust.resize(small, scale=0.5).shape == (12, 16, 3)
    assert adjust.resize(small, width=64).shape == (48, 64, 3)
    assert adjust.resize(small, width=10, height=10).shape == (10, 10, 3)
    assert np.array_equal(adjust.rotate(small, 90), np.rot90(small))
    assert np.array_equal(adjust.rotate(adjust.rotate(small, 90), -90), small)
    tilted = adjust.rotate(small, 30)
    assert tilted.shape[2] == 4 and tilted.shape[0] > 24 and tilted[0, 0, 3] == 0.0
    assert np.array_equal(adjust.flip(small, horizontal=True), small[:, ::-1])
    assert np.array_equal(adjust.flip(small, vertical=True), small[::-1])


def test_colour_edits_keep_alpha(small):
    image = _rgba(small)
    for name, params in [("contrast", {"amount": 1.5}), ("temperature", {"amount": 0.5}),
                         ("hue_shift", {"degrees": 40}), ("grain", {"amount": 0.1})]:
        out = get_edit(name)(image, **params)
        assert np.array_equal(out[..., 3], image[..., 3]), name


# --- overlays ------------------------------------------------------------------------

def test_runs_pick_a_font_per_glyph():
    runs = text.split_runs("Hi 你好 😀👍🏽!", text.font_chain())
    assert [(getattr(s, "name", s), r) for s, r in runs] == [
        ("DejaVuSans.ttf", "Hi "), ("DroidSansFallback.ttf", "你好 "), ("emoji", "😀👍🏽"), ("DejaVuSans.ttf", "!")]


def test_cjk_glyphs_are_real_not_missing_boxes():
    chain = text.font_chain()

    def glyph(ch):
        tile = text.render_lines([ch], 40, chain, text.TextStyle())
        return np.asarray(tile.getchannel("A"))

    a, b, missing_1, missing_2 = glyph("你"), glyph("好"), glyph("\U000F0000"), glyph("\U000F0001")
    assert a.max() == 255 and not np.array_equal(a, b)
    assert np.array_equal(missing_1, missing_2)  # both drawn as the same "missing" box


def test_caption_with_emoji_and_chinese_draws_colour_inside_the_image():
    grey = np.full((200, 300, 3), 0.5, np.float32)
    out = overlays.caption(grey, text="Weekend! 周末快乐 😀🎉", size=0.12, position="bottom")
    changed = np.argwhere(np.abs(out - grey).max(axis=2) > 0)
    assert len(changed) > 500
    assert changed[:, 0].min() > 100  # bottom half only
    chroma = out.max(axis=2) - out.min(axis=2)
    assert chroma.max() > 0.5  # the colour emoji, not just white text and black outline
    assert np.array_equal(out[:80], grey[:80])


def test_caption_wraps_and_shrinks_to_stay_inside():
    grey = np.full((120, 90, 3), 0.5, np.float32)
    long = "a long caption that could never fit on one line " * 3
    out = overlays.caption(grey, text=long, size=0.2, margin=0.05)
    changed = np.argwhere(np.abs(out - grey).max(axis=2) > 0)
    assert changed.size and changed[:, 1].min() >= 3 and changed[:, 1].max() <= 86
    assert changed[:, 0].min() >= 3


def test_caption_shadow_and_unknown_font(tmp_path):
    grey = np.full((100, 100, 3), 0.8, np.float32)
    plain = overlays.caption(grey, text="Hi", outline=0)
    shadowed = overlays.caption(grey, text="Hi", outline=0, shadow=0.2)
    assert shadowed.min() < plain.min()
    with pytest.raises(UsageError, match="Font file .* not found"):
        overlays.caption(grey, text="Hi", font=str(tmp_path / "none.ttf"))


def _write_sticker(path):
    pixels = np.zeros((40, 40, 4), np.uint8)
    pixels[10:30, 10:30] = (255, 0, 0, 255)  # opaque red square in a transparent margin
    Image.fromarray(pixels, "RGBA").save(path)
    return path


def test_sticker_pastes_with_alpha(tmp_path):
    grey = np.full((100, 200, 3), 0.5, np.float32)
    path = _write_sticker(tmp_path / "s.png")
    out = overlays.sticker(grey, path=str(path), x=0.5, y=0.5, scale=0.2)
    assert np.allclose(out[50, 100], [1, 0, 0], atol=1e-3)
    assert np.array_equal(out[50, 81], grey[50, 81])  # the transparent margin leaves pixels alone
    turned = overlays.sticker(grey, path=str(path), x=0.5, y=0.5, scale=0.2, rotation=45)
    assert np.allclose(turned[50, 100], [1, 0, 0], atol=1e-3) and not np.array_equal(turned, out)
    half = overlays.sticker(grey, path=str(path), x=0.5, y=0.5, scale=0.2, opacity=0.5)
    assert np.allclose(half[50, 100], [0.75, 0.25, 0.25], atol=1e-3)


def test_frame_adds_a_border_and_rounds_corners(small):
    framed = overlays.frame(small, width=0.25, color="#ff0000")
    assert framed.shape == (36, 44, 3)
    assert np.array_equal(framed[6:30, 6:38], small) and np.allclose(framed[0, 0], [1, 0, 0])
    rounded = overlays.frame(small, width=0.25, color="#ff0000", radius=0.25)
    assert rounded.shape == (36, 44, 4) and rounded[0, 0, 3] == 0.0 and rounded[18, 22, 3] == 1.0
    assert rounded[18, 0, 3] == 1.0  # the straight edge is untouched


# --- avatars -------------------------------------------------------------------------

def test_astronaut_face_box(astronaut):
    faces = avatar.detect_faces(astronaut)
    assert faces and np.allclose(faces[0], ASTRONAUT_FACE, atol=4)


def test_circular_avatar_is_centred_on_the_face_with_transparent_corners(astronaut):
    out = get_edit("avatar")(astronaut, size=256, circle=True, headroom=0.0)
    assert out.shape == (256, 256, 4)
    assert out[0, 0, 3] == 0.0 and out[0, -1, 3] == 0.0 and out[-1, 0, 3] == 0.0 and out[-1, -1, 3] == 0.0
    assert out[128, 128, 3] == 1.0 and out[128, 2, 3] > 0.9
    # The square is zoom x the face, so the face box maps to the middle 1/zoom of it.
    x, y, w, h = ASTRONAUT_FACE
    side = round(2.2 * w)
    left, top = round(x + w / 2 - side / 2), round(y + h / 2 - side / 2)
    expected = _crop_resize(astronaut, left, top, side, 256)
    assert np.abs(out[..., :3] - expected).mean() < 0.01
    found = avatar.detect_faces(out[..., :3])
    assert found
    fx, fy, fw, fh = found[0]
    assert abs(fx + fw / 2 - 128) < 0.05 * 256 and abs(fy + fh / 2 - 128) < 0.05 * 256


def _crop_resize(image, left, top, side, size):
    import cv2

    return cv2.resize(np.ascontiguousarray(image[top:top + side, left:left + side]), (size, size),
                      interpolation=cv2.INTER_AREA if side > size else cv2.INTER_CUBIC)


def test_default_headroom_puts_the_face_a_little_below_centre(astronaut):
    out = avatar.avatar(astronaut, size=128)
    fx, fy, fw, fh = avatar.detect_faces(out)[0]
    assert out.shape == (128, 128, 3)
    assert abs(fx + fw / 2 - 64) < 8 and 0 < fy + fh / 2 - 64 < 20


def test_no_face_is_a_clear_error_unless_fallback_center():
    from skimage.data import chelsea  # a cat: the human face cascade finds nothing

    cat = chelsea().astype(np.float32) / 255.0
    with pytest.raises(avatar.NoFaceFoundError, match="No face found.*--fallback center") as info:
        get_edit("avatar")(cat, size=128)
    assert isinstance(info.value, StylekitError)
    out = get_edit("avatar")(cat, size=128, fallback="center")
    side = min(cat.shape[:2])
    left = (cat.shape[1] - side) // 2
    assert np.abs(out - _crop_resize(cat, left, 0, side, 128)).max() < 1e-5


def test_avatar_size_must_be_a_preset(astronaut):
    with pytest.raises(UsageError, match="one of: 0, 128, 256, 512, 1024"):
        get_edit("avatar")(astronaut, size=300)


# --- region masks --------------------------------------------------------------------

@pytest.fixture(scope="module")
def masks(astronaut):
    person = regions.person_mask(astronaut, ASTRONAUT_FACE)
    return {r: regions.region_mask(astronaut, r, face=ASTRONAUT_FACE, person=person) for r in regions.REGIONS}


def test_region_masks_on_the_astronaut(masks):
    face_centre, suit, backdrop = (113, 223), (400, 100), (50, 480)
    assert masks["person"][face_centre] > 0.99 and masks["person"][suit] > 0.99 and masks["person"][backdrop] < 0.01
    assert masks["face"][face_centre] > 0.99 and masks["face"][suit] < 0.01
    assert masks["clothes"][suit] > 0.99 and masks["clothes"][face_centre] < 0.01
    assert masks["background"][backdrop] > 0.99 and masks["background"][face_centre] < 0.01
    assert np.allclose(masks["background"], 1.0 - masks["person"], atol=1e-5)
    assert (masks["face"] <= masks["person"] + 1e-5).all() and (masks["clothes"] <= masks["person"] + 1e-5).all()
    soft = masks["person"][(masks["person"] > 0.05) & (masks["person"] < 0.95)]
    assert soft.size > 500  # a feathered edge, not a hard cut
    assert all(m.dtype == np.float32 and m.min() >= 0 and m.max() <= 1 for m in masks.values())


def test_regions_are_registered_as_region_edits(astronaut):
    from stylekit.masks import limit_to_region

    edit = get_edit("clothes")
    assert edit.kind == "region" and not edit.shortcut
    mask = edit(astronaut)  # the registered edit finds the face and returns the mask
    assert mask.shape == astronaut.shape[:2] and np.array_equal(mask, regions.region_mask(astronaut, "clothes"))
    styled = 1.0 - astronaut
    expected = astronaut * (1 - mask[..., None]) + styled * mask[..., None]
    np.testing.assert_allclose(limit_to_region(astronaut, styled, region="clothes"), expected, atol=1e-6)


def test_region_mask_is_deterministic(astronaut, masks):
    assert np.array_equal(regions.region_mask(astronaut, "person", face=ASTRONAUT_FACE), masks["person"])


def test_region_errors(astronaut):
    with pytest.raises(UsageError, match="Unknown region 'hat'"):
        regions.region_mask(astronaut, "hat")
    flat = np.full((64, 64, 3), 0.5, np.float32)
    with pytest.raises(avatar.NoFaceFoundError, match=r"pass a mask file \(--mask\) instead of the 'person' region"):
        regions.region_mask(flat, "person")


def test_blend_and_limit_to_region(tmp_path, small):
    styled = 1.0 - small
    mask = np.zeros(small.shape[:2], np.float32)
    mask[:, :16] = 1.0
    mask[:, 16] = 0.25
    out = regions.blend_with_mask(small, styled, mask)
    assert np.array_equal(out[:, :16], styled[:, :16]) and np.array_equal(out[:, 17:], small[:, 17:])
    assert np.allclose(out[:, 16], 0.75 * small[:, 16] + 0.25 * styled[:, 16])
    Image.fromarray((mask * 255).astype(np.uint8), "L").resize((64, 48), Image.NEAREST).save(tmp_path / "m.png")
    loaded = regions.load_mask(tmp_path / "m.png", small.shape)
    assert loaded.shape == small.shape[:2] and loaded[0, 0] == 1.0 and loaded[0, -1] == 0.0
    limited = regions.limit_to_region(small, styled, mask=str(tmp_path / "m.png"))
    assert np.allclose(limited[:, :14], styled[:, :14]) and np.allclose(limited[:, 20:], small[:, 20:])
    assert regions.limit_to_region(small, styled) is styled
    with pytest.raises(UsageError, match="either a region or a mask"):
        regions.limit_to_region(small, styled, region="face", mask="m.png")
    with pytest.raises(UsageError, match="apply crops and resizes after the transfer"):
        regions.blend_with_mask(small, styled[:10], mask)


def test_mask_from_alpha_channel(tmp_path):
    pixels = np.zeros((10, 10, 4), np.uint8)
    pixels[..., 3] = 0
    pixels[:, 5:, 3] = 255
    Image.fromarray(pixels, "RGBA").save(tmp_path / "a.png")
    mask = regions.load_mask(tmp_path / "a.png")
    assert mask[:, :5].max() == 0.0 and mask[:, 5:].min() == 1.0


# --- recipes with the real edits -----------------------------------------------------

def test_recipe_replays_real_edits_to_identical_pixels(tmp_path, astronaut):
    sticker = _write_sticker(tmp_path / "star.png")
    recipe = Recipe(
        influencer="aurora", strength=0.7,
        edits=[Step("exposure", {"ev": 0.3}), Step("contrast", {"amount": 1.1}), Step("temperature", {"amount": 0.2}),
               Step("grain", {"amount": 0.03, "seed": 11}), Step("vignette", {"amount": 0.3})],
        overlays=[Step("caption", {"text": "周末 🎉 weekend", "shadow": 0.1}),
                  Step("sticker", {"path": str(sticker), "x": 0.8, "y": 0.2, "rotation": 15}),
                  Step("frame", {"width": 0.03, "color": "#ffeedd", "radius": 0.08})],
        avatar={"size": 256, "circle": True},
    )
    first = apply_recipe_edits(astronaut, recipe)
    path = save_recipe(recipe, tmp_path / "look.toml")
    replayed = apply_recipe_edits(astronaut, load_recipe(path))
    assert first.shape == (256 + 2 * 8, 256 + 2 * 8, 4)
    assert np.array_equal(replayed, first)
