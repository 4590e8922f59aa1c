"""`stylekit sheet`: a photo, or a video's middle frame, in every installed look, labelled."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from stylekit_cli.app import build_app


def cli(*args):
    return CliRunner().invoke(build_app(), [str(a) for a in args])


def test_sheet_of_a_photo_has_every_installed_look(png_photo, tmp_path):
    from stylekit.sheet import LABEL, image_looks, make_sheet

    looks = image_looks()
    assert {"aurora", "noir", "sunset", "xiaoman"} <= set(looks)
    out = tmp_path / "sheet.png"
    result = cli("sheet", png_photo, "-o", out, "--tile", "64")
    assert result.exit_code == 0, result.output
    assert f"wrote {out} ({len(looks)} looks)" in result.output
    sheet = np.asarray(Image.open(out).convert("RGB"), np.int16)
    made = make_sheet(png_photo, tile=64)
    assert made.labels == ["original", *looks]
    h, w = 48, 64  # the photo fits the tile
    cols = int(np.ceil(np.sqrt(len(looks) + 1)))
    rows = int(np.ceil((len(looks) + 1) / cols))
    assert sheet.shape == (rows * (h + LABEL + 8) + 8, cols * (w + 8) + 8, 3)
    original = sheet[8 : 8 + h, 8 : 8 + w]
    assert np.abs(original - np.asarray(Image.open(png_photo).convert("RGB"), np.int16)).max() <= 1
    tiles = [sheet[8 + (i // cols) * (h + LABEL + 8):][:h, 8 + (i % cols) * (w + 8):][:, :w] for i in range(len(looks) + 1)]
    assert all(np.abs(t - original).mean() > 1 for t in tiles[1:])  # each look changes the photo
    labels = [sheet[8 + (i // cols) * (h + LABEL + 8) + h :][:LABEL, 8 + (i % cols) * (w + 8):][:, :w] for i in range(len(looks) + 1)]
    assert all((lab < 128).any() for lab in labels)  # dark label text under every tile
    assert "already exists" in cli("sheet", png_photo, "-o", out).output


def test_sheet_of_a_video_uses_a_frame_from_the_middle(tmp_path):
    pytest.importorskip("av")
    from tests.test_video import make_clip

    clip = make_clip(tmp_path / "clip.mp4", seconds=1.0, rotation=0)
    result = cli("sheet", clip, "--strength", "0.5")
    assert result.exit_code == 0, result.output
    out = tmp_path / "clip_sheet.jpg"
    assert out.is_file() and Image.open(out).size[0] > 160


def test_sheet_refuses_a_missing_photo_in_one_line(tmp_path):
    result = cli("sheet", tmp_path / "nothing.jpg")
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1
