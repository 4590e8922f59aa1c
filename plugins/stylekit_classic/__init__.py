"""Built-in plugin `classic`: the non-learned colour transfers (Reinhard, histogram
matching, `.cube` LUTs) that users would otherwise reach for, and the bundled `sunset` pack."""

from __future__ import annotations

from pathlib import Path

from stylekit.hookspecs import hookimpl

PACKS_DIR = Path(__file__).parent / "packs"


@hookimpl
def register_transfers(register):
    """The `classic` image engine (imported here so that listing plugins stays light)."""
    from .engine import ClassicEngine

    register(ClassicEngine)


@hookimpl
def register_packs(register):
    """Demo packs shipped with the plugin (read-only)."""
    for pack in sorted(PACKS_DIR.iterdir()) if PACKS_DIR.is_dir() else []:
        if (pack / "stylepack.toml").is_file():
            register(pack)
