"""The look sampler, the look prior, `quick` looks and the training report of the gan engine."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from stylekit_gan.looksampler import FAMILIES, HELDOUT_SEEDS, TRAINING_SEEDS_START, TUNING_SEEDS, sample_look  # noqa: E402
from stylekit_gan.model import N_PARAMS, GradeGenerator  # noqa: E402
from stylekit_gan.prior import load_prior  # noqa: E402
from stylekit_gan.report import describe, look_report  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "photos"


def _photo(seed: int, size: int = 40) -> np.ndarray:
    rng = np.random.default_rng(seed)
    base = rng.uniform(0.15, 0.85, (1, 1, 3))
    yy, xx = np.mgrid[0:size, 0:size] / size
    img = base + 0.25 * np.stack([np.sin(6 * xx + seed), np.cos(5 * yy), np.sin(4 * (xx + yy))], -1)
    return np.clip(img + rng.normal(0, 0.03, img.shape), 0, 1).astype(np.float32)


def _examples() -> list[np.ndarray]:
    from stylekit.imageio import load_image

    return [load_image(p).rgb for p in sorted(EXAMPLES.glob("*.jpg"))]


def test_sampler_is_deterministic_and_covers_every_family():
    img = _photo(0)
    a, b = sample_look(12)(img), sample_look(12)(img)
    assert np.array_equal(a, b)
    assert not np.allclose(sample_look(12)(img), sample_look(13)(img))
    assert {sample_look(s).family for s in range(60)} == set(FAMILIES)
    for fam in FAMILIES:
        out = sample_look(3, fam)(img)
        assert out.shape == img.shape and out.dtype == np.float32 and 0 <= out.min() and out.max() <= 1
    # a stack of photos is styled like each photo alone (same look, same operations)
    stack = np.stack([img, _photo(1)])
    assert np.allclose(sample_look(5, "grade")(stack)[0], sample_look(5, "grade")(img), atol=1e-6)


def test_protocol_seed_ranges_never_overlap():
    tuning, heldout = set(TUNING_SEEDS), set(HELDOUT_SEEDS)
    assert not tuning & heldout
    assert max(tuning | heldout) < TRAINING_SEEDS_START


def test_generator_starts_from_a_parameter_vector():
    theta = torch.linspace(-0.05, 0.05, N_PARAMS)
    gen = GradeGenerator(init=theta)
    assert torch.allclose(gen.vector(), theta)
    assert float(gen.prior(theta)) == 0.0 and float(gen.prior()) > 0.0
    assert torch.allclose(GradeGenerator().lut(5), GradeGenerator(init=torch.zeros(N_PARAMS)).lut(5))


def _unstyled_feed(n: int = 12) -> list[np.ndarray]:
    """Ordinary photos the prior never trained on: the reference's protocol split."""
    from stylekit_gan.reference import load_rgb, reference_paths

    return [load_rgb(p) for p in reference_paths("protocol")[:n]]


def test_shipped_prior_predicts_about_the_identity_for_unstyled_photos():
    prior = load_prior()
    assert prior is not None, "the look prior's weights are missing from the package"
    feed = _unstyled_feed()
    gen = GradeGenerator(init=prior.estimate(feed))
    from stylekit_gan.artifacts import look_from_generator

    look = look_from_generator(gen)
    test = _examples()
    assert np.mean([_de(look.apply(t), t) for t in test]) < 3.0  # a just-noticeable change at most


def test_shipped_prior_sees_a_plain_look():
    prior = load_prior()
    photos = _examples()
    grey = [np.repeat(p.mean(-1, keepdims=True), 3, -1) for p in photos]  # black and white
    warm = [np.clip(p * np.array([1.15, 1.0, 0.8], np.float32), 0, 1) for p in photos]
    assert "black and white" in describe_theta(prior.estimate(grey)) or "lower saturation" in describe_theta(prior.estimate(grey))
    assert "warmer" in describe_theta(prior.estimate(warm))


def describe_theta(theta) -> list[str]:
    from stylekit_gan.report import colour_fn

    gen = GradeGenerator(init=theta)
    return describe(colour_fn(gen), gen.vignette().tolist())


def test_describe_names_what_a_grade_does():
    ident = lambda x: np.asarray(x)  # noqa: E731
    assert describe(ident) == ["close to ordinary photos (a subtle look)"]
    warm = lambda x: np.clip(np.asarray(x) * [1.12, 1.0, 0.82], 0, 1)  # noqa: E731
    assert "warmer" in describe(warm)
    grey = lambda x: np.repeat(np.asarray(x).mean(-1, keepdims=True), 3, -1)  # noqa: E731
    assert "black and white" in describe(grey)
    faded = lambda x: 0.1 + 0.85 * np.asarray(x)  # noqa: E731
    words = describe(faded)
    assert "lifted (faded) blacks" in words and "softer contrast" in words
    assert "vignette" in describe(ident, (0.3, 0.1))


def test_report_fields_and_small_feed_warning():
    gen = GradeGenerator()
    feed = [_photo(i) for i in range(3)]
    report = look_report(gen, feed, [], load_prior())
    assert report["feed_photos"] == 3 and report["look"]
    assert report["confidence"] in ("high", "medium", "low")
    assert report["bootstrap_spread_cie76"] >= 0 and report["look_size_cie76"] >= 0
    assert any("Only 3 influencer photos" in w for w in report["warnings"])


def _write(folder: Path, imgs) -> list[Path]:
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, im in enumerate(imgs):
        p = folder / f"{i}.png"
        Image.fromarray(np.rint(np.clip(im, 0, 1) * 255).astype(np.uint8)).save(p)
        paths.append(p)
    return paths


def _de(a, b) -> float:
    from skimage.color import deltaE_ciede2000, rgb2lab

    return float(deltaE_ciede2000(rgb2lab(a), rgb2lab(b)).mean())


@pytest.mark.parametrize("quick", [True, False])
def test_training_with_the_prior_moves_photos_toward_a_plain_look(tmp_path, quick):
    from stylekit.engines import TrainConfig, TrainData, get_engine

    look = lambda x: np.clip(np.asarray(x) * np.array([1.2, 1.0, 0.75], np.float32) * 0.9 + 0.06, 0, 1)  # noqa: E731
    feed = _write(tmp_path / "feed", [look(p) for p in _unstyled_feed(10)])
    engine = get_engine("gan", "image")
    options = {"quick": True} if quick else {}
    metrics = engine.train(TrainData(photos=feed), tmp_path / "pack", TrainConfig(steps=4, size=32, device="cpu", options=options))
    assert metrics["prior"] is True and metrics["report"]["look"]
    if quick:
        assert metrics["steps"] == 0
    test = _examples()[0]
    out = engine.load(tmp_path / "pack").apply(test)
    assert _de(out, look(test)) < _de(test, look(test)) - 1.0


def test_local_tone_is_one_operator_in_torch_and_numpy():
    from stylekit_gan.local import apply_local_np, apply_local_torch

    img = _photo(4, 48)
    p = np.array([0.6, 0.3, 0.2], np.float32)
    a = apply_local_np(img, p)
    b = apply_local_torch(torch.from_numpy(img.transpose(2, 0, 1).copy())[None], torch.from_numpy(p)[None])[0]
    assert np.abs(a - b.numpy().transpose(1, 2, 0)).max() < 1e-4
    assert np.array_equal(apply_local_np(img, np.zeros(3)), img)
    # clarity raises local contrast: the difference from a blurred copy grows
    import cv2

    detail = lambda x: np.abs(x - cv2.blur(x, (5, 5))).mean()  # noqa: E731
    assert detail(a) > detail(img)


def test_a_look_with_local_tone_round_trips_and_export_names_what_it_leaves_out(tmp_path):
    from stylekit_gan.artifacts import write_pack
    from stylekit_gan.engine import GanEngine

    theta = torch.zeros(N_PARAMS)
    theta[-3] = 0.5  # clarity
    gen = GradeGenerator(init=theta)
    write_pack(tmp_path / "look", gen, {"steps": 0}, [_photo(0)])
    look = GanEngine().load(tmp_path / "look")
    img = _photo(2, 48)
    assert np.allclose(look.transform.local, [0.5, 0, 0])
    out = look.apply(img)
    assert not np.allclose(out, img) and np.array_equal(look.apply(img, strength=0), img)
    assert look.lut_leaves_out() == ["clarity (local contrast)"]
    assert np.allclose(look.to_lut(9), GradeGenerator().lut(9).numpy(), atol=1e-5)  # colour untouched


def test_shipped_prior_sees_a_vignette():
    from stylekit_gan.looksampler import op_vignette

    _, _, vignette = op_vignette(np.random.default_rng(0))  # a darkening vignette of 10-60 %
    strong = lambda x: np.clip(vignette(vignette(np.asarray(x, np.float64))), 0, 1).astype(np.float32)  # noqa: E731
    gen = GradeGenerator(init=load_prior().estimate([strong(p) for p in _unstyled_feed(10)]))
    a, b = gen.vignette().tolist()
    assert np.exp(-(a + b)) < 0.95  # the corners darken: the estimate's vignette is not stuck at zero
