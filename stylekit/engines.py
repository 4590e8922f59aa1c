"""The `StyleTransfer` contract every engine implements, and the engine registry.

An engine learns a style from data (`train`), writes it into one modality folder of a
style pack, reads it back (`load`) and applies it (`LoadedStyle.apply`). Engines are
registered by plugins through the `register_transfers` hook, built-ins included.

Images cross this boundary as float32 numpy arrays of shape (H, W, 3), sRGB in [0, 1];
texts as Python strings. Engines import heavy libraries (torch, transformers) lazily,
inside `train` and `load`, so that listing plugins stays instant.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Literal, Sequence

from .errors import MixNotSupportedError, UnknownEngineError

if TYPE_CHECKING:
    import numpy as np

Modality = Literal["image", "text"]
MODALITIES: tuple[Modality, ...] = ("image", "text")
MAX_STRENGTH = 1.5  # strength 0 = unchanged, 1 = the style, above 1 extrapolates where engines can


@dataclass
class ProgressEvent:
    """One progress report from a long job: `done` of `total` steps, plus named numbers."""

    done: int
    total: int
    stage: str = ""
    values: dict[str, float] = field(default_factory=dict)


ProgressFn = Callable[[ProgressEvent], None]


@dataclass
class TrainData:
    """What an engine learns from; each engine reads the fields of its modality.

    photos: the influencer's images (already expanded from a folder or video).
    content: ordinary photos to contrast with (the user's own, or bundled ones).
    lut: a `.cube` preset to build a look from, instead of photos.
    posts: the influencer's posts, one string each.
    background: neutral everyday sentences to contrast with.
    """

    photos: Sequence[Path] = ()
    content: Sequence[Path] = ()
    lut: Path | None = None
    posts: Sequence[str] = ()
    background: Sequence[str] = ()


@dataclass
class TrainConfig:
    """Settings common to every engine's training, plus engine-specific `options`."""

    steps: int | None = None
    size: int | None = None
    device: str = "auto"
    seed: int = 0
    resume: bool = False
    base_model: Path | None = None
    work_dir: Path | None = None
    options: dict[str, Any] = field(default_factory=dict)


class LoadedStyle(ABC):
    """A style read from a pack, ready to apply to content."""

    engine: str = ""

    @abstractmethod
    def apply(self, content: Any, strength: float = 1.0, **options: Any) -> Any:
        """Return `content` in this style; strength 0 is the content unchanged, 1 the style."""

    def to_lut(self, size: int = 33) -> "np.ndarray | None":
        """The colour part of this style as a (size, size, size, 3) RGB lattice, or None."""
        return None


class StyleTransfer(ABC):
    """One engine: learns a style of one modality and loads it back.

    Subclasses set `name`, `modality` and `description`, and implement `train` and `load`.
    """

    name: ClassVar[str]
    modality: ClassVar[Modality]
    description: ClassVar[str] = ""

    @abstractmethod
    def train(
        self,
        data: TrainData,
        out_dir: Path,
        config: TrainConfig,
        progress: ProgressFn | None = None,
    ) -> dict[str, Any]:
        """Learn a style from `data`, write its files into `out_dir`; return metrics and a summary."""

    @abstractmethod
    def load(self, style_dir: Path, device: str = "cpu") -> LoadedStyle:
        """Read a style this engine wrote into `style_dir`."""

    def mix(self, styles: Sequence[LoadedStyle], weights: Sequence[float]) -> LoadedStyle:
        """Blend the learned transforms of several loaded styles (weights sum to 1)."""
        raise MixNotSupportedError(f"The '{self.name}' engine cannot mix styles; use one influencer.")


def get_engines(modality: Modality | None = None) -> dict[str, type[StyleTransfer]]:
    """Every engine registered by loaded plugins, by name (optionally of one modality)."""
    from .plugins import get_plugin_manager

    engines: dict[str, type[StyleTransfer]] = {}

    def register(engine_class: type[StyleTransfer]) -> None:
        engines[engine_class.name] = engine_class

    get_plugin_manager().hook.register_transfers(register=register)
    if modality is not None:
        engines = {n: e for n, e in engines.items() if e.modality == modality}
    return dict(sorted(engines.items()))


def get_engine(name: str, modality: Modality | None = None) -> StyleTransfer:
    """An instance of the engine called `name`; `UnknownEngineError` lists the installed ones."""
    engines = get_engines(modality)
    if name not in engines:
        kind = f"{modality} " if modality else ""
        installed = ", ".join(engines) or "none"
        raise UnknownEngineError(
            f"Unknown {kind}engine '{name}'; installed: {installed} (see `stylekit plugins`)."
        )
    return engines[name]()
