"""Open a text style folder in whichever mode it was trained (tagger or full generator)."""

from __future__ import annotations

import json
from pathlib import Path

from stylekit.engines import LoadedStyle
from stylekit.errors import PackError
from stylekit.training import resolve_device

from .files import ENGINE_FILE


def load_style(style_dir: Path, device: str = "cpu") -> LoadedStyle:
    """The loaded voice in `style_dir`; `PackError` when the folder is not a seq2seq style."""
    try:
        meta = json.loads((style_dir / ENGINE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise PackError(f"'{style_dir}' is not a seq2seq text style (no readable {ENGINE_FILE}); retrain it.") from None
    device = resolve_device(device)
    if meta.get("mode") == "generator":
        from .generator import GeneratorStyle

        return GeneratorStyle.load(style_dir, device)
    if meta.get("mode") == "tagger":
        from .generate import VoiceStyle

        return VoiceStyle.load(style_dir, device)
    raise PackError(f"'{style_dir}' has unknown text mode {meta.get('mode')!r}; update stylekit or retrain.")
