"""The Python API: batches past bad files, strength 0, outputs, provenance, training inputs."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

import stylekit
from stylekit.errors import OutputExistsError, TrainingError, UsageError
from stylekit.imageio import load_image

from .test_imageio import _png_header_only


def test_batch_continues_past_bad_files(photo_dir, tmp_path):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for src in photo_dir.iterdir():
        (inputs / src.name).write_bytes(src.read_bytes())
    good = sorted(p.name for p in inputs.iterdir())
    data = (photo_dir / "p0.jpg").read_bytes()
    (inputs / "truncated.jpg").write_bytes(data[: len(data) // 2])
    (inputs / "text.jpg").write_text("hello")
    _png_header_only(inputs / "huge.png", 30000, 30000)
    result = stylekit.stylize_images([inputs], "sunset", out_dir=tmp_path / "out")
    assert sorted(src.name for src, _ in result.written) == good
    failed = {src.name: reason for src, reason in result.failed}
    assert set(failed) == {"truncated.jpg", "text.jpg", "huge.png"}
    assert "truncated or corrupt" in failed["truncated.jpg"] and "\n" not in failed["truncated.jpg"]
    assert "not an image" in failed["text.jpg"] and "pixel limit" in failed["huge.png"]
    assert not result.ok


def test_strength_zero_is_exact_and_metadata_written(png_photo, tmp_path):
    out = tmp_path / "same.png"
    result = stylekit.stylize_images([png_photo], "sunset", 0.0, out=out)
    assert result.ok
    assert np.array_equal(np.asarray(Image.open(out).convert("RGB")), np.asarray(Image.open(png_photo)))
    meta = stylekit.inspect_image(out)["stylekit"]
    assert meta["influencer"] == "sunset" and meta["strength"] == 0.0 and meta["packs"][0]["engine"] == "classic"
    assert meta["source"] == "me.png"


def test_existing_output_kept_unless_overwrite(png_photo, tmp_path):
    out = tmp_path / "o.png"
    out.write_bytes(b"mine")
    result = stylekit.stylize_images([png_photo], "sunset", out=out)
    assert "already exists" in result.failed[0][1] and out.read_bytes() == b"mine"
    assert stylekit.stylize_images([png_photo], "sunset", out=out, overwrite=True).ok
    assert load_image(out).rgb.shape == (48, 64, 3)


def test_default_output_names(png_photo):
    result = stylekit.stylize_images([png_photo], "sunset")
    assert result.written[0][1] == png_photo.with_name("me_sunset.png")


def test_output_never_replaces_input(png_photo):
    result = stylekit.stylize_images([png_photo], "sunset", out=png_photo, overwrite=True)
    assert "is also an input of this command" in result.failed[0][1]


def test_alpha_survives_png(tmp_path):
    rgba = np.zeros((8, 8, 4), np.uint8)
    rgba[..., 3] = 128
    Image.fromarray(rgba, "RGBA").save(tmp_path / "a.png")
    stylekit.stylize_images([tmp_path / "a.png"], "sunset", out=tmp_path / "b.png")
    assert np.all(np.asarray(Image.open(tmp_path / "b.png"))[..., 3] == 128)


def test_stylize_image_array_and_pil_types():
    arr = np.full((4, 4, 3), 100, np.uint8)
    out = stylekit.stylize_image(arr, "sunset")
    assert out.dtype == np.uint8 and out.shape == (4, 4, 3) and not np.array_equal(out, arr)
    assert np.array_equal(stylekit.stylize_image(arr, "sunset", 0.0), arr)
    assert stylekit.stylize_image(Image.fromarray(arr), "sunset").size == (4, 4)


@pytest.mark.parametrize("spec", ["", "a:x", "a:-1", "a:0", "a,a"])
def test_bad_influencer_specs(spec):
    with pytest.raises(UsageError):
        stylekit.parse_influencers(spec)


def test_weights_are_normalised():
    assert stylekit.parse_influencers("a:3,b:1") == [("a", 0.75), ("b", 0.25)]


def test_strength_range():
    with pytest.raises(UsageError, match="between 0 and 1.5"):
        stylekit.stylize_image(np.zeros((2, 2, 3), np.float32), "sunset", 2.0)


def test_one_output_for_many_inputs_refused(photo_dir, tmp_path):
    with pytest.raises(UsageError, match="out_dir=FOLDER"):
        stylekit.stylize_images([photo_dir], "sunset", out=tmp_path / "x.png")


def test_train_needs_photos(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(TrainingError, match="No images found"):
        stylekit.train("image", "x", engine="classic", photos=tmp_path / "empty")
    with pytest.raises(UsageError, match="give photos=PATH"):
        stylekit.train("image", "x", engine="classic")


def test_train_from_video(tmp_path):
    import cv2

    video = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), 10, (32, 24))
    for i in range(30):
        writer.write(np.full((24, 32, 3), i * 8, np.uint8))
    writer.release()
    pack = stylekit.train("image", "clip", engine="classic", photos=video)
    assert 2 <= pack.training_data["image"]["photos"] <= 30


def test_export_lut_of_classic_preset(tmp_path):
    from stylekit.lut import read_cube

    path = stylekit.export_lut("sunset", tmp_path / "s.cube")
    assert read_cube(path).shape == (33, 33, 33, 3)
    with pytest.raises(OutputExistsError):
        stylekit.export_lut("sunset", path)


# --- the engine contract, as the API applies it -----------------------------------------------

def test_default_engine_follows_priority_among_engines_that_learn_from_the_inputs(photo_dir, tmp_path):
    from stylekit.engines import get_default_engine, get_engines

    from .test_plugins import ROOT

    image = get_engines("image")
    best = max(image.values(), key=lambda e: (e.default_priority, [-ord(c) for c in e.name]))
    assert get_default_engine("image", ["photos"]) is best
    lut_engines = [e for e in image.values() if "lut" in (e.inputs or ())]
    chosen = get_default_engine("image", ["lut"])
    assert chosen in lut_engines and chosen.default_priority == max(e.default_priority for e in lut_engines)
    pack = stylekit.train("image", "preset", lut=ROOT / "examples/presets/sunset.cube")
    assert pack.modalities["image"]["engine"] == chosen.name
    with pytest.raises(UsageError, match="No installed text engine learns from --lut"):
        get_default_engine("text", ["lut"])
    with pytest.raises(UsageError, match="Unknown modality 'video'; use image or text"):
        stylekit.train("video", "x", photos=photo_dir)


def test_minimum_posts_come_from_the_engine(tmp_path):
    from stylekit.engines import get_default_engine

    engine = get_default_engine("text", ["posts"])
    assert engine.min_posts > 3
    with pytest.raises(TrainingError, match=f"only 3 posts; at least {engine.min_posts}"):
        stylekit.train("text", "few", posts=["one", "two", "three"])


def test_options_are_checked_once_by_the_core(png_photo, tmp_path, photo_dir):
    with pytest.raises(UsageError, match="no train option 'colour'; its train options: method"):
        stylekit.train("image", "x", engine="classic", photos=photo_dir, options={"colour": "red"})
    with pytest.raises(UsageError, match="method='sepia' is not allowed; use one of reinhard, histogram, lut"):
        stylekit.train("image", "x", engine="classic", photos=photo_dir, options={"method": "sepia"})
    with pytest.raises(UsageError, match="no apply option 'colour'"):  # refused before any file is written
        stylekit.stylize_images([png_photo], "sunset", out_dir=tmp_path / "out", colour="red")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    from stylekit.recipes import Recipe, Step

    with pytest.raises(UsageError, match="need a look"):
        stylekit.stylize_images([png_photo], recipe=Recipe(edits=[Step("contrast", {"amount": 1.1})]),
                                out_dir=tmp_path / "o", colour="red")


@pytest.mark.filterwarnings("ignore:'sunset' has no voice")
def test_make_post_writes_the_card_with_provenance(png_photo, tmp_path):
    post = stylekit.make_post(png_photo, "sunset", "Beach day!", out=tmp_path / "post.png")
    assert post.path == tmp_path / "post.png" and post.caption == "Beach day!"  # sunset has no voice
    meta = stylekit.inspect_image(post.path)["stylekit"]
    assert meta["influencer"] == "sunset" and meta["layout"] == "square" and meta["caption"] == "Beach day!"
    assert meta["source"] == png_photo.name and meta["packs"][0]["name"] == "sunset"
    assert load_image(post.path).rgb.shape == (1080, 1080, 3)
    with pytest.raises(OutputExistsError):
        stylekit.make_post(png_photo, "sunset", "again", out=tmp_path / "post.png")
    cards = stylekit.make_posts(png_photo, "sunset", "x", layouts=["square", "story"], out=tmp_path / "card.jpg")
    assert [c.path.name for c in cards] == ["card_square.jpg", "card_story.jpg"]
    assert load_image(cards[1].path).rgb.shape == (1920, 1080, 3)
    with pytest.raises(UsageError, match="Unknown layout 'wide'"):
        stylekit.make_posts(png_photo, "sunset", "x", layouts=["wide"])


def test_many_texts_report_progress_per_batch_and_keep_their_order():
    import stylekit.api as api

    texts = [f"Line {i} of the walk to the market." for i in range(api.TEXT_BATCH + 5)]
    events = []
    out = stylekit.stylize_text(texts, "aurora", seed=3, progress=events.append)
    assert [(e.done, e.total) for e in events] == [(api.TEXT_BATCH, len(texts)), (len(texts), len(texts))]
    assert out[-1] == stylekit.stylize_text(texts[-1:], "aurora", seed=3)[0]  # batching does not change a text's rewrite
