"""Hostile and careless input: nothing is executed, work is bounded, every refusal is one
line. Each test here is named in SECURITY.md next to the promise it proves."""

from __future__ import annotations

import os
import pickle
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

import stylekit
from stylekit import store as store_module
from stylekit.errors import ImageReadError, PackError, UsageError
from stylekit.imageio import load_image
from stylekit.lut import read_cube
from stylekit.packs import read_manifest, verify_pack, write_manifest
from stylekit.store import PackStore
from stylekit_cli.app import build_app

from .conftest import scene

STYLEKIT = Path(sys.executable).with_name("stylekit")


def run(*args, input=None):
    return CliRunner().invoke(build_app(), [str(a) for a in args], input=input)


def error_lines(result) -> list[str]:
    return [line for line in result.output.strip().splitlines() if line.strip()]


# --- nothing in a pack is executed ------------------------------------------------------------
class _Payload:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_pickle_disguised_as_safetensors_runs_nothing_and_fails_in_one_line(photo_dir, tmp_path, png_photo):
    pack = stylekit.train("image", "tester", engine="classic", photos=photo_dir)
    marker = tmp_path / "pwned"
    weights = pack.path / "image" / "model.safetensors"
    weights.write_bytes(pickle.dumps(_Payload(marker)))
    write_manifest(read_manifest(pack.path))  # checksums match: only the loader stands in the way
    with pytest.raises(PackError, match="unreadable safetensors|cannot load its image style"):
        stylekit.stylize_image(np.zeros((4, 4, 3), np.uint8), "tester")
    result = run("image", png_photo, "-i", "tester", "-o", tmp_path / "o.png")
    assert result.exit_code == 1 and len(error_lines(result)) == 1 and "Traceback" not in result.output
    assert not marker.exists()


def test_a_pack_removed_while_another_process_loads_it(photo_dir):
    pack = stylekit.train("image", "tester", engine="classic", photos=photo_dir)
    (pack.path / "image" / "model.safetensors").unlink()  # what a concurrent remove leaves mid-load
    with pytest.raises(PackError):
        stylekit.stylize_image(np.zeros((4, 4, 3), np.uint8), "tester")


# --- bounded work -----------------------------------------------------------------------------
def _count_measured(monkeypatch) -> list[int]:
    from stylekit_edits import text

    measured: list[int] = []
    real = text.text_width

    def counting(line, size, chain):
        measured.append(len(line))
        return real(line, size, chain)

    monkeypatch.setattr(text, "text_width", counting)
    return measured


@pytest.mark.parametrize("caption", ["x" * 3000, "周末" * 1500, ("word " * 600)[:3000]])
def test_caption_layout_is_near_linear_in_length(monkeypatch, caption):
    from stylekit_edits.text import font_chain, wrap

    measured = _count_measured(monkeypatch)
    lines = wrap(caption, 8, 600.0, font_chain(""))
    assert "".join(line.replace(" ", "") for line in lines) == caption.replace(" ", "")
    # Each line is measured a few times; the old greedy loop re-measured the whole rest of a
    # long word for every character it cut (millions of characters for 3,000).
    assert sum(measured) <= 6 * len(caption)


def test_caption_wrapping_matches_plain_greedy_breaking():
    from stylekit_edits.text import _break_units, font_chain, text_width, wrap

    chain = font_chain("")
    rng = random.Random(0)
    words = ["a", "sunny", "day", "at", "the", "beach", "周末", "🎉", "Wonderful!", "x" * 40]
    for _ in range(30):
        caption = " ".join(rng.choice(words) for _ in range(rng.randint(1, 25)))
        width = rng.choice([60.0, 150.0, 400.0])
        lines = wrap(caption, 14, width, chain)
        assert all(text_width(line, 14, chain) <= width or len(line) == 1 for line in lines)
        expected, line = [], ""  # greedy by whole words where words fit
        if all(text_width(u.rstrip(), 14, chain) <= width for u in _break_units(caption)):
            for unit in _break_units(caption):
                if line and text_width((line + unit).rstrip(), 14, chain) > width:
                    expected.append(line.rstrip())
                    line = ""
                line += unit
            expected.append(line.rstrip())
            assert lines == expected


def test_caption_length_is_capped():
    from stylekit_edits.overlays import caption

    with pytest.raises(UsageError, match="limit is 20,000"):
        caption(np.zeros((8, 8, 3), np.float32), text="x" * 1_000_000)


def _no_hang(call) -> BaseException | None:
    """Run `call` in a thread; a refusal must come back (a FIFO read would block forever)."""
    box: list[BaseException | None] = [None]

    def target():
        try:
            call()
        except BaseException as exc:  # noqa: BLE001 - returned to the test
            box[0] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(60)
    assert not thread.is_alive(), "blocked on a special file"
    return box[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_as_image_or_sticker_is_refused_not_waited_on(tmp_path, png_photo):
    fifo = tmp_path / "sticker.png"
    os.mkfifo(fifo)
    assert isinstance(_no_hang(lambda: load_image(fifo)), ImageReadError)
    box: list = []
    assert _no_hang(lambda: box.append(run("image", png_photo, "--sticker", fifo, "-o", tmp_path / "o.png"))) is None
    assert box[0].exit_code == 1 and "not a regular file" in box[0].output
    from stylekit.recipes import load_recipe

    recipe = tmp_path / "r.toml"
    os.mkfifo(recipe)
    assert isinstance(_no_hang(lambda: load_recipe(recipe)), UsageError)
    assert isinstance(_no_hang(lambda: read_cube(recipe)), UsageError)


def test_cube_with_nan_rows_or_domain_is_refused(tmp_path):
    rows = ["0 0 0"] * 8
    rows[3] = "nan 0.5 0.5"
    rows[5] = "0.5 inf 0.5"
    bad = tmp_path / "nan.cube"
    bad.write_text("LUT_3D_SIZE 2\n" + "\n".join(rows) + "\n")
    with pytest.raises(UsageError, match="row 4 is not finite"):
        read_cube(bad)
    domain = tmp_path / "domain.cube"
    domain.write_text("LUT_3D_SIZE 2\nDOMAIN_MIN nan 0 0\n" + "\n".join(["0 0 0"] * 8) + "\n")
    with pytest.raises(UsageError, match="finite"):
        read_cube(domain)
    big = tmp_path / "big.cube"
    big.write_text("LUT_3D_SIZE 256\n0 0 0\n")
    with pytest.raises(UsageError, match="outside 2..65"):
        read_cube(big)
    result = run("train", "image", "-i", "fromnan", "--lut", bad)
    assert result.exit_code != 0 and len(error_lines(result)) == 1


@pytest.mark.parametrize("size", [0, 1, 66, 2000])
def test_export_lut_size_is_bounded_before_any_work(tmp_path, size):
    with pytest.raises(UsageError, match="from 2 to 65"):
        stylekit.export_lut("sunset", tmp_path / "x.cube", size=size)
    result = run("styles", "export-lut", "sunset", "-o", tmp_path / "x.cube", "--size", size)
    assert result.exit_code == 2 and not (tmp_path / "x.cube").exists()


# --- API inputs ---------------------------------------------------------------------------------
def test_integer_arrays_are_scaled_by_their_range_or_refused():
    wide = np.full((4, 4, 3), 30000, np.uint16)
    assert np.array_equal(stylekit.stylize_image(wide, "sunset", 0.0), wide)
    styled = stylekit.stylize_image(wide, "sunset", 0.5)
    as8 = stylekit.stylize_image(np.full((4, 4, 3), 117, np.uint8), "sunset", 0.5)  # 30000/65535 = 117/255
    assert styled.dtype == np.uint16 and np.allclose(styled / 65535.0, as8 / 255.0, atol=0.01)
    with pytest.raises(TypeError, match="ambiguous"):
        stylekit.stylize_image(np.full((4, 4, 3), 100, np.int64), "sunset")
    with pytest.raises(TypeError):
        stylekit.stylize_image(np.zeros((4, 4, 3), bool), "sunset")


def test_float_arrays_must_be_finite_and_in_range():
    for bad in (np.full((4, 4, 3), np.nan, np.float32), np.full((4, 4, 3), 200.0)):
        with pytest.raises(ValueError):
            stylekit.stylize_image(bad, "sunset")
    with pytest.raises(ValueError, match="shape"):
        stylekit.stylize_image(np.zeros((4, 4)), "sunset")


def test_pil_modes_keep_their_scale():
    i16 = Image.fromarray(np.full((4, 4), 30000, np.uint16))
    assert np.asarray(stylekit.stylize_image(i16, "sunset", 0.0))[0, 0].tolist() == [117, 117, 117]
    flt = Image.fromarray(np.full((4, 4), 0.5, np.float32))
    assert np.asarray(stylekit.stylize_image(flt, "sunset", 0.0))[0, 0].tolist() == [128, 128, 128]


def test_wrong_types_raise_type_errors_with_a_message():
    with pytest.raises(TypeError, match="influencer must be a string"):
        stylekit.stylize_image(np.zeros((4, 4, 3), np.uint8), None)
    with pytest.raises(TypeError, match="text must be a string"):
        stylekit.stylize_text(None, "aurora")
    with pytest.raises(TypeError, match="image must be"):
        stylekit.stylize_image(42, "sunset")


# --- one line for careless input ------------------------------------------------------------------
def test_inspect_on_a_non_image_is_one_line(tmp_path):
    fake = tmp_path / "notes.jpg"
    fake.write_text("hello")
    result = run("inspect", fake)
    assert result.exit_code == 1 and error_lines(result) == [
        f"Error: {fake}: not an image stylekit reads (allowed: JPEG, PNG, WEBP, TIFF, BMP, GIF, MPO)"]


def test_a_real_video_is_named_as_a_video(tmp_path):
    cv2 = pytest.importorskip("cv2")
    clip = tmp_path / "clip.mp4"
    writer = cv2.VideoWriter(str(clip), cv2.VideoWriter_fourcc(*"mp4v"), 10, (32, 32))
    if not writer.isOpened():
        pytest.skip("OpenCV here cannot write MP4")
    for i in range(3):
        writer.write(scene(i, (32, 32)))
    writer.release()
    with pytest.raises(ImageReadError, match=r"is a video; videos are read as training photos with `stylekit train image --photos"):
        load_image(clip)
    renamed = tmp_path / "clip.jpg"
    renamed.write_bytes(clip.read_bytes())
    with pytest.raises(ImageReadError, match="is a video") as info:
        load_image(renamed)
    assert "renamed" not in str(info.value)


def test_non_utf8_stdin_is_one_line():
    result = run("text", "-", "-i", "aurora", input=b"hello \xff\xfe world\n")
    assert result.exit_code == 2 and error_lines(result) == [
        "Error: stdin is not UTF-8 text (bad byte at offset 6); convert it to UTF-8 first"]


# --- kill -9 at random points --------------------------------------------------------------------
def _visible_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)]


@pytest.mark.slow
def test_kill_9_at_random_points_leaves_no_partial_file_and_no_permanent_staging(tmp_path, photo_dir, monkeypatch):
    """Batch styling, import and training killed at random moments, several times each:
    every visible output is complete, every pack verifies, and leftovers are cleaned."""
    home = tmp_path / "home"
    env = dict(os.environ, STYLEKIT_HOME=str(home))
    batch = tmp_path / "batch"
    batch.mkdir()
    for i in range(12):
        Image.fromarray(scene(i, (256, 320))).save(batch / f"p{i}.png")
    monkeypatch.setenv("STYLEKIT_HOME", str(home))
    stylekit.train("image", "src", engine="classic", photos=photo_dir)
    archive = stylekit.export_pack("src", tmp_path / "src.zip")
    commands = [
        [STYLEKIT, "image", batch, "-i", "sunset", "--out-dir", tmp_path / "out", "--overwrite"],
        [STYLEKIT, "styles", "import", archive, "--name", "imported", "--overwrite"],
        [STYLEKIT, "train", "image", "-i", "trained", "--engine", "classic", "--photos", photo_dir, "--overwrite"],
    ]
    rng = random.Random(7)
    for trial in range(4):
        for command in commands:
            child = subprocess.Popen([str(c) for c in command], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.3, 2.5))
            if child.poll() is None:
                child.send_signal(signal.SIGKILL)
            child.wait()
            for path in _visible_files(tmp_path / "out") if (tmp_path / "out").exists() else []:
                load_image(path)  # complete, or not there at all
            for name in ("imported", "trained"):
                if (home / "packs" / name).exists():
                    verify_pack(read_manifest(home / "packs" / name))
    monkeypatch.setattr(store_module, "STALE_S", 0.0)
    store_module._HOUSEKEPT.clear()
    PackStore()
    assert [p.name for p in (home / "packs").iterdir() if p.name.startswith(".") and p.name != ".locks"] == []


def test_an_image_that_cannot_fit_in_free_memory_is_refused_from_its_header(tmp_path, monkeypatch):
    from stylekit import imageio

    path = tmp_path / "big.png"
    Image.fromarray(scene(1, (200, 300))).save(path)
    monkeypatch.setattr(imageio, "available_memory", lambda: 200 * 300 * imageio.BYTES_PER_PIXEL - 1)
    decoded = []
    monkeypatch.setattr(Image.Image, "load", lambda self: decoded.append(self))
    with pytest.raises(ImageReadError, match="needs about .* GB of memory"):
        load_image(path)
    assert decoded == []  # refused before decoding
    monkeypatch.setattr(imageio, "available_memory", lambda: None)
    monkeypatch.undo()
    assert load_image(path).size == (300, 200)
