"""Where outputs go (stylekit.outputs): never an input, never two outputs on one name in a
batch, atomic, and one clear line for every output path that cannot work."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

import stylekit
from stylekit import outputs
from stylekit.errors import OutputError, OutputExistsError, UsageError
from stylekit.imageio import save_image
from stylekit.outputs import atomic_write, check_output, distinct_names
from stylekit_cli.app import build_app

from .conftest import scene


def run(*args):
    return CliRunner().invoke(build_app(), [str(a) for a in args])


def lines(result) -> list[str]:
    return [line for line in result.output.strip().splitlines() if line.strip()]


@pytest.fixture
def photo(tmp_path) -> Path:
    path = tmp_path / "photo.jpg"
    Image.fromarray(scene(1)).save(path, quality=95)
    return path


# --- never an input ---------------------------------------------------------------------------
def test_save_recipe_onto_the_input_photo_is_refused(photo, tmp_path):
    before = photo.read_bytes()
    result = run("image", photo, "-i", "sunset", "--contrast", "1.1", "-o", tmp_path / "out.jpg", "--overwrite",
                 "--save-recipe", photo)
    assert result.exit_code != 0 and "never writes over its inputs" in result.output
    assert photo.read_bytes() == before
    assert not (tmp_path / "out.jpg").exists()


def test_save_recipe_onto_the_image_output_or_a_sticker_is_refused(photo, tmp_path):
    sticker = tmp_path / "s.png"
    Image.new("RGBA", (8, 8), (255, 0, 0, 255)).save(sticker)
    kept = sticker.read_bytes()
    result = run("image", photo, "--sticker", sticker, "-o", tmp_path / "o.png", "--save-recipe", sticker, "--overwrite")
    assert result.exit_code != 0 and sticker.read_bytes() == kept
    result = run("image", photo, "-i", "sunset", "-o", tmp_path / "o.png", "--save-recipe", tmp_path / "o.png")
    assert result.exit_code != 0 and not (tmp_path / "o.png").exists()


def test_post_never_overwrites_its_own_input(photo):
    before = photo.read_bytes()
    result = run("post", photo, "-i", "sunset", "--caption", "hello", "-o", photo, "--overwrite")
    assert result.exit_code != 0 and "never writes over its inputs" in result.output
    assert photo.read_bytes() == before


@pytest.mark.parametrize("link", ["symlink", "hardlink"])
def test_outputs_never_replace_an_input_through_a_link(photo, tmp_path, link):
    alias = tmp_path / f"alias_{link}.jpg"
    (alias.symlink_to if link == "symlink" else alias.hardlink_to)(photo)
    before = photo.read_bytes()
    result = stylekit.stylize_images([photo], "sunset", out=alias, overwrite=True)
    assert not result.written and "never writes over its inputs" in result.failed[0][1]
    assert run("post", photo, "-i", "sunset", "--caption", "hi", "-o", alias, "--overwrite").exit_code != 0
    assert photo.read_bytes() == before


# --- distinct names in a batch -----------------------------------------------------------------
def test_batch_name_collisions_get_distinct_names(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i, suffix in enumerate(["png", "bmp", "gif"]):
        Image.fromarray(scene(i)).save(folder / f"photo.{suffix}")
    result = run("image", folder, "-i", "sunset", "--overwrite")
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in folder.glob("photo_sunset*"))
    assert written == ["photo_sunset-1.png", "photo_sunset-2.png", "photo_sunset.png"]
    wrote = [line.split(" ", 1)[1] for line in lines(result) if line.startswith("wrote ")]
    assert len(wrote) == 3 and len(set(wrote)) == 3  # each 'wrote' names another file
    sources = {stylekit.inspect_image(folder / name)["stylekit"]["source"] for name in written}
    assert sources == {"photo.png", "photo.bmp", "photo.gif"}


def test_an_output_name_that_is_another_input_is_not_written_over(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    Image.fromarray(scene(1)).save(folder / "photo.png")
    Image.fromarray(scene(2)).save(folder / "photo_sunset.png")  # an input, named like photo.png's output
    kept = (folder / "photo_sunset.png").read_bytes()
    result = stylekit.stylize_images([folder], "sunset", overwrite=True)
    assert result.ok, result.failed
    assert (folder / "photo_sunset.png").read_bytes() == kept
    assert {d.name for _, d in result.written} == {"photo_sunset-1.png", "photo_sunset_sunset.png"}


def test_distinct_names_in_order():
    a, b = Path("/x/a.png"), Path("/x/b.png")
    assert distinct_names([a, a, b, a]) == [a, Path("/x/a-1.png"), b, Path("/x/a-2.png")]
    assert distinct_names([a], inputs=[a]) == [Path("/x/a-1.png")]


# --- one line for paths that cannot work --------------------------------------------------------
def test_out_dir_naming_an_existing_file(photo, tmp_path):
    (tmp_path / "afile").write_text("x")
    result = run("image", photo, "-i", "sunset", "--out-dir", tmp_path / "afile")
    assert result.exit_code == 1 and lines(result) == [f"Error: {tmp_path / 'afile'} is a file, not a folder; name a folder for the outputs"]


def test_output_under_a_file(photo, tmp_path):
    (tmp_path / "x.jpg").write_text("x")
    result = run("image", photo, "-i", "sunset", "-o", tmp_path / "x.jpg" / "y.jpg")
    assert result.exit_code == 1 and "is a file, not a folder" in result.output and "Traceback" not in result.output
    result = run("styles", "export", "sunset", "-o", tmp_path / "x.jpg" / "m.zip")
    assert result.exit_code == 1 and len(lines(result)) == 1 and "is a file, not a folder" in result.output


def test_output_that_is_a_folder(photo, tmp_path):
    (tmp_path / "folder.jpg").mkdir()
    result = run("image", photo, "-i", "sunset", "-o", tmp_path / "folder.jpg", "--overwrite")
    assert result.exit_code == 1 and "is a folder; name the image file to write (or pass --out-dir FOLDER" in result.output
    assert "no suffix" not in result.output
    result = run("styles", "export-lut", "sunset", "-o", tmp_path / "folder.jpg", "--overwrite")
    assert result.exit_code == 1 and lines(result) == [f"Error: {tmp_path / 'folder.jpg'} is a folder; name the LUT file to write"]
    assert (tmp_path / "folder.jpg").is_dir()


def test_api_errors_name_parameters_and_the_cli_names_flags(photo, tmp_path):
    target = tmp_path / "o.png"
    target.write_bytes(b"precious")
    with pytest.raises(OutputExistsError, match=r"pass overwrite=True") as info:
        save_image(target, np.zeros((2, 2, 3), np.float32))
    assert "--overwrite" not in str(info.value)
    result = run("image", photo, "-i", "sunset", "-o", target)
    assert "pass --overwrite to replace it" in result.output and "overwrite=True" not in result.output
    assert target.read_bytes() == b"precious"


def test_train_image_without_photos_or_lut_says_so():
    result = run("train", "image", "-i", "someone")
    assert result.exit_code == 2 and "not both" not in result.output
    assert "give --photos PATH (the influencer's photos) or --lut FILE" in result.output


# --- atomic writes and write failures ----------------------------------------------------------
@pytest.mark.parametrize("code, words", [(errno.ENOSPC, "the disk is full"), (errno.EROFS, "read-only"),
                                         (errno.EACCES, "permission denied")])
def test_write_failures_are_one_line_and_the_batch_continues(tmp_path, monkeypatch, code, words):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        Image.fromarray(scene(i)).save(folder / f"p{i}.png")
    real_save = Image.Image.save
    calls = []

    def failing_save(self, fp, *args, **kwargs):
        calls.append(fp)
        if len(calls) == 2:
            raise OSError(code, os.strerror(code))
        return real_save(self, fp, *args, **kwargs)

    monkeypatch.setattr(Image.Image, "save", failing_save)
    result = run("image", folder, "-i", "sunset")
    assert result.exit_code == 1
    failed = [line for line in lines(result) if line.startswith("failed:")]
    assert len(failed) == 1 and words in failed[0] and "p1_sunset.png: cannot write" in failed[0]
    assert sorted(p.name for p in folder.iterdir()) == ["p0.png", "p0_sunset.png", "p1.png", "p2.png", "p2_sunset.png"]


def test_atomic_write_leaves_nothing_on_failure(tmp_path):
    target = tmp_path / "o.txt"

    def write(tmp: Path) -> None:
        tmp.write_text("half")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OutputError, match="the disk is full"):
        atomic_write(target, write)
    assert list(tmp_path.iterdir()) == []


def test_atomic_write_never_clobbers_without_overwrite(tmp_path):
    target = tmp_path / "o.txt"
    target.write_text("precious")
    with pytest.raises(OutputExistsError):
        atomic_write(target, lambda tmp: tmp.write_text("new"))
    assert target.read_text() == "precious" and list(tmp_path.iterdir()) == [target]
    atomic_write(target, lambda tmp: tmp.write_text("new"), overwrite=True)
    assert target.read_text() == "new"


def test_temporary_files_of_a_killed_write_are_cleaned_later(tmp_path, monkeypatch):
    target = tmp_path / "o.png"
    stale = tmp_path / ".o.png.abcd1234.png"  # what a kill -9 mid-write leaves
    stale.write_bytes(b"partial")
    fresh = tmp_path / ".o.png.efgh5678.png"  # maybe another process writing right now
    fresh.write_bytes(b"partial")
    other = tmp_path / ".unrelated.png.abcd1234.png"
    other.write_bytes(b"not ours")
    old = os.path.getmtime(stale) - 2 * outputs.STALE_TEMP_S
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    atomic_write(target, lambda tmp: tmp.write_bytes(b"done"))
    assert not stale.exists() and fresh.exists() and other.exists() and target.read_bytes() == b"done"


def test_check_output_order_of_refusals(tmp_path):
    (tmp_path / "d").mkdir()
    with pytest.raises(OutputError, match="is a folder"):
        check_output(tmp_path / "d", overwrite=True)
    (tmp_path / "f").write_text("x")
    with pytest.raises(OutputError, match="is a file, not a folder"):
        check_output(tmp_path / "f" / "deeper" / "o.png", overwrite=True)
    with pytest.raises(OutputExistsError):
        check_output(tmp_path / "f")
    assert check_output(tmp_path / "new" / "o.png") == tmp_path / "new" / "o.png"


def test_api_messages_speak_parameters_and_the_cli_translates(photo, tmp_path):
    with pytest.raises(UsageError, match=r"out=FILE names one output file; for several inputs pass out_dir=FOLDER"):
        stylekit.stylize_images([photo, photo], "sunset", out=tmp_path / "o.png")
    result = run("image", photo, photo, "-i", "sunset", "-o", tmp_path / "o.png")
    assert lines(result) == ["Error: -o FILE names one output file; for several inputs pass --out-dir FOLDER"]
    result = run("image", photo)
    assert "give --influencer NAME and/or edits" in result.output
