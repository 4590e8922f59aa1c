"""The shipped ordinary-photo reference and the script that builds it."""

from __future__ import annotations

import fnmatch
import importlib.util
import io
import json
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "plugins" / "stylekit_gan" / "data" / "reference"
FREE_LICENCES = {"public-domain", "CC0-1.0", "CC-BY-2.0", "CC-BY-3.0", "CC-BY-SA-3.0", "CC-BY-SA-4.0",
                 "GPL-2+", "GPL-3", "GPL-3+", "LGPL-3.0", "MIT", "CeCILL", "GFDL-NIV-1.2+", "GFDL"}


@pytest.fixture(scope="module")
def builder():
    spec = importlib.util.spec_from_file_location("build_reference_photos", ROOT / "scripts" / "build_reference_photos.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up there
    try:
        spec.loader.exec_module(mod)
        yield mod
    finally:
        sys.modules.pop(spec.name, None)


@pytest.fixture(scope="module")
def index():
    return json.loads((REFERENCE / "index.json").read_text(encoding="utf-8"))


def test_index_lists_every_thumbnail_once(index):
    files = [p["file"] for p in index["photos"]]
    assert index["count"] == len(files) >= 100
    assert len(set(files)) == len(files)
    assert len({p["source_id"] for p in index["photos"]}) == len(files)
    assert sorted(files) == sorted(p.name for p in REFERENCE.glob("*.jpg"))


def test_entries_name_a_free_licence_and_no_reserved_package(index, builder):
    for p in index["photos"]:
        assert p["licence"] in FREE_LICENCES, p["file"]
        assert p["author"] and p["source_package"] and p["path"], p["file"]
        assert not any(fnmatch.fnmatchcase(p["source_package"], f) for f in builder.FORBIDDEN), p["file"]
    assert not index["skipped_sources"]


def test_thumbnails_are_small_rgb_jpegs(index):
    for p in index["photos"][::25]:
        with Image.open(REFERENCE / p["file"]) as im:
            assert im.format == "JPEG" and im.mode == "RGB"
            assert max(im.size) <= 256 and list(im.size) == p["size"]
    total = sum(f.stat().st_size for f in REFERENCE.glob("*.jpg"))
    assert total < 15e6


def test_script_list_matches_index(index, builder):
    listed = {f"{builder.SOURCES[p.source].package}:{p.path}" for p in builder.PHOTOS}
    assert listed == {p["source_id"] for p in index["photos"]}


def test_endless_sky_licences_follow_debian_copyright_order(builder):
    assert builder.es_licence("bwerner3") == ("CC-BY-SA-3.0", "Berthold Werner (Wikimedia Commons)")
    assert builder.es_licence("city13-sfiera")[0] == "CC-BY-SA-4.0"
    assert builder.es_licence("nasa2") == ("public-domain", "NASA")
    assert builder.es_licence("lava5") == ("CC-BY-SA-4.0", "Michael Zahniser")  # later stanza wins
    assert builder.es_licence("hills0")[1].startswith("various (morgueFile")


def test_credits_readme_parsing_and_licence_names(builder):
    text = ("Copyright: Someone\nLicense: CC-BY-SA 4.0\nFiles:\na.svg\n\n"
            "Copyright: Jane Doe\nSource: https://example.org/x.jpg\nLicense: Public Domain\nFiles:\nsea1.webp\nsea2.webp\n\n"
            "Files: cow.webp\nLicense: GPLv2+\nCopyright: X\n")
    parsed = builder.parse_credits_readme(text)
    assert parsed["sea2.webp"]["copyright"] == "Jane Doe"
    assert builder.normalise_licence(parsed["sea1.webp"]["license"]) == "public-domain"
    assert builder.normalise_licence(parsed["a.svg"]["license"]) == "CC-BY-SA-4.0"
    assert builder.normalise_licence(parsed["cow.webp"]["license"]) == "GPL-2+"


def test_load_photo_applies_exif_orientation_without_touching_colours(builder):
    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 256, (6, 10, 3), dtype=np.uint8)
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise for display
    buf = io.BytesIO()
    Image.fromarray(pixels).save(buf, "PNG", exif=exif.tobytes())
    im, colour = builder.load_photo(buf.getvalue(), "x.png")
    assert im.size == (6, 10)
    assert np.array_equal(np.asarray(im), np.rot90(pixels, k=-1))
    assert "unchanged" in colour


def test_resized_keeps_aspect_and_never_upscales(builder):
    im = Image.new("RGB", (720, 360))
    assert builder.resized(im, 256).size == (256, 128)
    assert builder.resized(im, 1024).size == (720, 360)


def test_full_mode_refuses_a_folder_inside_the_repository(builder, capsys):
    assert builder.main(["--full", str(ROOT / "refs")]) == 2
    assert "outside the repository" in capsys.readouterr().err


def test_build_writes_thumbnails_index_and_card_and_removes_only_its_own_stale_files(builder, tmp_path, monkeypatch):
    installed = [p for p in builder.PY_PHOTOS if builder.SOURCES[p.source].kind == "installed"][:2]
    monkeypatch.setattr(builder, "PHOTOS", installed)
    (tmp_path / "mine.jpg").write_bytes(b"not the builder's")
    assert builder.build(tmp_path, 64, None, False, write_card=True) == 0
    index = json.loads((tmp_path / "index.json").read_text(encoding="utf-8"))
    assert [p["file"] for p in index["photos"]] == [f"{p.scene}.jpg" for p in installed]
    for p in index["photos"]:
        with Image.open(tmp_path / p["file"]) as im:
            assert max(im.size) == 64
    assert f"{len(installed)} distinct photographs" in (tmp_path / "DATA_CARD.md").read_text(encoding="utf-8")

    monkeypatch.setattr(builder, "PHOTOS", installed[:1])
    assert builder.build(tmp_path, 64, None, False, write_card=False) == 0
    assert not (tmp_path / f"{installed[1].scene}.jpg").exists()
    assert (tmp_path / "mine.jpg").read_bytes() == b"not the builder's"
