"""The plugin manager: entry points, broken plugins, filtering, fake plugins, hook docs."""

from __future__ import annotations

import inspect
import re
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

import stylekit
from stylekit import hookimpl, hookspecs
from stylekit.edits import Edit, Param
from stylekit.engines import (
    LoadedStyle,
    Option,
    ProgressEvent,
    StyleTransfer,
    get_default_engine,
    get_engine,
    get_engines,
)
from stylekit.errors import PackError, TrainingError, UnknownEngineError, UsageError
from stylekit.plugins import get_plugin_manager, get_plugins, reset_plugin_manager

ROOT = Path(__file__).resolve().parents[1]


def make_dist(site: Path, name: str, module_source: str) -> None:
    """A minimal installed distribution with one `stylekit` entry point, on `site`."""
    (site / f"{name}.py").write_text(module_source)
    info = site / f"{name}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[stylekit]\n{name} = {name}\n")


@pytest.fixture
def site(tmp_path, monkeypatch):
    path = tmp_path / "site"
    path.mkdir()
    monkeypatch.syspath_prepend(str(path))
    yield path
    for mod in [m for m in sys.modules if m.startswith("fake_")]:
        del sys.modules[mod]


def test_builtin_plugins_load_through_entry_points():
    infos = {i.name: i for i in get_plugins()}
    assert infos["classic"].status == "loaded"
    assert infos["classic"].distribution == "stylekit"
    assert "register_transfers" in infos["classic"].hooks
    assert "classic" in get_engines("image")


def test_broken_plugin_is_reported_not_fatal(site):
    make_dist(site, "fake_broken", "raise RuntimeError('boom at import')\n")
    reset_plugin_manager()
    with pytest.warns(RuntimeWarning, match="fake_broken"):
        get_plugin_manager()
    infos = {i.name: i for i in get_plugins()}
    assert infos["fake_broken"].status == "failed"
    assert "RuntimeError: boom at import" in infos["fake_broken"].error
    assert infos["classic"].status == "loaded"
    assert "classic" in get_engines()


def test_load_plugins_env_limits(site, monkeypatch):
    make_dist(site, "fake_ok", "from stylekit import hookimpl\n")
    monkeypatch.setenv("STYLEKIT_LOAD_PLUGINS", "fake_ok")
    reset_plugin_manager()
    names = {i.name: i.status for i in get_plugins(include_skipped=True)}
    assert names["fake_ok"] == "loaded" and names["classic"] == "skipped"
    assert "classic" not in {i.name for i in get_plugins()}
    assert get_engines() == {}


def test_fake_engine_registered_in_test():
    class Fake(StyleTransfer):
        name, modality, description = "fake", "image", "test engine"

        def train(self, data, out_dir, config, progress=None):
            return {}

        def load(self, style_dir, device="cpu"):
            raise NotImplementedError

    class Plugin:
        __name__ = "fake-plugin"

        @hookimpl
        def register_transfers(self, register):
            register(Fake)

    pm = get_plugin_manager()
    pm.register(Plugin(), name="fake-plugin")
    try:
        assert isinstance(get_engine("fake", "image"), Fake)
        assert "fake-plugin" in {i.name for i in get_plugins()}
    finally:
        pm.unregister(name="fake-plugin")
    with pytest.raises(UnknownEngineError, match="Unknown image engine 'fake'; installed: .*classic"):
        get_engine("fake", "image")


# --- every hook: documented with its real signature, and tested through what it does ----------

def _hooks() -> dict[str, object]:
    """The hooks as the plugin manager knows them (not a hand-kept list)."""
    return {name: caller for name, caller in vars(get_plugin_manager().hook).items() if not name.startswith("_")}


def test_every_hook_is_documented_with_its_signature_and_has_a_behavioural_test():
    docs = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    documented = dict(re.findall(r"`(register_\w+)\(([^)]*)\)`", docs))
    hooks = _hooks()
    assert set(hooks) == set(documented), f"hooks {sorted(hooks)} vs documented {sorted(documented)}"
    for name in hooks:
        spec = getattr(hookspecs, name)
        assert spec.__doc__, f"{name} has no docstring"
        params = [p.strip() for p in documented[name].split(",") if p.strip()]
        assert params == list(inspect.signature(spec).parameters), f"docs/plugins.md shows {name}({documented[name]})"
        assert callable(globals().get(f"test_hook_{name}")), f"no behavioural test test_hook_{name}"


class _Plugin:
    """Register `plugin` under `name` for the duration of a with-block."""

    def __init__(self, plugin: object, name: str) -> None:
        self.plugin, self.name = plugin, name

    def __enter__(self):
        get_plugin_manager().register(self.plugin, name=self.name)
        return self.plugin

    def __exit__(self, *exc) -> None:
        get_plugin_manager().unregister(name=self.name)


def _cli(*args, input: str | None = None):
    from typer.testing import CliRunner

    from stylekit_cli.app import build_app

    return CliRunner().invoke(build_app(), [str(a) for a in args], input=input)


class Invert(StyleTransfer):
    """A third-party engine: learns nothing but the feed's mean brightness, inverts toward it."""

    name, modality, description = "invert", "image", "test engine"
    default_priority = 1000  # above every built-in: the default image engine while registered
    min_photos = 2
    can_mix = True
    train_options = {"gain": Option(float, 1.0, "how far to invert")}
    apply_options = {"clip": Option(bool, True, "clip to [0, 1]")}

    def train(self, data, out_dir, config, progress=None):
        from safetensors.numpy import save_file

        from stylekit.imageio import load_image

        level = np.mean([load_image(p).rgb.mean() for p in data.photos], dtype=np.float32)
        gain = np.float32(config.options.get("gain", 1.0))
        save_file({"level": np.array([level]), "gain": np.array([gain])}, str(out_dir / "model.safetensors"))
        if progress:
            progress(ProgressEvent(1, 1, "measure"))
        return {"level": float(level)}

    def load(self, style_dir, device="cpu"):
        from safetensors.numpy import load_file

        return InvertStyle(load_file(str(style_dir / "model.safetensors")))

    def mix(self, styles, weights):
        return InvertStyle({k: sum(w * s.t[k] for s, w in zip(styles, weights)) for k in styles[0].t})


class InvertStyle(LoadedStyle):
    engine = "invert"

    def __init__(self, tensors):
        self.t = tensors

    def apply(self, content, strength=1.0, clip=True):
        out = content + strength * self.t["gain"][0] * ((1.0 - content) - content)
        return np.clip(out, 0, 1) if clip else out


class EnginePlugin:
    @hookimpl
    def register_transfers(self, register):
        register(Invert)


def test_hook_register_transfers(photo_dir, png_photo, tmp_path):
    """A third-party engine gets what a built-in one gets: default by priority, options
    checked, minimum data, mixing, the CLI, and the manifest records it."""
    with _Plugin(EnginePlugin(), "invert-plugin"):
        assert get_engine("invert", "image").name == "invert"
        pack = stylekit.train("image", "inv", photos=photo_dir, options={"gain": "0.5"})  # no --engine: priority
        assert pack.modalities["image"]["engine"] == "invert"
        with pytest.raises(UsageError, match="no train option 'beta'; its train options: gain"):
            stylekit.train("image", "inv2", photos=photo_dir, options={"beta": 2})
        with pytest.raises(TrainingError, match="the 'invert' engine needs at least 2"):
            stylekit.train("image", "inv3", photos=next(photo_dir.iterdir()))
        rgb = np.full((4, 4, 3), 0.2, np.float32)
        np.testing.assert_allclose(stylekit.stylize_image(rgb, "inv"), 0.5, atol=1e-6)  # 0.2 + 0.5 * 0.6
        with pytest.raises(UsageError, match="no apply option 'x'; its apply options: clip"):
            stylekit.stylize_image(rgb, "inv", x=1)
        stylekit.train("image", "inv4", photos=photo_dir)
        np.testing.assert_allclose(stylekit.stylize_image(rgb, "inv:1,inv4:1"), 0.5 * 0.5 + 0.5 * 0.8, atol=1e-6)
        with pytest.raises(UsageError, match="does not learn from --lut"):
            stylekit.train("image", "inv5", engine="invert", lut=ROOT / "examples/presets/sunset.cube")
        listing = _cli("engines").stdout
        assert "invert [image, default, mix]: test engine" in listing and "-O gain=float" in listing
        result = _cli("image", png_photo, "-i", "inv", "-O", "clip=false", "-o", tmp_path / "o.png")
        assert result.exit_code == 0, result.output
    with pytest.raises(UnknownEngineError):  # gone with its plugin; the built-in default is back
        get_engine("invert", "image")
    assert get_default_engine("image").name != "invert"


def _posterise(image, levels=256):
    return np.round(image * (levels - 1)) / (levels - 1)


def _top_half(image, softness=0.0):
    mask = np.zeros(image.shape[:2], np.float32)
    mask[: image.shape[0] // 2] = 1.0
    return mask


class EditPlugin:
    @hookimpl
    def register_edits(self, register):
        register(Edit("posterise", _posterise, (Param("levels", "int", 256, "levels per channel", 2, 256),),
                      "Fewer levels per channel.", shortcut=True))
        register(Edit("top", _top_half, (Param("softness", "float", 0.0, "unused", 0.0, 1.0),),
                      "The top half of the photo.", kind="region"))


def test_hook_register_edits(png_photo, tmp_path):
    """A plugin's edit is a shortcut flag of `stylekit image`, an `--edit`, a recipe step
    and listed by `stylekit edits`; its region edit limits a look like a built-in region."""
    import importlib

    import stylekit_cli.image
    from stylekit.imageio import load_image

    pm = get_plugin_manager()
    pm.register(EditPlugin(), name="edit-plugin")
    importlib.reload(stylekit_cli.image)  # shortcut flags are read when the command is built
    try:
        assert "--posterise" in _cli("image", "--help").stdout
        by_flag = _cli("image", png_photo, "--posterise", "2", "-o", tmp_path / "a.png")
        by_edit = _cli("image", png_photo, "-e", "posterise=2", "-o", tmp_path / "b.png")
        assert by_flag.exit_code == 0 and by_edit.exit_code == 0, by_flag.output + by_edit.output
        a, b = load_image(tmp_path / "a.png").rgb, load_image(tmp_path / "b.png").rgb
        assert np.array_equal(a, b) and set(np.unique(a)) <= {0.0, 1.0}
        assert "posterise [adjust]" in _cli("edits").stdout and "top [region]" in _cli("edits").stdout
        region = _cli("image", png_photo, "-i", "sunset", "--region", "top", "-o", tmp_path / "r.png")
        assert region.exit_code == 0, region.output
        original, styled = load_image(png_photo).rgb, load_image(tmp_path / "r.png").rgb
        half = original.shape[0] // 2
        assert np.abs(styled[half:] - original[half:]).max() < 2 / 255  # untouched outside the region
        assert np.abs(styled[:half] - original[:half]).mean() > 0.01
    finally:
        pm.unregister(name="edit-plugin")
        importlib.reload(stylekit_cli.image)
    assert "--posterise" not in _cli("image", "--help").stdout


def test_hook_register_packs(photo_dir, tmp_path):
    """A shipped pack is listed as bundled, usable by name and read-only; the hook runs once
    per process, and again only when the plugins change."""
    from stylekit.store import get_bundled_packs

    source = stylekit.train("image", "shipped", engine="classic", photos=photo_dir)
    folder = tmp_path / "plugin_packs" / "shipped2"
    shutil.copytree(source.path, folder)
    manifest = folder / "stylepack.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace('name = "shipped"', 'name = "shipped2"'), encoding="utf-8")
    calls = []

    class PackPlugin:
        @hookimpl
        def register_packs(self, register):
            calls.append(1)
            register(folder)

    with _Plugin(PackPlugin(), "pack-plugin"):
        assert get_bundled_packs()["shipped2"] == folder
        listing = _cli("styles", "list").stdout
        assert any(line.startswith("shipped2") and "bundled" in line for line in listing.splitlines())
        assert stylekit.load_pack("shipped2").bundled
        assert stylekit.stylize_image(np.full((2, 2, 3), 0.5, np.float32), "shipped2").shape == (2, 2, 3)
        with pytest.raises(PackError, match="bundled"):
            stylekit.remove_pack("shipped2")
        assert len(calls) == 1, "register_packs ran more than once in this process"
    assert "shipped2" not in get_bundled_packs()


def test_hook_register_commands():
    """A plugin's command runs from the CLI, with arguments and the API at hand."""

    class CommandPlugin:
        @hookimpl
        def register_commands(self, app):
            import typer

            @app.command("count-packs")
            def count_packs(prefix: str = "") -> None:
                typer.echo(len([p for p in stylekit.list_packs() if p.name.startswith(prefix)]))

    with _Plugin(CommandPlugin(), "command-plugin"):
        assert _cli("count-packs", "--prefix", "no").stdout.strip() == "1"  # noir
        assert "count-packs" in _cli("--help").stdout
    assert _cli("count-packs").exit_code != 0
