"""Safe image I/O: modes, orientation, bad files, bombs, atomic writes, provenance."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from stylekit.errors import ImageReadError, OutputExistsError, UsageError
from stylekit.imageio import expand_image_paths, load_image, read_provenance, save_image, to_uint8

from .conftest import scene


def _png_header_only(path: Path, width: int, height: int) -> None:
    """A valid PNG signature and IHDR claiming a huge image, with a tiny IDAT."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 16)) + chunk(b"IEND", b""))


def test_rgb_roundtrip_exact(tmp_path):
    pixels = scene(1)
    Image.fromarray(pixels).save(tmp_path / "a.png")
    img = load_image(tmp_path / "a.png")
    assert img.rgb.dtype == np.float32 and img.rgb.shape == (48, 64, 3) and img.alpha is None
    assert np.array_equal(to_uint8(img.rgb), pixels)


@pytest.mark.parametrize("mode", ["L", "1", "P", "CMYK", "YCbCr", "LAB"])
def test_modes_become_rgb(tmp_path, mode):
    src = Image.fromarray(scene(2)).convert(mode)
    fmt = {"CMYK": "JPEG", "YCbCr": "JPEG", "LAB": "TIFF"}.get(mode, "PNG")
    path = tmp_path / f"a.{fmt.lower()}"
    src.save(path, format=fmt)
    img = load_image(path)
    assert img.rgb.shape == (48, 64, 3) and img.alpha is None
    assert 0.0 <= img.rgb.min() and img.rgb.max() <= 1.0


def test_greyscale_is_neutral(tmp_path):
    Image.fromarray(scene(3)).convert("L").save(tmp_path / "g.png")
    rgb = load_image(tmp_path / "g.png").rgb
    assert np.array_equal(rgb[..., 0], rgb[..., 1]) and np.array_equal(rgb[..., 1], rgb[..., 2])


@pytest.mark.parametrize("mode", ["RGBA", "LA"])
def test_alpha_is_kept(tmp_path, mode):
    rgba = np.dstack([scene(4), np.linspace(0, 255, 64, dtype=np.uint8)[None, :].repeat(48, 0)])
    Image.fromarray(rgba, "RGBA").convert(mode).save(tmp_path / "a.png")
    img = load_image(tmp_path / "a.png")
    assert img.alpha is not None and img.alpha.shape == (48, 64)
    assert img.alpha[0, 0] == 0.0 and img.alpha[0, -1] == 1.0


def test_palette_transparency_becomes_alpha(tmp_path):
    p = Image.fromarray(np.array([[0, 1], [1, 1]], np.uint8), "P")
    p.putpalette([255, 0, 0, 0, 255, 0])
    p.save(tmp_path / "p.png", transparency=0)
    img = load_image(tmp_path / "p.png")
    assert img.alpha is not None and img.alpha[0, 0] == 0 and img.alpha[1, 1] == 1
    assert img.rgb[1, 1, 1] == 1.0


def test_16bit_grey_keeps_precision(tmp_path):
    values = (np.arange(48 * 64, dtype=np.uint16) * 21).reshape(48, 64)
    Image.fromarray(values).save(tmp_path / "g16.png")
    rgb = load_image(tmp_path / "g16.png").rgb
    assert np.allclose(rgb[..., 0], values / 65535.0, atol=1e-6)


def test_16bit_colour_png_read_at_16_bits(tmp_path):
    import cv2

    rgb16 = (np.random.default_rng(0).integers(0, 65536, (8, 8, 3))).astype(np.uint16)
    cv2.imwrite(str(tmp_path / "c16.png"), rgb16[..., ::-1])
    img = load_image(tmp_path / "c16.png")
    assert img.mode == "RGB;16"
    assert np.allclose(img.rgb, rgb16 / 65535.0, atol=1e-6)


def test_exif_orientation_applied(tmp_path):
    pixels = scene(6)  # 48 x 64, landscape
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 CW on display
    Image.fromarray(pixels).save(tmp_path / "o.jpg", exif=exif.tobytes(), quality=100)
    assert load_image(tmp_path / "o.jpg").rgb.shape == (64, 48, 3)


def test_animated_gif_first_frame(tmp_path):
    frames = [Image.new("RGB", (8, 8), c) for c in ((255, 0, 0), (0, 0, 255))]
    frames[0].save(tmp_path / "a.gif", save_all=True, append_images=frames[1:])
    rgb = load_image(tmp_path / "a.gif").rgb
    assert rgb[0, 0, 0] > 0.9 and rgb[0, 0, 2] < 0.1


def test_truncated_jpeg_reported_by_name(tmp_path):
    Image.fromarray(scene(7)).save(tmp_path / "t.jpg", quality=95)
    data = (tmp_path / "t.jpg").read_bytes()
    (tmp_path / "t.jpg").write_bytes(data[: len(data) // 2])
    with pytest.raises(ImageReadError, match=r"t\.jpg: truncated or corrupt"):
        load_image(tmp_path / "t.jpg")


def test_text_file_named_jpg(tmp_path):
    (tmp_path / "notes.jpg").write_text("not an image")
    with pytest.raises(ImageReadError, match=r"notes\.jpg: not an image stylekit reads"):
        load_image(tmp_path / "notes.jpg")


def test_disallowed_format_refused(tmp_path):
    Image.fromarray(scene(8)).save(tmp_path / "a.ppm")
    with pytest.raises(ImageReadError, match="not an image stylekit reads"):
        load_image(tmp_path / "a.ppm")


def test_decompression_bomb_refused_from_header(tmp_path):
    _png_header_only(tmp_path / "huge.png", 30000, 30000)
    with pytest.raises(ImageReadError, match=r"huge\.png: image is .*pixel limit"):
        load_image(tmp_path / "huge.png")


def test_bomb_limit_configurable(tmp_path, monkeypatch):
    Image.fromarray(scene(9)).save(tmp_path / "a.png")
    monkeypatch.setenv("STYLEKIT_MAX_PIXELS", "100")
    with pytest.raises(ImageReadError, match="over the 100 limit"):
        load_image(tmp_path / "a.png")


def test_missing_and_folder(tmp_path):
    with pytest.raises(ImageReadError, match="no such file"):
        load_image(tmp_path / "nope.jpg")
    with pytest.raises(ImageReadError, match="is a folder"):
        load_image(tmp_path)


def test_expand_folder_keeps_only_images(tmp_path):
    for name in ("b.jpg", "a.PNG", "notes.txt"):
        (tmp_path / name).write_bytes(b"")
    assert [p.name for p in expand_image_paths([tmp_path])] == ["a.PNG", "b.jpg"]


@pytest.mark.parametrize("suffix", [".png", ".jpg", ".webp", ".tiff"])
def test_provenance_roundtrip(tmp_path, suffix):
    rgb = scene(10).astype(np.float32) / 255
    meta = {"tool": "stylekit", "version": "9.9", "influencer": "zoë", "strength": 0.5}
    save_image(tmp_path / f"o{suffix}", rgb, provenance=meta)
    assert read_provenance(tmp_path / f"o{suffix}") == meta


def test_no_provenance_is_none(tmp_path):
    Image.fromarray(scene(11)).save(tmp_path / "plain.png")
    assert read_provenance(tmp_path / "plain.png") is None


def test_save_never_overwrites_without_asking(tmp_path):
    rgb = np.zeros((4, 4, 3), np.float32)
    target = tmp_path / "o.png"
    target.write_bytes(b"precious")
    with pytest.raises(OutputExistsError, match="overwrite=True"):
        save_image(target, rgb)
    assert target.read_bytes() == b"precious"
    assert [p.name for p in tmp_path.iterdir()] == ["o.png"]  # no temp file left behind
    save_image(target, rgb, overwrite=True)
    assert load_image(target).rgb.shape == (4, 4, 3)


def test_alpha_saved_in_png_composited_in_jpeg(tmp_path):
    rgb = np.zeros((4, 4, 3), np.float32)
    alpha = np.zeros((4, 4), np.float32)
    save_image(tmp_path / "o.png", rgb, alpha)
    assert Image.open(tmp_path / "o.png").mode == "RGBA"
    save_image(tmp_path / "o.jpg", rgb, alpha)
    assert load_image(tmp_path / "o.jpg").rgb.min() > 0.95  # transparent black over white


def test_unknown_output_suffix(tmp_path):
    with pytest.raises(UsageError, match="cannot write '.xyz'"):
        save_image(tmp_path / "o.xyz", np.zeros((2, 2, 3), np.float32))
