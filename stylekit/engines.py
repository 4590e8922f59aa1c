"""The `StyleTransfer` contract every engine implements, and the engine registry.

An engine learns a style from data (`train`), writes it into one modality folder of a
style pack, reads it back (`load`) and applies it (`LoadedStyle.apply`, `apply_batch`).
Engines are registered by plugins through the `register_transfers` hook, built-ins
included, and declare on the class everything the core needs to know about them: the
training inputs they learn from, their minimum data, their options (`-O KEY=VALUE`), their
default priority and whether their styles can be mixed or exported as a LUT. The core
never names an engine; it reads these declarations.

Images cross this boundary as float32 numpy arrays of shape (H, W, 3), sRGB in [0, 1];
texts as Python strings. Engines import heavy libraries (torch, transformers) lazily,
inside `train` and `load`, so that listing plugins stays instant.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Literal, Mapping, NamedTuple, Sequence

from .errors import MixNotSupportedError, UnknownEngineError, UsageError

if TYPE_CHECKING:
    import numpy as np

Modality = Literal["image", "text"]
MODALITIES: tuple[Modality, ...] = ("image", "text")
MAX_STRENGTH = 1.5  # strength 0 = unchanged, 1 = the style, above 1 extrapolates where engines can
# The training inputs (fields of `TrainData`) an engine may learn from; CLI flags are `--<name>`.
TRAIN_INPUTS = ("photos", "content", "lut", "posts", "background")
DEFAULT_INPUTS: dict[str, frozenset[str]] = {"image": frozenset({"photos"}), "text": frozenset({"posts"})}


@dataclass
class ProgressEvent:
    """One progress report from a long job: `done` of `total` steps, plus named numbers;
    `note` is a line for the user said once (the training estimate), else empty."""

    done: int
    total: int
    stage: str = ""
    values: dict[str, float] = field(default_factory=dict)
    note: str = ""


ProgressFn = Callable[[ProgressEvent], None]


@dataclass
class TrainData:
    """What an engine learns from; each engine reads the fields it declares in `inputs`.

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
    """Settings common to every engine's training, plus engine-specific `options`.

    `name` is the influencer the style is for (for titles inside the files); `options`
    arrive checked against the engine's `train_options` schema.
    """

    steps: int | None = None
    size: int | None = None
    device: str = "auto"
    seed: int = 0
    resume: bool = False
    base_model: Path | None = None
    work_dir: Path | None = None
    options: dict[str, Any] = field(default_factory=dict)
    name: str = ""


class Option(NamedTuple):
    """One engine option (`-O KEY=VALUE`): its type (int, float, bool or str), the value
    the engine uses when it is not given, one line of help, and the allowed values if the
    choice is closed."""

    type: type
    default: Any
    help: str
    choices: tuple[Any, ...] = ()


class FrameApplier:
    """One image style at one strength, ready for video frames of one size (made by
    `LoadedStyle.frame_applier`): 8-bit RGB in, 8-bit RGB out.

    A style whose result depends on the frame's content (an image-adaptive look) returns
    that content-dependent state from `measure`; the caller smooths it over time, resets it
    at scene cuts, and passes the smoothed state back to `apply`, so the look does not
    flicker. Styles without such state keep the defaults.
    """

    height: int = 0
    width: int = 0

    def measure(self, frame: "np.ndarray") -> "np.ndarray | None":
        """The frame's content-dependent state as a float array, or None when there is none."""
        return None

    def apply(self, frame: "np.ndarray", state: "np.ndarray | None" = None) -> "np.ndarray":
        """Return a new (H, W, 3) uint8 frame in this style; `state` is the smoothed result of
        `measure` (None when the style measures nothing)."""
        raise NotImplementedError

    def apply_rgbx(self, frame: "np.ndarray", state: "np.ndarray | None" = None) -> "np.ndarray":
        """Like `apply`, but the result may carry a fourth (scratch) channel after RGB, so a
        fast path need not copy its output into a 3-channel array."""
        return self.apply(frame, state)


class LoadedStyle(ABC):
    """A style read from a pack, ready to apply to content.

    The core has already checked `strength` (0 to `MAX_STRENGTH`) and `options` (against
    the engine's `apply_options`) before calling `apply`; at strength 0 it does not call
    the engine at all.
    """

    engine: str = ""

    @abstractmethod
    def apply(self, content: Any, strength: float = 1.0, **options: Any) -> Any:
        """Return `content` in this style; strength 0 is the content unchanged, 1 the style."""

    def apply_batch(self, contents: Sequence[Any], strength: float = 1.0, **options: Any) -> list[Any]:
        """`apply` over several contents, results in order; engines override it to batch."""
        return [self.apply(content, strength=strength, **options) for content in contents]

    def to_lut(self, size: int = 33) -> "np.ndarray | None":
        """The colour part of this style as a (size, size, size, 3) RGB lattice, or None."""
        return None

    def lut_leaves_out(self) -> list[str]:
        """What of this style a `.cube` export (`to_lut`) cannot hold, in words (e.g. "vignette");
        empty when the LUT is the whole style."""
        return []

    def frame_applier(self, height: int, width: int, strength: float = 1.0, **options: Any) -> FrameApplier:
        """This style at `strength` (and checked `options`) for (height, width) uint8 video frames.

        The default bakes the style into a 256^3 table when its LUT export is the whole style
        (`to_lut` gives one and `lut_leaves_out` is empty), evaluating the style's own `apply`
        on the lattice, and otherwise runs `apply` on every frame. Engines with more to a look
        (a vignette, local tone) override it to keep frames fast; the result must match
        `apply` on the same frame within one 8-bit level.
        """
        from .frames import default_frame_applier

        return default_frame_applier(self, height, width, strength, options)


class StyleTransfer(ABC):
    """One engine: learns a style of one modality and loads it back.

    Subclasses set `name`, `modality` and `description`, implement `train` and `load`, and
    declare what the core asks of them:

    - `inputs`: the `TrainData` fields it learns from (default: photos for image engines,
      posts for text engines); the core refuses any other input given to it, and picks
      the engine for a training run without `--engine` among those that accept the inputs;
    - `default_priority`: the installed engine with the highest priority that accepts the
      inputs is the modality's default (ties: alphabetical);
    - `min_photos`, `min_posts`: the least training data it can learn from;
    - `good_photos`: how many photos it needs for a reliable look (fewer train, with a
      warning saying so; 0: no such advice);
    - `train_options`, `apply_options`: option name -> `Option`; unknown keys are refused;
    - `can_mix` (implements `mix`), `can_export_lut` (`LoadedStyle.to_lut` may give a LUT).
    """

    name: ClassVar[str]
    modality: ClassVar[Modality]
    description: ClassVar[str] = ""
    inputs: ClassVar[frozenset[str] | None] = None
    default_priority: ClassVar[int] = 0
    min_photos: ClassVar[int] = 1
    min_posts: ClassVar[int] = 1
    good_photos: ClassVar[int] = 0
    train_options: ClassVar[Mapping[str, Option]] = {}
    apply_options: ClassVar[Mapping[str, Option]] = {}
    can_mix: ClassVar[bool] = False
    can_export_lut: ClassVar[bool] = False

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

    def estimate_look(self, photos: Sequence[Any]) -> LoadedStyle | None:
        """The look a set of photos (float32 RGB arrays) carries, estimated without training,
        or None where the engine cannot tell. `stylekit recommend` compares it with each
        installed look; image engines with a learned look prior implement it."""
        return None


# --- what the core checks once, for every engine ----------------------------------------------
def check_strength(strength: Any, where: str = "strength") -> float:
    """`strength` as a float in [0, MAX_STRENGTH]; `UsageError` naming `where` otherwise.
    The one place strength is validated: engines receive it checked."""
    allowed = f"allowed: between 0 and {MAX_STRENGTH:g}"
    if isinstance(strength, bool) or not isinstance(strength, (int, float)):
        raise UsageError(f"{where}={strength!r} is not a number; {allowed}")
    if not 0.0 <= strength <= MAX_STRENGTH:
        raise UsageError(f"{where}={strength:g} is out of range; {allowed}")
    return float(strength)


def engine_inputs(engine: type[StyleTransfer]) -> frozenset[str]:
    """The training inputs `engine` learns from (its `inputs`, or its modality's default)."""
    return frozenset(engine.inputs) if engine.inputs is not None else DEFAULT_INPUTS[engine.modality]


def _coerce(value: Any, option: Option, where: str) -> Any:
    kind = option.type
    if kind is bool:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off"):
            return False
        raise UsageError(f"{where}={value!r} is not true or false")
    if kind in (int, float):
        if isinstance(value, bool):
            raise UsageError(f"{where}={value!r} is not a number")
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise UsageError(f"{where}={value!r} is not a number") from None
        if not math.isfinite(number) or (kind is int and number != int(number)):
            raise UsageError(f"{where}={value!r} is not {'a whole' if kind is int else 'a finite'} number")
        value = int(number) if kind is int else number
    elif kind is str:
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise UsageError(f"{where}={value!r} is not text")
        value = str(value)
    elif not isinstance(value, kind):
        raise UsageError(f"{where}={value!r} is not a {kind.__name__}")
    if option.choices and value not in option.choices:
        raise UsageError(f"{where}={value!r} is not allowed; use one of {', '.join(map(str, option.choices))}")
    return value


def validate_options(
    engine: type[StyleTransfer], options: Mapping[str, Any] | None, kind: Literal["train", "apply"]
) -> dict[str, Any]:
    """`options` checked against the engine's `train_options` or `apply_options` schema and
    converted to the declared types; unknown keys are refused with the list of known ones.
    Options not given are left out (the engine uses its defaults)."""
    schema = engine.train_options if kind == "train" else engine.apply_options
    checked: dict[str, Any] = {}
    for key, value in (options or {}).items():
        if key not in schema:
            known = f"its {kind} options: {', '.join(sorted(schema))}" if schema else f"it takes no {kind} options"
            raise UsageError(f"The '{engine.name}' engine has no {kind} option '{key}'; {known} (see `stylekit engines`).")
        checked[key] = _coerce(value, schema[key], f"{engine.name} option {key}")
    return checked


def describe_engine(engine: type[StyleTransfer]) -> dict[str, Any]:
    """A JSON-ready view of an engine's declarations (what `stylekit engines` prints)."""

    def options(schema: Mapping[str, Option]) -> list[dict[str, Any]]:
        return [
            {"name": k, "type": o.type.__name__, "default": o.default, "help": o.help, **({"choices": list(o.choices)} if o.choices else {})}
            for k, o in sorted(schema.items())
        ]

    return {
        "name": engine.name, "modality": engine.modality, "description": engine.description,
        "inputs": sorted(engine_inputs(engine)), "default_priority": engine.default_priority,
        "min_photos" if engine.modality == "image" else "min_posts":
            engine.min_photos if engine.modality == "image" else engine.min_posts,
        "can_mix": engine.can_mix, "can_export_lut": engine.can_export_lut,
        "train_options": options(engine.train_options), "apply_options": options(engine.apply_options),
    }


# --- the registry -----------------------------------------------------------------------------
def get_engines(modality: Modality | None = None) -> dict[str, type[StyleTransfer]]:
    """Every engine registered by loaded plugins, by name (optionally of one modality)."""
    from .plugins import hook_results

    engines: dict[str, type[StyleTransfer]] = {}
    for engine_class in hook_results("register_transfers"):
        if not (isinstance(engine_class, type) and issubclass(engine_class, StyleTransfer)):
            raise TypeError(f"register_transfers: expected a StyleTransfer subclass, got {engine_class!r}")
        engines[engine_class.name] = engine_class
    if modality is not None:
        engines = {n: e for n, e in engines.items() if e.modality == modality}
    return dict(sorted(engines.items()))


def get_engine_class(name: str, modality: Modality | None = None) -> type[StyleTransfer]:
    """The engine class called `name`; `UnknownEngineError` lists the installed ones."""
    engines = get_engines(modality)
    if name not in engines:
        kind = f"{modality} " if modality else ""
        installed = ", ".join(engines) or "none"
        raise UnknownEngineError(
            f"Unknown {kind}engine '{name}'; installed: {installed} (see `stylekit plugins`)."
        )
    return engines[name]


def get_engine(name: str, modality: Modality | None = None) -> StyleTransfer:
    """An instance of the engine called `name`; `UnknownEngineError` lists the installed ones."""
    return get_engine_class(name, modality)()


def get_default_engine(modality: Modality, inputs: Sequence[str] = ()) -> type[StyleTransfer]:
    """The installed `modality` engine with the highest `default_priority` among those that
    learn from every one of `inputs` (ties: alphabetical); `UsageError` when none does."""
    installed = get_engines(modality)
    wanted = frozenset(inputs)
    fitting = [e for e in installed.values() if wanted <= engine_inputs(e)]
    if not fitting:
        if not installed:
            raise UsageError(f"No {modality} engine is installed; see `stylekit plugins`")
        flags = ", ".join(f"--{i}" for i in sorted(wanted))
        raise UsageError(f"No installed {modality} engine learns from {flags}; installed: {', '.join(installed)}")
    return min(fitting, key=lambda e: (-e.default_priority, e.name))
