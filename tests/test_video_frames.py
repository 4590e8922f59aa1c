"""The frame path: baked tables, appliers that match `apply` within one level, the frames
API, smoothing over time and scene cuts. No PyAV needed."""

from __future__ import annotations

import numpy as np
import pytest

from stylekit.engines import LoadedStyle
from stylekit.frames import (
    ImageFrameApplier, SceneCutDetector, TableFrameApplier, TemporalSmoother, bake_table, flicker,
)
from stylekit.lut import identity_lut, sample_lut
from tests.conftest import scene


def frames(n: int = 6, size=(48, 64)) -> list[np.ndarray]:
    return [np.roll(scene(3, size), 2 * i, axis=1) for i in range(n)]


def test_baked_table_is_trilinear_interpolation_rounded():
    rng = np.random.default_rng(0)
    lut = np.clip(identity_lut(9) ** 1.3 + rng.normal(0, 0.03, (9, 9, 9, 3)), 0, 1).astype(np.float32)
    table = bake_table(lut).view(np.uint8).reshape(256, 256, 256, 4)  # [b, g, r, RGBY]
    colours = rng.integers(0, 256, (2000, 3))
    exact = sample_lut(lut, colours / 255.0)
    got = table[colours[:, 2], colours[:, 1], colours[:, 0]]
    assert np.abs(got[:, :3] - exact * 255).max() <= 0.5 + 1e-3
    assert np.abs(got[:, 3] - exact @ [0.2126, 0.7152, 0.0722] * 255).max() <= 0.5 + 1e-3


@pytest.mark.parametrize("look", ["aurora", "noir", "xiaoman", "sunset"])
@pytest.mark.parametrize("strength", [0.4, 1.0])
def test_frame_appliers_match_the_image_path_within_one_level(look, strength):
    import stylekit

    style = stylekit.load_style(look, "image")
    frame = scene(7, (72, 128))
    applier = style.frame_applier(72, 128, strength)
    assert isinstance(applier, TableFrameApplier)  # the fast path, not the float one
    reference = stylekit.stylize_image(frame, look, strength=strength)
    assert np.abs(applier.apply(frame).astype(int) - reference.astype(int)).max() <= 1


def test_extrapolating_looks_with_local_steps_keep_the_exact_float_path():
    import stylekit

    style = stylekit.load_style("aurora", "image")
    frame = scene(8, (40, 56))
    applier = style.frame_applier(40, 56, 1.5)
    reference = stylekit.stylize_image(frame, "aurora", strength=1.5)
    assert np.abs(applier.apply(frame).astype(int) - reference.astype(int)).max() <= 1


class Gamma(LoadedStyle):
    """A pointwise look with a LUT export, and one whose colours depend on the frame."""

    engine = "test"

    def __init__(self, exportable: bool) -> None:
        self.exportable = exportable

    def apply(self, content, strength=1.0, **options):
        out = content ** (1 + 0.5 * strength)
        if not self.exportable:
            out = out * (0.5 / max(float(content.mean()), 1e-3)) ** 0.2  # image-adaptive exposure
        return np.clip(out, 0, 1).astype(np.float32)

    def to_lut(self, size=33):
        return self.apply(identity_lut(size)) if self.exportable else None


def test_default_appliers_bake_exportable_looks_and_run_the_others():
    frame = scene(5)
    baked = Gamma(True).frame_applier(48, 64, 0.8)
    assert isinstance(baked, TableFrameApplier)
    exact = Gamma(True).apply(frame / np.float32(255), 0.8)
    assert np.abs(baked.apply(frame).astype(int) - np.rint(exact * 255)).max() <= 1
    slow = Gamma(False).frame_applier(48, 64, 0.8)
    assert isinstance(slow, ImageFrameApplier)
    exact = Gamma(False).apply(frame / np.float32(255), 0.8)
    assert np.abs(slow.apply(frame).astype(int) - np.rint(exact * 255)).max() <= 1
    with pytest.raises(ValueError, match="uint8"):
        baked.apply(frame.astype(np.float32))
    with pytest.raises(ValueError, match="64x48"):
        baked.apply(frame[:10])


def test_stylize_frames_yields_each_frame_styled():
    import stylekit

    clip = frames()
    out = list(stylekit.stylize_frames(iter(clip), "noir", strength=0.8))
    assert len(out) == len(clip)
    for source, styled in zip(clip, out):
        assert styled.shape == source.shape and styled.dtype == np.uint8
        assert np.abs(styled.astype(int) - stylekit.stylize_image(source, "noir", strength=0.8).astype(int)).max() <= 1
    assert all(np.array_equal(a, b) for a, b in zip(clip, stylekit.stylize_frames(clip, "noir", strength=0)))
    with pytest.raises(stylekit.errors.UsageError, match="out of range"):
        next(stylekit.stylize_frames(clip, "noir", strength=3))


def test_smoothing_steadies_state_and_resets_at_cuts():
    rng = np.random.default_rng(0)
    smoother = TemporalSmoother(0.85)
    raw = 0.5 + rng.normal(0, 0.05, 200)
    smoothed = [float(smoother.update(np.array([v]), cut=False)[0]) for v in raw]
    assert np.abs(np.diff(smoothed)).mean() < 0.25 * np.abs(np.diff(raw)).mean()
    assert float(smoother.update(np.array([3.0]), cut=True)[0]) == 3.0  # a cut starts afresh

    cuts = SceneCutDetector()
    clip = frames(5)
    other = 255 - scene(11)
    assert [cuts(f) for f in clip] == [True, False, False, False, False]  # motion is not a cut
    assert cuts(other) is True


def test_region_masks_are_smoothed_over_time(monkeypatch):
    """A region mask measured on every frame (here: noisy) is smoothed unless smooth=0."""
    import stylekit
    import stylekit.edits as edits
    from stylekit.recipes import Recipe

    rng = np.random.default_rng(1)

    class Region:
        def __call__(self, image):
            return np.full(image.shape[:2], 0.5 + rng.normal(0, 0.2), np.float32).clip(0, 1)

    monkeypatch.setattr(edits, "get_regions", lambda: {"noisy": Region()})
    clip = [scene(3)] * 30  # a static camera
    steady = list(stylekit.stylize_frames(clip, "noir", recipe=Recipe(region="noisy"), region_every=1))
    jumpy = list(stylekit.stylize_frames(clip, "noir", recipe=Recipe(region="noisy"), smooth=0, region_every=1))
    assert flicker(clip, steady) < 0.5 * flicker(clip, jumpy)
    assert flicker(clip, jumpy) > 0.5
    assert flicker(clip, list(stylekit.stylize_frames(clip, "noir"))) == 0  # the look alone adds none
