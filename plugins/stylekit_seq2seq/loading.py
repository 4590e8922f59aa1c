"""Open a text style folder in whichever mode it was trained (tagger or full generator)."""

from __future__ import annotations

from pathlib import Path

from stylekit.engines import LoadedStyle
from stylekit.errors import PackError
from stylekit.training import resolve_device

from .files import ENGINE_FILE, FORMAT_VERSION


def load_style(style_dir: Path, device: str = "cpu") -> LoadedStyle:
    """The loaded voice in `style_dir`; `PackError` when the folder is not a seq2seq style."""
    from stylekit.packfiles import read_config

    meta = read_config(style_dir, "seq2seq", FORMAT_VERSION, name=ENGINE_FILE)  # older files say "format": 1
    if meta.get("mode") == "generator":
        from .generator import GeneratorStyle

        return GeneratorStyle.load(style_dir, resolve_device(device))
    if meta.get("mode") == "tagger":
        from .generate import VoiceStyle

        return VoiceStyle.load(style_dir, tagger_device(device))
    raise PackError(f"'{style_dir}' has unknown text mode {meta.get('mode')!r}; update stylekit or retrain.")


def tagger_device(device: str) -> str:
    """Where a voice's tagger runs: "auto" is the CPU, where the tiny tagger runs in numpy
    without importing torch (faster than a GPU round trip for a sentence); "cuda" runs it
    with torch on the GPU (an error without one)."""
    return "cpu" if str(device).strip().lower() == "auto" else resolve_device(device)
