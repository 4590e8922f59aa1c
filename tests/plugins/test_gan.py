"""Tests of the `gan` image engine: tiny training runs on tiny images built in tmp_path."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

pytest.importorskip("torch")

from stylekit.api import apply_image_style  # noqa: E402
from stylekit.engines import ProgressEvent, TrainConfig, TrainData  # noqa: E402
from stylekit.errors import TrainingError, UsageError  # noqa: E402
from stylekit.lut import read_cube, sample_lut  # noqa: E402
from stylekit_gan import GanEngine, LoadedLook  # noqa: E402
from stylekit_gan.transform import LookTransform  # noqa: E402

TINY = {"checkpoint_every": 2, "batch": 4, "feed_augs": 2}


def _scene(rng: np.random.Generator, h: int = 40, w: int = 56) -> np.ndarray:
    """A smooth random 'photo': a colour gradient plus a few soft blobs."""
    yy, xx = np.mgrid[0:h, 0:w] / np.array([h, w])[:, None, None]
    img = rng.uniform(0.1, 0.6, 3) + rng.uniform(-0.3, 0.3, 3) * xx[..., None] + rng.uniform(-0.3, 0.3, 3) * yy[..., None]
    for _ in range(3):
        cy, cx, r = rng.uniform(0, 1, 3)
        img += rng.uniform(-0.4, 0.4, 3) * np.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / (0.05 + 0.1 * r))[..., None]
    return np.clip(img, 0, 1).astype(np.float32)


def _write(folder: Path, images: list[np.ndarray]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, im in enumerate(images):
        p = folder / f"{i}.png"
        Image.fromarray(np.rint(im * 255).astype(np.uint8)).save(p)
        paths.append(p)
    return paths


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> TrainData:
    """Warm-graded feed photos and raw content photos of other random scenes."""
    root = tmp_path_factory.mktemp("photos")
    rng = np.random.default_rng(0)
    feed = [np.clip(_scene(rng) * np.array([1.15, 1.0, 0.8]) + 0.05, 0, 1) for _ in range(5)]
    content = [_scene(rng) for _ in range(3)]
    return TrainData(photos=_write(root / "feed", feed), content=_write(root / "content", content))


def _train(data: TrainData, tmp: Path, steps: int = 4, progress=None, options=None, **kwargs) -> tuple[dict, Path]:
    """Train a tiny look into tmp/pack with checkpoints in tmp/work."""
    opts = {**TINY, **(options or {})}
    config = TrainConfig(steps=steps, size=24, device="cpu", work_dir=tmp / "work", options=opts, **kwargs)
    metrics = GanEngine().train(data, tmp / "pack", config, progress)
    return metrics, tmp / "pack"


def _weights(pack: Path) -> dict[str, np.ndarray]:
    from safetensors.numpy import load_file

    return load_file(str(pack / "model.safetensors"))


@pytest.fixture(scope="module")
def trained(data, tmp_path_factory) -> Path:
    """One tiny training run shared by the read-back tests."""
    _, pack = _train(data, tmp_path_factory.mktemp("run"), steps=6)
    return pack


def test_plugin_import_does_not_import_torch():
    code = "import sys, stylekit_gan; assert 'torch' not in sys.modules, 'torch imported'"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_tiny_training_writes_a_loadable_pack(trained):
    for name in ("config.json", "model.safetensors", "preview.png"):
        assert (trained / name).is_file(), name
    # One copy of the LUT (in the safetensors); metrics.json is the core's to write.
    assert not (trained / "look.cube").exists() and not (trained / "metrics.json").exists()
    config = json.loads((trained / "config.json").read_text())
    assert config["engine"] == "gan" and config["format_version"] == 1 and config["look_arrays"] == ["lut", "vignette", "local"]
    assert (trained.parent / "work" / "checkpoint.safetensors").is_file()
    assert (trained.parent / "work" / "samples.png").is_file()
    assert (trained.parent / "work" / "loss.png").is_file()
    assert not list(trained.glob("*.pt")) and not list(trained.glob("*.pkl"))
    look = GanEngine().load(trained)
    img = _scene(np.random.default_rng(5), 30, 20)
    out = look.apply(img)
    assert out.shape == img.shape and out.dtype == np.float32
    assert np.isfinite(out).all() and out.min() >= 0 and out.max() <= 1


def test_progress_reports_losses(data, tmp_path):
    events: list[ProgressEvent] = []
    _train(data, tmp_path, steps=3, progress=events.append)
    assert [e.done for e in events] == [1, 2, 3]
    assert all(e.total == 3 and {"loss_d", "loss_g"} <= set(e.values) for e in events)


def test_strength_zero_is_the_input_exactly_and_strength_scales_the_transform(trained):
    look = GanEngine().load(trained)
    img = _scene(np.random.default_rng(6))
    assert np.array_equal(look.apply(img, strength=0.0), img)
    full, half = look.apply(img, 1.0), look.apply(img, 0.5)
    assert np.abs(full - img).mean() > np.abs(half - img).mean() > 0
    assert np.isfinite(look.apply(img, 1.5)).all()
    with pytest.raises(UsageError, match="strength=2 is out of range"):  # the core checks strength
        apply_image_style(look, img, strength=2.0)


def test_mixing_at_one_to_zero_equals_the_first_look(trained):
    first = GanEngine().load(trained)
    lut = first.transform.lut
    other = LoadedLook(LookTransform((lut**1.3).astype(np.float32), np.array([0.4, 0.1], np.float32)))
    img = _scene(np.random.default_rng(7))
    mixed = GanEngine().mix([first, other], [1.0, 0.0])
    assert np.array_equal(mixed.apply(img), first.apply(img))
    halfway = GanEngine().mix([first, other], [0.5, 0.5]).transform
    np.testing.assert_allclose(halfway.lut, 0.5 * lut + 0.5 * other.transform.lut, atol=1e-6)


def test_cube_export_round_trip_matches_the_engine_colours(trained, tmp_path):
    from stylekit.lut import write_cube

    look = GanEngine().load(trained)
    colour_only = LoadedLook(LookTransform(look.transform.lut, np.zeros(2, np.float32)))
    path = write_cube(tmp_path / "x.cube", look.to_lut(33))
    lut = read_cube(path)
    assert lut.shape == (33, 33, 33, 3)
    img = np.random.default_rng(8).uniform(0, 1, (32, 32, 3)).astype(np.float32)
    # The engine applies the table in C on a refined lattice: well under one 8-bit level from exact trilinear.
    assert np.abs(sample_lut(lut, img) - colour_only.apply(img)).max() < 2e-3  # half an 8-bit level


def test_resume_after_interrupt_gives_the_same_weights(data, tmp_path):
    _, pack_a = _train(data, tmp_path / "a", steps=6)

    def stop_at_3(event: ProgressEvent) -> None:
        if event.done == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _train(data, tmp_path / "b", steps=6, progress=stop_at_3)
    assert (tmp_path / "b" / "work" / "checkpoint.safetensors").is_file()
    metrics, pack_b = _train(data, tmp_path / "b", steps=6, resume=True)
    assert metrics["resumed_from"] == 3
    a, b = _weights(pack_a), _weights(pack_b)
    assert a.keys() == b.keys()
    for key in a:
        assert np.array_equal(a[key], b[key]), key


def test_resume_refuses_a_checkpoint_of_another_run(data, tmp_path):
    _train(data, tmp_path, steps=2)
    with pytest.raises(TrainingError):
        _train(data, tmp_path, steps=2, resume=True, seed=1)


def _nan_on_attempts(monkeypatch, *attempts: int) -> None:
    """Make the generator's output NaN on the given 1-based training step attempts
    (the forward passes that build a graph; evaluation runs without gradients)."""
    import torch

    from stylekit_gan.model import GradeGenerator

    original, calls = GradeGenerator.forward, {"n": 0}

    def forward(self, img):
        out = original(self, img)
        if torch.is_grad_enabled():
            calls["n"] += 1
            if calls["n"] in attempts:
                out = out * float("nan")
        return out

    monkeypatch.setattr(GradeGenerator, "forward", forward)


def test_a_nan_loss_is_skipped_and_never_saved(data, tmp_path, monkeypatch):
    _nan_on_attempts(monkeypatch, 3)
    metrics, pack = _train(data, tmp_path, steps=6)
    assert metrics["skipped_steps"] == 1 and metrics["rollbacks"] == 0
    assert all(np.isfinite(v).all() for v in _weights(pack).values())


def test_nan_losses_in_a_row_roll_back_then_training_completes(data, tmp_path, monkeypatch):
    # Three failures in a row roll back to the last checkpoint, then training completes.
    _nan_on_attempts(monkeypatch, 3, 4, 5)
    metrics, pack = _train(data, tmp_path, steps=6, options={"max_bad_steps": 3})
    assert metrics["rollbacks"] == 1 and metrics["skipped_steps"] == 3
    assert all(np.isfinite(v).all() for v in _weights(pack).values())


def test_resume_without_a_checkpoint_is_an_error(data, tmp_path):
    with pytest.raises(TrainingError, match="No checkpoint to resume"):
        _train(data, tmp_path, steps=2, resume=True)


def test_unknown_device_is_a_training_error(data, tmp_path):
    with pytest.raises(TrainingError, match="Unknown device 'gpu'"):
        GanEngine().train(data, tmp_path / "pack", TrainConfig(steps=1, size=24, device="gpu"))


def test_no_photos_is_a_training_error(tmp_path):
    with pytest.raises(TrainingError):
        GanEngine().train(TrainData(), tmp_path / "pack", TrainConfig(steps=1))


def test_apply_handles_a_large_frame_in_bands():
    lut = (np.stack(np.meshgrid(*[np.linspace(0, 1, 9, dtype=np.float32)] * 3, indexing="ij"), -1) ** 0.8).astype(np.float32)
    look = LoadedLook(LookTransform(lut, np.array([0.3, 0.0], np.float32)))
    img = np.random.default_rng(9).uniform(0, 1, (1100, 1000, 3)).astype(np.float32)  # > one band
    out = look.apply(img)
    # Pixels at the frame centre get no vignette: exactly the LUT colour there.
    np.testing.assert_allclose(out[550, 500], sample_lut(lut, img[550:551, 500:501])[0, 0], atol=1e-3)
    # Corners darker than the colour alone, symmetric top/bottom (no band seams).
    colour = sample_lut(lut, img[[0, -1]][:, [0, -1]])
    assert (out[[0, -1]][:, [0, -1]] < colour).all()


def test_unknown_apply_option_is_refused(trained):
    from stylekit.errors import UsageError

    look = GanEngine().load(trained)
    with pytest.raises(UsageError, match="no apply option 'method'; it takes no apply options"):
        apply_image_style(look, np.zeros((4, 4, 3), np.float32), 1.0, method="histogram")
