"""The engines the contract suite runs over, each with tiny training data and settings.

A case says how to train two different styles with `stylekit.train` (the second one for
mixing), what to apply them to, and how far an output is from its input. Adding an engine
to the suite means adding a case here; the tests themselves name no engine.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
from PIL import Image

from ..conftest import scene


@dataclass
class Case:
    """One engine under contract."""

    id: str
    engine: str  # the registered name
    package: str  # the plugin's import package (must import without torch)
    modality: str
    make_data: Callable[[Path, int], dict[str, Any]]  # (folder, variant) -> stylekit.train inputs
    settings: dict[str, Any] = field(default_factory=dict)  # steps, size, options
    exports_lut: bool = False  # whether a style of this case exports as a .cube
    # The settings the engine really uses, name -> default, where it keeps them apart from its
    # declared `train_options` (which must then agree with them).
    real_settings: Callable[[], dict[str, Any]] | None = None

    def __str__(self) -> str:
        return self.id


GRADES = (np.array([1.15, 1.0, 0.8]), np.array([0.85, 0.95, 1.2]))  # warm, then cool


def _photos(folder: Path, variant: int, count: int = 4) -> Path:
    """`count` tiny photos of different scenes in the look `variant` (warm or cool)."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        rgb = np.clip(scene(10 * variant + i) / 255.0 * GRADES[variant] + 0.03, 0, 1)
        Image.fromarray((rgb * 255).astype(np.uint8)).save(folder / f"p{i}.png")
    return folder


def image_photos(folder: Path, variant: int) -> dict[str, Any]:
    return {"photos": _photos(folder / "feed", variant)}


def image_photos_and_content(folder: Path, variant: int) -> dict[str, Any]:
    content = folder / "content"
    content.mkdir(parents=True, exist_ok=True)
    for i in range(3):
        Image.fromarray(scene(100 + i)).save(content / f"c{i}.png")
    return {"photos": _photos(folder / "feed", variant), "content": content}


def image_lut(folder: Path, variant: int) -> dict[str, Any]:
    from stylekit.lut import identity_lut, write_cube

    folder.mkdir(parents=True, exist_ok=True)
    lut = np.clip(identity_lut(9) ** (0.8 if variant == 0 else 1.25) * GRADES[variant], 0, 1).astype(np.float32)
    return {"lut": write_cube(folder / f"preset{variant}.cube", lut, overwrite=True)}


def gan_settings() -> dict[str, Any]:
    from dataclasses import fields

    from stylekit_gan.train import Settings

    return {f.name: f.default for f in fields(Settings) if f.name not in ("steps", "size")}  # --steps, --size


def text_posts(folder: Path, variant: int) -> dict[str, Any]:
    from stylekit_seq2seq.corpus import load_background

    sentences = load_background()
    mark = (" 🌙 #latenight", "!!! ✨ #sunshine")[variant]
    posts = [s.lower().rstrip(".") + mark for s in sentences[:400]]
    return {"posts": posts, "background": sentences[1000:1600]}


CASES = [
    Case("classic-reinhard", "classic", "stylekit_classic", "image", image_photos),
    Case("classic-lut", "classic", "stylekit_classic", "image", image_lut, exports_lut=True),
    Case("gan", "gan", "stylekit_gan", "image", image_photos_and_content, exports_lut=True,
         settings={"steps": 5, "size": 32, "options": {"batch": 4, "feed_augs": 2, "checkpoint_every": 2}},
         real_settings=gan_settings),
    Case("seq2seq", "seq2seq", "stylekit_seq2seq", "text", text_posts,
         settings={"steps": 12, "options": {"size": "tiny", "checkpoint_every": 4}}),
    Case("duotone (third-party example)", "duotone", "stylekit_duotone", "image", image_photos, exports_lut=True),
]

TEXTS = ["You went to the market and bought fresh bread.", "I like the sea in the morning.",
         "We walked home after dinner.", "The train was late again today."]


def samples(case: Case) -> Any:
    """What the styles are applied to: a small photo, or a few plain sentences."""
    if case.modality == "text":
        return TEXTS
    return scene(42, (33, 45)).astype(np.float32) / 255.0


def distance(case: Case, out: Any, content: Any) -> float:
    """How far an output is from its input: mean absolute pixel change, or the fraction of
    characters changed (summed over the sentences)."""
    if case.modality == "text":
        return sum(1.0 - difflib.SequenceMatcher(None, o, c).ratio() for o, c in zip(out, content))
    return float(np.abs(np.asarray(out, np.float32) - content).mean())
