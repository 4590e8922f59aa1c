"""The contract suite shares one store per test module (each engine trains a few tiny
styles once, then every contract test reads them) and registers the example third-party
plugin `stylekit-duotone` from `examples/`, exactly as its entry point would."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from stylekit.plugins import get_plugin_manager, reset_plugin_manager

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "stylekit-duotone"


def register_example_plugin() -> None:
    """Load `stylekit_duotone` from the example folder and register it like an entry point."""
    sys.path.insert(0, str(EXAMPLE))
    try:  # off the path again at once: its build metadata would register it in later tests
        import stylekit_duotone
    finally:
        sys.path.remove(str(EXAMPLE))

    pm = get_plugin_manager()
    if pm.get_plugin("duotone") is None:
        pm.register(stylekit_duotone, name="duotone")


@pytest.fixture(scope="module", autouse=True)
def isolated_home(tmp_path_factory):
    """One empty store for the module (overrides the per-test store of tests/conftest.py)."""
    home = tmp_path_factory.mktemp("contract_home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("STYLEKIT_HOME", str(home))
        mp.delenv("STYLEKIT_LOAD_PLUGINS", raising=False)
        mp.delenv("STYLEKIT_DEBUG", raising=False)
        mp.setenv("HF_HUB_OFFLINE", "1")
        mp.setenv("TRANSFORMERS_OFFLINE", "1")
        reset_plugin_manager()
        register_example_plugin()
        yield home
        reset_plugin_manager()
