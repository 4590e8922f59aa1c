"""Property/fuzz tests: hostile bytes and text fed to every reader of untrusted files.
Only stylekit's own one-line errors may escape. Derandomised, so the same corpus replays
in every run (a few seconds)."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from PIL import Image  # noqa: E402

from stylekit.errors import ImageReadError, PackError, StylekitError, UsageError  # noqa: E402
from stylekit.imageio import load_image  # noqa: E402
from stylekit.lut import read_cube  # noqa: E402
from stylekit.packs import MANIFEST, read_manifest  # noqa: E402
from stylekit.recipes import load_recipe  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")  # Pillow's notes on corrupt metadata
FUZZ = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _seed_images() -> list[bytes]:
    rng = np.random.default_rng(0)
    pixels = (rng.random((12, 16, 3)) * 255).astype(np.uint8)
    seeds = []
    for fmt, mode in [("PNG", "RGB"), ("JPEG", "RGB"), ("GIF", "P"), ("BMP", "RGB"), ("TIFF", "RGB"), ("WEBP", "RGB"), ("PNG", "RGBA")]:
        buf = io.BytesIO()
        Image.fromarray(pixels).convert(mode).save(buf, format=fmt)
        seeds.append(buf.getvalue())
    return seeds


SEED_IMAGES = _seed_images()


@st.composite
def mutated(draw, seeds: list[bytes]) -> bytes:
    """A seed file with a few bytes flipped, a slice cut out, or truncated."""
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(0, 6))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        choice = draw(st.integers(0, 2))
        if choice == 0:
            data[at] = draw(st.integers(0, 255))
        elif choice == 1:
            del data[at : at + draw(st.integers(1, 64))]
        else:
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return bytes(data)


@FUZZ
@given(data=st.one_of(mutated(SEED_IMAGES), st.binary(max_size=512)), suffix=st.sampled_from([".png", ".jpg", ".gif", ".tif"]))
def test_image_loader_raises_only_its_own_error(tmp_path, data, suffix):
    path = tmp_path / f"f{suffix}"
    path.write_bytes(data)
    try:
        image = load_image(path)
    except ImageReadError as exc:
        assert "\n" not in str(exc)
        return
    assert image.rgb.dtype == np.float32 and image.rgb.ndim == 3 and np.all(np.isfinite(image.rgb))


CUBE_TOKENS = st.sampled_from([
    "TITLE \"x\"", "LUT_3D_SIZE 2", "LUT_3D_SIZE 3", "LUT_3D_SIZE 0", "LUT_3D_SIZE 999999", "LUT_3D_SIZE x",
    "LUT_1D_SIZE 4", "DOMAIN_MIN 0 0 0", "DOMAIN_MAX 1 1 1", "DOMAIN_MIN nan 0 0", "DOMAIN_MAX 1 1", "DOMAIN_MAX 0 0 0",
    "0 0 0", "1 1 1", "0.5 0.25 1", "nan nan nan", "inf 0 0", "-1e308 0 0", "1 2", "1 2 3 4", "# comment", "", "\x00",
    "LUT_3D_INPUT_RANGE 0 1", "é 1 1",
])


@FUZZ
@given(lines=st.lists(CUBE_TOKENS, max_size=40), raw=st.text(max_size=60))
def test_cube_reader_raises_only_its_own_error(tmp_path, lines, raw):
    path = tmp_path / "f.cube"
    path.write_bytes(("\n".join(lines) + "\n" + raw).encode("utf-8", "replace"))
    try:
        table = read_cube(path)
    except UsageError as exc:
        assert "\n" not in str(exc)
        return
    assert table.ndim == 4 and np.all(np.isfinite(table))


MANIFEST_SEED = """format_version = 1
name = "tester"
display_name = "Tester"
description = "d"
licence = "CC0"

[consent]
granted_by = "me"

[training_data.image]
photos = 4

[modalities.image]
engine = "classic"

[files]
"image/config.json" = "0000000000000000000000000000000000000000000000000000000000000000"
"""

TOML_BITS = st.sampled_from([
    "name = 123", "name = \"../x\"", "name = \"Tester\"", "format_version = 2", "files = 5", "[files]",
    '"../../etc/hostname" = "' + "0" * 64 + '"', '"/etc/passwd" = "' + "0" * 64 + '"', '"image/w.pt" = "' + "0" * 64 + '"',
    "training_data = \"x\"", "[modalities.video]", "engine = 5", "consent = 3", "[consent]", "granted_by = 1",
    "x = " + "[" * 300 + "]" * 300, "description = [1, 2]", "modalities = {}", "= = =", "[[files]]",
])


@FUZZ
@given(extra=st.lists(TOML_BITS, max_size=6), cut=st.integers(0, len(MANIFEST_SEED)), raw=st.text(max_size=40))
def test_manifest_reader_raises_only_its_own_error(tmp_path, extra, cut, raw):
    folder = tmp_path / "tester"
    folder.mkdir(exist_ok=True)
    text = MANIFEST_SEED[:cut] + "\n" + "\n".join(extra) + "\n" + raw
    (folder / MANIFEST).write_bytes(text.encode("utf-8", "replace"))
    try:
        pack = read_manifest(folder)
    except PackError as exc:
        assert "\n" not in str(exc)
        return
    for rel in pack.files:  # whatever it accepts stays inside the pack
        assert (folder / rel).resolve().is_relative_to(folder.resolve())


RECIPE_SEED = """format_version = 1

[transfer]
influencer = "sunset"
strength = 0.8
region = ""

[[edits]]
name = "contrast"
amount = 1.1

[[overlays]]
name = "caption"
text = "weekend!"

[avatar]
size = 512
circle = true
"""

RECIPE_BITS = st.sampled_from([
    "strength = 99", "strength = nan", "strength = \"x\"", "[[edits]]", "name = \"nope\"", "name = 5", "amount = -1e308",
    "amount = inf", "[avatar]", "size = 300", "size = \"big\"", "format_version = 9", "region = \"hat\"", "mask = 4",
    "[[overlays]]", "name = \"sticker\"", "path = \"/dev/zero\"", "x = " + "{a = " * 200 + "1" + "}" * 200, "edits = 3",
    "[transfer]", "influencer = 7",
])


@FUZZ
@given(extra=st.lists(RECIPE_BITS, max_size=6), cut=st.integers(0, len(RECIPE_SEED)), raw=st.text(max_size=40))
def test_recipe_reader_raises_only_its_own_error(tmp_path, extra, cut, raw):
    path = tmp_path / "r.toml"
    path.write_bytes((RECIPE_SEED[:cut] + "\n" + "\n".join(extra) + "\n" + raw).encode("utf-8", "replace"))
    try:
        load_recipe(path)
    except StylekitError as exc:
        assert "\n" not in str(exc)


def test_deep_nesting_is_a_one_line_error(tmp_path):
    deep = "x = " + "[" * 5000 + "]" * 5000 + "\n"
    recipe = tmp_path / "r.toml"
    recipe.write_text(deep)
    with pytest.raises(UsageError):
        load_recipe(recipe)
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / MANIFEST).write_text(deep)
    with pytest.raises(PackError, match="nested too deeply"):
        read_manifest(Path(tmp_path / "p"))
