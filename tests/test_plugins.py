"""The plugin manager: entry points, broken plugins, filtering, fake plugins, hook docs."""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

import pytest

from stylekit import hookimpl, hookspecs
from stylekit.engines import StyleTransfer, get_engine, get_engines
from stylekit.errors import UnknownEngineError
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


def test_every_hook_has_docstring_test_and_docs():
    docs = (ROOT / "docs" / "plugins.md").read_text()
    tests = "".join(p.read_text() for p in (ROOT / "tests").rglob("test_*.py"))
    specs = [n for n, f in inspect.getmembers(hookspecs, inspect.isfunction) if n.startswith("register_")]
    assert specs == ["register_commands", "register_edits", "register_packs", "register_transfers"]
    for name in specs:
        assert getattr(hookspecs, name).__doc__, f"{name} has no docstring"
        assert f"`{name}" in docs, f"{name} is not documented in docs/plugins.md"
        assert f"def {name}(self" in tests, f"no fake plugin in the tests implements {name}"


def test_fake_plugin_packs_commands_and_edits(tmp_path, photo_dir):
    import stylekit
    from stylekit.store import get_bundled_packs

    pack = stylekit.train("image", "shipped", engine="classic", photos=photo_dir)
    seen_apps, edits = [], []

    class Plugin:
        @hookimpl
        def register_packs(self, register):
            register(pack.path)

        @hookimpl
        def register_commands(self, app):
            seen_apps.append(app)

        @hookimpl
        def register_edits(self, register):
            register("invert")

    pm = get_plugin_manager()
    pm.register(Plugin(), name="fake-all")
    try:
        assert get_bundled_packs()["shipped"] == pack.path
        pm.hook.register_edits(register=edits.append)
        assert "invert" in edits
        from stylekit_cli.app import build_app

        app = build_app()
        assert seen_apps == [app]
    finally:
        pm.unregister(name="fake-all")
