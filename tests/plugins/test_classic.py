"""The classic engine, numerically: Reinhard, histogram matching, LUT presets, mixing."""

from __future__ import annotations

import numpy as np
import pytest
from skimage.color import rgb2lab

import stylekit
from stylekit.api import apply_image_style
from stylekit.errors import UsageError
from stylekit.lut import identity_lut, sample_lut, write_cube
from stylekit_classic.engine import ClassicStyle, channel_quantiles, histogram_map, reinhard

from ..conftest import scene


def _float(seed, size=(48, 64)):
    return scene(seed, size).astype(np.float32) / 255.0


def test_reinhard_matches_target_lab_statistics():
    rgb = _float(1) * 0.6 + 0.2  # keep away from the gamut edges so clipping does not bias stats
    target_mean = np.array([55.0, 8.0, -6.0], np.float32)
    target_std = np.array([12.0, 6.0, 7.0], np.float32)
    lab = rgb2lab(reinhard(rgb, target_mean, target_std)).reshape(-1, 3)
    assert np.allclose(lab.mean(0), target_mean, atol=1.5)
    assert np.allclose(lab.std(0), target_std, rtol=0.12)


def test_histogram_map_matches_target_quantiles():
    rng = np.random.default_rng(0)
    src = (rng.random((64, 64, 3)) ** 2).astype(np.float32)
    ref = rng.beta(5, 2, (64, 64, 3)).astype(np.float32)
    out = histogram_map(src, channel_quantiles(ref))
    assert np.allclose(channel_quantiles(out)[:, 16:-16], channel_quantiles(ref)[:, 16:-16], atol=0.01)


def test_train_from_photos_and_apply(photo_dir, png_photo, tmp_path):
    stylekit.train("image", "feed", engine="classic", photos=photo_dir)
    result = stylekit.stylize_images([png_photo], "feed", out_dir=tmp_path / "out")
    assert result.ok and len(result.written) == 1
    style = stylekit.load_style("feed", "image")
    rgb = _float(42)
    full = style.apply(rgb, 1.0)
    half = style.apply(rgb, 0.5)
    assert np.allclose(half, (rgb + full) / 2, atol=1e-6)
    assert np.array_equal(apply_image_style(style, rgb, 0.0), rgb)


def test_histogram_method_option(photo_dir):
    stylekit.train("image", "hist", engine="classic", photos=photo_dir, options={"method": "histogram"})
    style = stylekit.load_style("hist", "image")
    assert style.method == "histogram"
    with pytest.raises(UsageError, match="no apply option 'colour'; its apply options: method"):
        apply_image_style(style, _float(1), 1.0, colour="red")
    with pytest.raises(UsageError, match="method='sepia' is not allowed"):
        apply_image_style(style, _float(1), 1.0, method="sepia")
    assert np.array_equal(apply_image_style(style, _float(1), 1.0, method="reinhard"), style.apply(_float(1), 1.0, "reinhard"))


def test_lut_preset_pack(tmp_path):
    lut = np.clip(identity_lut(9) * np.array([1.0, 0.9, 0.6], np.float32) + 0.05, 0, 1)
    write_cube(tmp_path / "warm.cube", lut)
    stylekit.train("image", "warm", lut=tmp_path / "warm.cube", engine="classic")
    style = stylekit.load_style("warm", "image")
    rgb = _float(5)
    assert np.allclose(style.apply(rgb), sample_lut(lut, rgb), atol=1e-6)
    assert np.allclose(style.to_lut(9), lut, atol=1e-6)


def test_identity_cube_leaves_pixels(tmp_path):
    write_cube(tmp_path / "id.cube", identity_lut(33))
    stylekit.train("image", "ident", lut=tmp_path / "id.cube", engine="classic")
    rgb = _float(6)
    out = stylekit.stylize_image(rgb, "ident")
    assert np.abs(out - rgb).max() < 1e-5


def test_mix_same_method_blends_parameters(tmp_path):
    a = np.clip(identity_lut(5) * 0.5, 0, 1)
    b = np.clip(identity_lut(5) * 0.5 + 0.5, 0, 1)
    write_cube(tmp_path / "a.cube", a)
    write_cube(tmp_path / "b.cube", b)
    stylekit.train("image", "a", lut=tmp_path / "a.cube")
    stylekit.train("image", "b", lut=tmp_path / "b.cube")
    rgb = _float(7)
    only_a = stylekit.stylize_image(rgb, "a:1,b:0")
    assert np.allclose(only_a, stylekit.stylize_image(rgb, "a"), atol=1e-5)
    half = stylekit.stylize_image(rgb, "a:0.5,b:0.5")
    assert np.allclose(half, rgb * 0.5 + 0.25, atol=1e-4)


def test_mix_of_methods_uses_per_photo_luts(photo_dir, tmp_path):
    write_cube(tmp_path / "id.cube", identity_lut(9))
    stylekit.train("image", "ident", lut=tmp_path / "id.cube")
    stylekit.train("image", "feed", photos=photo_dir, engine="classic")
    rgb = _float(8)
    mixed = stylekit.stylize_image(rgb, "ident:1,feed:0")
    assert np.abs(mixed - rgb).max() < 1e-4
    feed_only = stylekit.stylize_image(rgb, "ident:0,feed:1")
    direct = stylekit.stylize_image(rgb, "feed")
    assert np.abs(feed_only - direct).mean() < 0.01  # 33^3 lattice vs exact Lab maths


def test_classic_style_rejects_unknown_method():
    from stylekit.errors import PackError

    with pytest.raises(PackError, match="unknown method"):
        ClassicStyle("sepia", {})
