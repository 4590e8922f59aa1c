"""Built-in plugin `demo`: the fictional demo influencers `aurora` and `noir`, each with a
look learned by the `gan` engine and a voice learned by the `seq2seq` engine from material
this project made (rebuild with `python scripts/build_demo_packs.py`)."""

from __future__ import annotations

from pathlib import Path

from stylekit.hookspecs import hookimpl

PACKS_DIR = Path(__file__).parent / "packs"


@hookimpl
def register_packs(register):
    """The demo packs (read-only)."""
    for pack in sorted(PACKS_DIR.iterdir()) if PACKS_DIR.is_dir() else []:
        if (pack / "stylepack.toml").is_file():
            register(pack)
