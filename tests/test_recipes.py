"""Recipes (stylekit/recipes.py): TOML round trip, validation messages, fixed order, replay."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from stylekit import plugins
from stylekit.edits import Edit, Param
from stylekit.errors import OutputExistsError, UnknownEditError, UsageError
from stylekit.hookspecs import hookimpl
from stylekit.recipes import Recipe, Step, apply_recipe_edits, load_recipe, save_recipe


def _noise(image, amount=0.0, seed=0):
    rng = np.random.default_rng(seed)
    return image + np.float32(amount) * rng.standard_normal(image.shape, dtype=np.float32)


def _scale(image, factor=1.0):
    return image * np.float32(factor)


def _stamp(image, path="", value=1.0):
    """An overlay that writes `value` into the top-left pixel and remembers the path it got."""
    if not path:
        return image.copy()
    _stamp.paths.append(path)
    out = image.copy()
    out[0, 0] = value
    return out


_stamp.paths = []


def _crop_half(image, size=0):
    return image.copy() if size == 0 else image[: image.shape[0] // 2].copy()


class FakeEdits:
    """One edit of every kind (a region too), registered through the real hook."""

    @hookimpl
    def register_edits(self, register):
        register(Edit("noise", _noise, (Param("amount", "float", 0.0, "", 0.0, 1.0),
                                        Param("seed", "int", 0, "", 0, 2**31 - 1)), "Seeded noise."))
        register(Edit("scale", _scale, (Param("factor", "float", 1.0, "", 0.0, 4.0),), "Multiply."))
        register(Edit("stamp", _stamp, (Param("path", "path", "", ""), Param("value", "float", 1.0, "", 0.0, 1.0)),
                      "Mark a pixel.", kind="overlay"))
        register(Edit("avatar", _crop_half, (Param("size", "int", 0, "", choices=(0, 128)),), "Top half.",
                      kind="avatar"))
        register(Edit("clothes", _lower_half, (), "Lower half.", kind="region"))


def _lower_half(image):
    mask = np.zeros(image.shape[:2], np.float32)
    mask[image.shape[0] // 2:] = 1.0
    return mask


@pytest.fixture(autouse=True)
def fake_plugin(monkeypatch):
    monkeypatch.setenv("STYLEKIT_LOAD_PLUGINS", "")
    plugins.reset_plugin_manager()
    plugin = FakeEdits()
    plugins.get_plugin_manager().register(plugin)
    _stamp.paths.clear()
    try:
        yield plugin
    finally:
        plugins.reset_plugin_manager()


@pytest.fixture
def image():
    return np.random.default_rng(1).random((8, 6, 3), dtype=np.float32)


def _full_recipe(tmp_path: Path) -> Recipe:
    (tmp_path / "assets").mkdir(exist_ok=True)
    return Recipe(
        influencer="aurora:0.7,noir:0.3", strength=0.8, region="clothes",
        edits=[Step("scale", {"factor": 1.5}), Step("noise", {"amount": 0.1, "seed": 7})],
        overlays=[Step("stamp", {"path": str(tmp_path / "assets" / "star.png"), "value": 0.5})],
        avatar={"size": 128},
    )


def test_save_load_replay_gives_identical_pixels(tmp_path, image):
    recipe = _full_recipe(tmp_path)
    first = apply_recipe_edits(image, recipe)
    path = save_recipe(recipe, tmp_path / "look.toml")
    loaded = load_recipe(path)
    assert np.array_equal(apply_recipe_edits(image, loaded), first)
    assert np.array_equal(apply_recipe_edits(image, load_recipe(path)), first)
    assert loaded.influencer == "aurora:0.7,noir:0.3" and loaded.strength == 0.8 and loaded.region == "clothes"
    assert [s.name for s in loaded.edits] == ["scale", "noise"] and loaded.avatar == {"size": 128}


def test_a_different_seed_changes_the_pixels(tmp_path, image):
    recipe = _full_recipe(tmp_path)
    other = _full_recipe(tmp_path)
    other.edits[1].params["seed"] = 8
    assert not np.array_equal(apply_recipe_edits(image, recipe), apply_recipe_edits(image, other))


def test_order_is_edits_then_avatar_then_overlays(tmp_path, image):
    out = apply_recipe_edits(image, _full_recipe(tmp_path))
    expected = _noise(_scale(image, 1.5), 0.1, 7)[:4]  # edits, then the avatar's half crop
    expected[0, 0] = 0.5  # the overlay lands on the cropped image
    assert np.array_equal(out, expected)


def test_paths_are_stored_relative_to_the_recipe_and_resolved_on_load(tmp_path, image):
    save_recipe(_full_recipe(tmp_path), tmp_path / "look.toml")
    text = (tmp_path / "look.toml").read_text(encoding="utf-8")
    assert 'path = "assets/star.png"' in text and str(tmp_path) not in text
    moved = tmp_path / "moved"
    moved.mkdir()
    (tmp_path / "look.toml").rename(moved / "look.toml")
    apply_recipe_edits(image, load_recipe(moved / "look.toml"))
    assert _stamp.paths == [str(moved / "assets" / "star.png")]


def test_unicode_survives_the_round_trip(tmp_path):
    recipe = Recipe(influencer="美咲", overlays=[Step("stamp", {"path": "周末 🎉.png"})])
    loaded = load_recipe(save_recipe(recipe, tmp_path / "r.toml"))
    assert loaded.influencer == "美咲"
    assert loaded.overlays[0].params["path"].endswith("周末 🎉.png")


def test_empty_recipe_is_the_identity(tmp_path, image):
    loaded = load_recipe(save_recipe(Recipe(), tmp_path / "r.toml"))
    assert np.array_equal(apply_recipe_edits(image, loaded), image)


@pytest.mark.parametrize(
    ("text", "error", "message"),
    [
        ("format_version = 1\n[[edits]\n", UsageError, r"is not valid TOML"),
        ("format_version = 2\n", UsageError, r"format_version is 2, this stylekit reads 1"),
        ("format_version = 1\n[[edits]]\nname = 'sepia'\n", UnknownEditError, r"Unknown edit 'sepia'"),
        ("format_version = 1\n[[edits]]\nname = 'scale'\nfactor = 9\n", UsageError, r"scale\.factor=9 is out of range; allowed: 0 to 4"),
        ("format_version = 1\n[[edits]]\nname = 'scale'\ngain = 2\n", UsageError, r"no parameter 'gain'"),
        ("format_version = 1\n[[edits]]\nfactor = 2\n", UsageError, r"edits entry 1 has no name"),
        ("format_version = 1\n[[edits]]\nname = 'stamp'\n", UsageError, r"'stamp' is an overlay edit and cannot go in \[\[edits\]\]"),
        ("format_version = 1\n[transfer]\nregion = 'face'\nmask = 'm.png'\n", UsageError, r"either transfer.region or transfer.mask"),
        ("format_version = 1\n[transfer]\nstrength = 5\n", UsageError, r"strength=5 is out of range"),
        ("format_version = 1\n[transfer]\nstrength = 'high'\n", UsageError, r"strength='high' is not a number"),
        ("format_version = 1\n[transfer]\nregion = 'hat'\n", UsageError, r"region='hat' is unknown; use one of clothes, or ''"),
        ("format_version = 1\n[transfer]\nengine = 'gan'\n", UsageError, r"unknown transfer setting 'engine'"),
        ("format_version = 1\n[colours]\n", UsageError, r"unknown section 'colours'"),
        ("format_version = 1\navatar = 3\n", UsageError, r"\[avatar\] must be a table"),
        ("format_version = 1\n[avatar]\nsize = 100\n", UsageError, r"avatar\.size=100 is out of range; allowed: one of: 0, 128"),
    ],
)
def test_load_errors_are_one_line_and_name_the_file(tmp_path, text, error, message):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(error, match=message) as info:
        load_recipe(path)
    assert str(info.value).startswith(f"Recipe {path}")
    assert "\n" not in str(info.value)


def test_missing_recipe_file(tmp_path):
    with pytest.raises(UsageError, match=r"Recipe .*nope\.toml not found"):
        load_recipe(tmp_path / "nope.toml")


def test_save_does_not_overwrite_unless_asked(tmp_path):
    path = save_recipe(Recipe(strength=0.5), tmp_path / "r.toml")
    with pytest.raises(OutputExistsError, match="already exists; pass overwrite=True"):
        save_recipe(Recipe(strength=0.9), path)
    assert load_recipe(path).strength == 0.5
    save_recipe(Recipe(strength=0.9), path, overwrite=True)
    assert load_recipe(path).strength == 0.9
    assert [p.name for p in tmp_path.iterdir()] == ["r.toml"]  # no temporary files left behind


def test_save_refuses_an_invalid_recipe_and_writes_nothing(tmp_path):
    with pytest.raises(UsageError, match="out of range"):
        save_recipe(Recipe(edits=[Step("scale", {"factor": -1})]), tmp_path / "r.toml")
    assert not list(tmp_path.iterdir())
