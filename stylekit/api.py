"""The Python API; the CLI is a thin layer over these functions."""

from __future__ import annotations

import hashlib
import os
import shutil
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np

from ._version import __version__
from .engines import (
    MODALITIES,
    LoadedStyle,
    Modality,
    ProgressEvent,
    ProgressFn,
    StyleTransfer,
    TrainConfig,
    TrainData,
    check_strength,
    engine_inputs,
    get_default_engine,
    get_engine_class,
    get_engines,
    validate_options,
)
from .errors import (
    ConsentWarning,
    ImageReadError,
    LutExportWarning,
    MixNotSupportedError,
    OutputExistsError,
    PackError,
    StylekitError,
    TrainingError,
    UsageError,
)
from .imageio import (
    IMAGE_SUFFIXES,
    SAVE_FORMATS,
    VIDEO_SUFFIXES,
    check_writable,
    expand_image_paths,
    load_image,
    read_provenance,
    save_image,
)
from .packs import StylePack, check_name, now_iso, read_manifest, sha256_file, verify_pack
from .store import PackStore


# --- packs ---------------------------------------------------------------------------------
def list_packs() -> list[StylePack]:
    """Every installed style pack, bundled and the user's own."""
    return PackStore().list()


def load_pack(name_or_path: str | os.PathLike) -> StylePack:
    """A pack by influencer name (from the store) or by folder path, checksums verified."""
    path = Path(name_or_path)
    if path.is_dir() and (path / "stylepack.toml").is_file():
        pack = read_manifest(path)
        verify_pack(pack)
        return pack
    return PackStore().get(str(name_or_path))


def remove_pack(name: str) -> Path:
    """Delete the user's pack `name`; bundled packs are refused."""
    return PackStore().remove(name)


def import_pack(archive: str | os.PathLike, name: str | None = None, overwrite: bool = False) -> StylePack:
    """Install a pack from a zip archive, refusing anything unsafe."""
    return PackStore().import_zip(Path(archive), name=name, overwrite=overwrite)


def export_pack(name: str, out: str | os.PathLike, overwrite: bool = False) -> Path:
    """Write pack `name` to a zip archive for sharing."""
    return PackStore().export_zip(name, Path(out), overwrite=overwrite)


def parse_influencers(spec: str) -> list[tuple[str, float]]:
    """Parse `aurora` or `aurora:0.7,noir:0.3` into (name, weight) pairs; weights are relative and normalised."""
    if not isinstance(spec, str):
        raise TypeError(f"influencer must be a string like 'aurora' or 'aurora:0.7,noir:0.3', got {type(spec).__name__}")
    pairs = []
    for part in spec.split(","):
        name, _, weight = part.strip().partition(":")
        if not name:
            raise UsageError(f"Invalid influencer '{spec}'; use NAME or NAME:WEIGHT,NAME:WEIGHT")
        try:
            value = float(weight) if weight else 1.0
        except ValueError:
            raise UsageError(f"Invalid weight '{weight}' for influencer '{name}'; use a number like {name}:0.5")
        if not value >= 0 or not np.isfinite(value):
            raise UsageError(f"Weight for influencer '{name}' must be a non-negative number, got {weight}")
        pairs.append((name, value))
    names = [n for n, _ in pairs]
    if len(set(names)) != len(names):
        raise UsageError(f"Influencer listed twice in '{spec}'")
    total = sum(w for _, w in pairs)
    if total <= 0:
        raise UsageError(f"Influencer weights in '{spec}' add up to 0; give at least one a positive weight")
    return [(n, w / total) for n, w in pairs]


def _warn_consent(pack: StylePack) -> None:
    if not pack.consent:
        warnings.warn(
            f"Influencer '{pack.name}' records no consent from the person whose style it holds; "
            "use it only with their permission.",
            ConsentWarning,
            stacklevel=3,
        )


def load_style(influencer: str, modality: Modality, device: str = "auto") -> LoadedStyle:
    """Load an influencer's style of one modality, mixing several when given `a:0.7,b:0.3`."""
    pairs = parse_influencers(influencer)
    packs = [load_pack(name) for name, _ in pairs]
    engines = [get_engine_class(pack.engine_for(modality), modality) for pack in packs]
    if len(pairs) > 1:
        if len({e.name for e in engines}) != 1:
            listing = ", ".join(f"{n} ({e.name})" for (n, _), e in zip(pairs, engines))
            raise MixNotSupportedError(f"Cannot mix styles made by different engines: {listing}; retrain them with one engine.")
        if not engines[0].can_mix:
            raise MixNotSupportedError(f"The '{engines[0].name}' engine cannot mix styles; use one influencer.")
    engine = engines[0]()
    styles = []
    for pack in packs:
        _warn_consent(pack)
        try:
            style = engine.load(pack.modality_dir(modality), device=device)
        except StylekitError:
            raise
        except Exception as exc:  # a plugin boundary: damaged weights, files removed meanwhile...
            raise PackError(
                f"{pack.path}: cannot load its {modality} style ({type(exc).__name__}: {(str(exc).splitlines() or [''])[0]}); "
                "re-import or retrain the pack"
            ) from exc
        style.engine = engine.name  # what the core checks apply options against
        styles.append(style)
    if len(styles) == 1:
        return styles[0]
    mixed = engine.mix(styles, [w for _, w in pairs])
    mixed.engine = engine.name
    return mixed


def _apply_options(style: LoadedStyle, options: dict[str, Any]) -> dict[str, Any]:
    """`options` checked against the apply options of the engine that made `style`."""
    engines = get_engines()
    if style.engine not in engines:
        if options:
            raise UsageError(f"Options {', '.join(options)} given, but the engine of this style ('{style.engine}') is not installed")
        return {}
    return validate_options(engines[style.engine], options, "apply")


# --- images --------------------------------------------------------------------------------
def apply_image_style(style: LoadedStyle, rgb: np.ndarray, strength: float = 1.0, **options: Any) -> np.ndarray:
    """Apply a loaded image style to float RGB; strength 0 returns an exact copy."""
    strength = check_strength(strength)
    options = _apply_options(style, options)
    if strength == 0.0:
        return rgb.copy()
    out = style.apply(rgb, strength=strength, **options)
    return np.clip(np.asarray(out, dtype=np.float32), 0.0, 1.0)


def stylize_image(
    image: Any, influencer: str, strength: float = 1.0, *, device: str = "auto", **options: Any
) -> Any:
    """Return `image` in the influencer's look.

    `image` may be a file path or PIL image (a PIL image is returned), or a numpy array
    of shape (H, W, 3), uint8 or float in [0, 1] (an array of the same dtype is returned).
    """
    from PIL import Image

    from .imageio import array_to_float, pil_to_float, to_pil

    if isinstance(image, np.ndarray):
        as_float, restore = array_to_float(image)  # checked before the style loads
        style = load_style(influencer, "image", device=device)
        out = apply_image_style(style, as_float, strength, **options)
        if strength == 0.0:
            return image.copy()
        return restore(out)
    if not isinstance(image, (Image.Image, str, os.PathLike)):
        raise TypeError(f"image must be a numpy array, PIL image or file path, got {type(image).__name__}")
    style = load_style(influencer, "image", device=device)
    if isinstance(image, Image.Image):
        rgb, alpha = pil_to_float(image)
    else:
        loaded = load_image(image)
        rgb, alpha = loaded.rgb, loaded.alpha
    return to_pil(apply_image_style(style, rgb, strength, **options), alpha)


@dataclass
class BatchResult:
    """What a run over many inputs did: outputs written, and inputs that failed with why."""

    written: list[tuple[Path, Path]] = field(default_factory=list)
    failed: list[tuple[Path, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every input was processed."""
        return not self.failed


def output_path(src: Path, influencer: str | None, out_dir: Path | None, transparent: bool = False) -> Path:
    """Default output name: `<stem>_<influencer><suffix>` (or `_edited`) beside the input or in `out_dir`.

    The input's format is kept, except PNG where the output is transparent and the
    input's format cannot hold alpha.
    """
    slug = influencer.replace(":", "").replace(",", "+").replace(".", "") if influencer else "edited"
    suffix = src.suffix.lower() if src.suffix.lower() in SAVE_FORMATS else ".png"
    if transparent and suffix in (".jpg", ".jpeg"):
        suffix = ".png"
    return (out_dir or src.parent) / f"{src.stem}_{slug}{suffix}"


def provenance(influencer: str | None, modality: str, strength: float, **extra: Any) -> dict[str, Any]:
    """The metadata every generated file carries."""
    packs = []
    store = PackStore()
    for name, weight in parse_influencers(influencer) if influencer else []:
        try:  # the style was verified when it was loaded: read the manifest only
            engine = store.get(name, verify=False).engine_for(modality)
        except StylekitError:
            engine = None
        packs.append({"name": name, "weight": round(weight, 6), "engine": engine})
    data = {"tool": "stylekit", "version": __version__, "influencer": influencer or "", "packs": packs, "strength": strength}
    data.update({k: v for k, v in extra.items() if v is not None})
    data["created"] = now_iso()
    return data


def _recipe(recipe: Any, influencer: str | None, strength: float | None) -> Any:
    """The recipe to run: the given one (with influencer/strength overridden when passed) or a bare one."""
    from .recipes import Recipe, validate_recipe

    recipe = Recipe() if recipe is None else recipe
    if influencer is not None:
        recipe.influencer = influencer
    if strength is not None:
        recipe.strength = check_strength(strength)
    recipe = validate_recipe(recipe)
    if not recipe.influencer and not (recipe.edits or recipe.overlays or recipe.avatar is not None):
        raise UsageError("Nothing to do: give influencer=NAME and/or edits (see `stylekit edits`)")
    if (recipe.region or recipe.mask) and not recipe.influencer:
        raise UsageError("region=/mask= limit a look to part of the photo; give influencer=NAME too")
    return recipe


def personalise(
    rgb: np.ndarray, recipe: Any, style: LoadedStyle | None = None, alpha: np.ndarray | None = None, **options: Any
) -> tuple[np.ndarray, np.ndarray | None]:
    """Run a recipe on float RGB (+ optional alpha): the look (limited to a region or mask
    if the recipe says so), then the edits, the avatar crop and the overlays.

    Returns (rgb, alpha); alpha is None for an opaque result. `style` is the loaded look of
    `recipe.influencer` (loaded here when not given).
    """
    from .masks import limit_to_region
    from .recipes import apply_recipe_edits

    out = rgb
    if recipe.influencer:
        style = style or load_style(recipe.influencer, "image")
        out = apply_image_style(style, rgb, recipe.strength, **options)
        if (recipe.region or recipe.mask) and recipe.strength != 0:
            out = limit_to_region(rgb, out, recipe.region, recipe.mask)
    if recipe.edits or recipe.overlays or recipe.avatar is not None:
        image = out if alpha is None else np.dstack([out, alpha])
        image = apply_recipe_edits(image, recipe)
        out, alpha = (image[..., :3], image[..., 3]) if image.shape[2] == 4 else (image, alpha if image.shape[:2] == out.shape[:2] else None)
    return out, alpha


def _makes_transparency(recipe: Any) -> bool:
    avatar_circle = bool(recipe.avatar and recipe.avatar.get("circle"))
    rounded = any(step.name == "frame" and step.params.get("radius", 0) > 0 for step in recipe.overlays)
    return avatar_circle or rounded


def stylize_images(
    inputs: Iterable[str | os.PathLike],
    influencer: str | None = None,
    strength: float | None = None,
    *,
    recipe: Any = None,
    out: str | os.PathLike | None = None,
    out_dir: str | os.PathLike | None = None,
    overwrite: bool = False,
    device: str = "auto",
    progress: ProgressFn | None = None,
    watermark: bool = False,
    **options: Any,
) -> BatchResult:
    """Stylise image files (folders expand to the images inside), continuing past bad ones.

    `recipe` (a `stylekit.recipes.Recipe`) adds a region limit, edits, an avatar crop and
    overlays; `influencer`/`strength` override its transfer settings. Each output is
    written atomically next to its input (or in `out_dir`, or at `out` for a single input)
    and never replaces an existing file unless `overwrite` is set. `watermark` adds the
    optional invisible mark (see `stylekit.watermark`).
    """
    plan, style = plan_images(inputs, influencer, strength, recipe=recipe, out=out, out_dir=out_dir,
                              overwrite=overwrite, device=device, watermark=watermark, **options)
    result = BatchResult()
    for index, (src, dest) in enumerate(zip(plan.paths, plan.targets)):
        reason = style_file(plan, style, src, dest)
        if reason is None:
            result.written.append((src, dest))
        else:
            result.failed.append((src, reason))
        if progress:
            progress(ProgressEvent(index + 1, len(plan.paths), "image", {}))
    return result


@dataclass
class ImagePlan:
    """What a batch of image files will do, settled before any file is read: the recipe,
    the inputs and their outputs, the checked engine options and the provenance to write.
    Plain data, so that it can travel to other processes (`stylekit.distributed`)."""

    recipe: Any
    paths: list[Path]
    targets: list[Path]
    options: dict[str, Any]
    meta: dict[str, Any]
    overwrite: bool = False
    watermark: bool = False


def plan_images(
    inputs: Iterable[str | os.PathLike],
    influencer: str | None = None,
    strength: float | None = None,
    *,
    recipe: Any = None,
    out: str | os.PathLike | None = None,
    out_dir: str | os.PathLike | None = None,
    overwrite: bool = False,
    device: str = "auto",
    watermark: bool = False,
    **options: Any,
) -> tuple[ImagePlan, LoadedStyle | None]:
    """Check a `stylize_images` call and plan it (outputs named, options checked, the
    look loaded once); return the plan and the loaded look (None for edits alone).
    Everything refused here is refused before any file is written."""
    recipe = _recipe(recipe, influencer, strength)
    if watermark:
        from .watermark import _library

        _library()  # refuse before any work when the optional library is missing
    paths = expand_image_paths(inputs)
    if not paths:
        raise UsageError("No input images found; pass image files or folders that contain images")
    if out is not None and (out_dir is not None or len(paths) != 1):
        raise UsageError("out=FILE names one output file; for several inputs pass out_dir=FOLDER")
    style = load_style(recipe.influencer, "image", device=device) if recipe.influencer else None
    if style is not None:
        options = _apply_options(style, options)  # refused once, before any file is written
    elif options:
        raise UsageError(f"Engine options ({', '.join(options)}) need a look; give influencer=NAME")
    meta = provenance(recipe.influencer, "image", recipe.strength, options=options or None,
                      recipe=_recipe_summary(recipe), watermark="stylekit (invisible-watermark, dwtDctSvd)" if watermark else None)
    transparent = _makes_transparency(recipe)
    from .outputs import check_folder, distinct_names

    out_base = check_folder(out_dir) if out_dir else None
    # Outputs never take an input's name or each other's (photo.png and photo.gif both
    # give photo_<look>.png: the second becomes photo_<look>-1.png).
    targets = [Path(out)] if out is not None else distinct_names(
        [output_path(p, recipe.influencer, out_base, transparent) for p in paths], inputs=paths)
    return ImagePlan(recipe, paths, targets, options, meta, overwrite, watermark), style


def style_file(plan: ImagePlan, style: LoadedStyle | None, src: Path, dest: Path,
               inputs: Sequence[Path] | None = None) -> str | None:
    """Read `src`, run the plan's recipe with the loaded look, write `dest` with provenance;
    None when written, else the one-line reason it failed. `inputs` are the files `dest`
    must never be (default: every input of the plan)."""
    if inputs is None:
        # An output that does not exist yet cannot be an input (the planned names avoid
        # every input's path): only one that does is compared with them all, so a batch
        # costs no inputs x outputs path resolutions.
        inputs = plan.paths if dest.exists() or dest.is_symlink() else [src]
    try:
        check_writable(dest, plan.overwrite, inputs=inputs)
        img = load_image(src)
        rgb, alpha = personalise(img.rgb, plan.recipe, style, img.alpha, **plan.options)
        if plan.watermark:
            from .watermark import embed

            rgb = embed(rgb)
        save_image(dest, rgb, alpha, provenance={**plan.meta, "source": src.name}, overwrite=plan.overwrite,
                   icc_profile=img.icc_profile)
        return None
    except StylekitError as exc:
        return str(exc)
    except MemoryError:
        return f"{src}: out of memory; downscale it first"


def _recipe_summary(recipe: Any) -> dict[str, Any] | None:
    data = recipe.to_dict()
    data.pop("format_version", None)
    data.pop("transfer", None)
    return data or None


def inspect_image(path: str | os.PathLike, watermark: bool = False) -> dict[str, Any]:
    """What stylekit wrote into an image: provenance metadata, plus size and format; with
    `watermark`, also whether the optional invisible mark is present."""
    from PIL import Image

    path = Path(path)
    meta = read_provenance(path)
    with Image.open(path) as img:
        info = {"file": str(path), "format": img.format, "size": list(img.size), "mode": img.mode}
    info["stylekit"] = meta
    if watermark:
        from .watermark import detect

        info["watermark"] = detect(load_image(path).rgb)
    return info


def export_lut(influencer: str, out: str | os.PathLike, size: int = 33, overwrite: bool = False) -> Path:
    """Write the colour part of an influencer's look as an Adobe `.cube` 3D LUT."""
    from .lut import MAX_CUBE_SIZE, write_cube
    from .outputs import check_output

    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or not 2 <= size <= MAX_CUBE_SIZE:
        raise UsageError(f"LUT size must be a whole number from 2 to {MAX_CUBE_SIZE} (33 is usual), got {size!r}")
    check_output(out, overwrite, kind="LUT")
    style = load_style(influencer, "image", device="cpu")
    engine = get_engines("image").get(style.engine)
    lut = style.to_lut(size) if engine is not None and engine.can_export_lut else None
    if lut is None:
        raise UsageError(f"The '{style.engine}' engine of '{influencer}' cannot export its look as a LUT")
    title = ",".join(Path(name).name + (f":{weight:g}" if weight != 1 else "") for name, weight in parse_influencers(influencer))
    written = write_cube(out, lut, title=f"stylekit {title}", overwrite=overwrite)
    left_out = style.lut_leaves_out()
    if left_out:
        warnings.warn(
            f"{written} holds the colour of '{influencer}' only; a .cube cannot hold its {', '.join(left_out)}",
            LutExportWarning,
            stacklevel=2,
        )
    return written


# --- text ----------------------------------------------------------------------------------
TEXT_BATCH = 64  # texts per engine call when rewriting many: progress after each batch


def stylize_text(
    text: str | Sequence[str],
    influencer: str,
    strength: float = 1.0,
    *,
    num: int = 1,
    seed: int | None = None,
    device: str = "auto",
    progress: ProgressFn | None = None,
    **options: Any,
) -> list[str] | list[list[str]]:
    """Rewrite `text` in the influencer's voice: `num` candidates, best first.

    A list of texts gives a list of candidate lists (processed in batches of
    `TEXT_BATCH`, `progress` called after each). `options` are the voice engine's apply
    options (see `stylekit engines`).
    """
    strength = check_strength(strength)
    if num < 1:
        raise UsageError(f"num=N must be at least 1, got {num}")
    if not isinstance(text, str) and not (isinstance(text, Sequence) and all(isinstance(t, str) for t in text)):
        raise TypeError(f"text must be a string or a list of strings, got {type(text).__name__}")
    if isinstance(text, str) and not text.strip():
        raise UsageError("text is empty; give the text to rewrite")
    texts = [text] if isinstance(text, str) else list(text)
    if strength == 0.0:  # unchanged, without loading the voice; the influencer and options are still checked
        for name, _ in parse_influencers(influencer):
            validate_options(get_engine_class(load_pack(name).engine_for("text"), "text"), options, "apply")
        results = [[t] for t in texts]
    else:
        style = load_style(influencer, "text", device=device)
        opts = _apply_options(style, options)
        results = []
        for start in range(0, len(texts), TEXT_BATCH):
            results += style.apply_batch(texts[start : start + TEXT_BATCH], strength=strength, num=num, seed=seed, **opts)
            if progress is not None:
                progress(ProgressEvent(len(results), len(texts)))
    return results[0] if isinstance(text, str) else results


# --- training ------------------------------------------------------------------------------
def _pick_engine(modality: Modality, engine: str | None, inputs: set[str]) -> type[StyleTransfer]:
    """The engine named (checked to learn from every input given), or the default one for
    these inputs: the highest-priority installed engine that learns from all of them."""
    if engine is None:
        return get_default_engine(modality, sorted(inputs))
    chosen = get_engine_class(engine, modality)
    extra = inputs - engine_inputs(chosen)
    if extra:
        takes = ", ".join(f"--{i}" for i in sorted(engine_inputs(chosen)))
        raise UsageError(f"The '{chosen.name}' engine does not learn from --{sorted(extra)[0]}; it takes {takes}")
    return chosen


def _collect_photos(source: str | os.PathLike | Sequence[str | os.PathLike], frames_dir: Path, label: str) -> list[Path]:
    """Image files from a folder, a list of files, or frames sampled from videos."""
    from .video import sample_frames

    items = [source] if isinstance(source, (str, os.PathLike)) else list(source)
    photos: list[Path] = []
    for item in items:
        path = Path(item)
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder for {label}")
        if path.is_dir():
            photos.extend(expand_image_paths([path]))
            videos = sorted(f for f in path.iterdir() if f.suffix.lower() in VIDEO_SUFFIXES)
        elif path.suffix.lower() in VIDEO_SUFFIXES:
            videos = [path]
        elif path.suffix.lower() in IMAGE_SUFFIXES:
            photos.append(path)
            videos = []
        else:
            raise UsageError(f"{path}: not an image, video or folder for {label}")
        for video in videos:
            photos.extend(sample_frames(video, frames_dir / video.stem))
    if not photos:
        raise TrainingError(f"No images found for {label} in {', '.join(str(i) for i in items)}; add photos (JPEG, PNG, WebP...)")
    return _readable_photos(photos, label)


def _readable_photos(photos: list[Path], label: str) -> list[Path]:
    """`photos` less those that cannot be read (truncated, corrupt, not an image, too large),
    each skipped with a one-line warning and then a count; an error when none is left."""
    readable = []
    for path in photos:
        try:
            load_image(path)
        except ImageReadError as exc:
            warnings.warn(f"skipped {exc}", stacklevel=2)
            continue
        readable.append(path)
    if len(readable) < len(photos):
        if not readable:
            raise TrainingError(f"None of the {len(photos)} images for {label} can be read; add photos that open (JPEG, PNG, WebP...)")
        warnings.warn(f"skipped {len(photos) - len(readable)} of {len(photos)} images for {label} that cannot be read; "
                      f"training on {len(readable)}", stacklevel=2)
    return readable


def _digest(paths: Sequence[Path]) -> str:
    combined = hashlib.sha256()
    for digest in sorted(sha256_file(p) for p in paths):
        combined.update(digest.encode())
    return combined.hexdigest()


def train(
    modality: Modality,
    influencer: str,
    *,
    engine: str | None = None,
    photos: Any = None,
    content: Any = None,
    lut: str | os.PathLike | None = None,
    posts: Any = None,
    background: Any = None,
    steps: int | None = None,
    size: int | None = None,
    device: str = "auto",
    seed: int = 0,
    resume: bool = False,
    base_model: str | os.PathLike | None = None,
    options: dict[str, Any] | None = None,
    overwrite: bool = False,
    display_name: str | None = None,
    description: str | None = None,
    licence: str | None = None,
    consent: dict[str, str] | None = None,
    progress: ProgressFn | None = None,
) -> StylePack:
    """Learn an influencer's style of one modality and save it in their pack (created if new).

    Image: `photos` (folder, video or files) or a `lut` .cube preset; `content` optional.
    Text: `posts` (a .txt/.jsonl/.csv file or a list of strings); `background` optional.
    An existing style of the same modality is replaced only with `overwrite`; the pack's
    other modalities are kept.
    """
    check_name(influencer)
    if str(device).strip().lower() != "auto":  # every engine: an unknown device, or CUDA without a GPU, is an error
        from .training import resolve_device

        resolve_device(device)
    if modality not in MODALITIES:
        raise UsageError(f"Unknown modality '{modality}'; use {' or '.join(MODALITIES)}")
    store = PackStore()
    existing = None
    if influencer in store.names():
        existing = store.get(influencer)
        if existing.bundled:
            raise PackError(f"'{influencer}' is a bundled, read-only pack; choose another influencer name")
        if modality in existing.modalities and not overwrite:
            raise OutputExistsError(
                f"Influencer '{influencer}' already has {'an' if modality == 'image' else 'a'} {modality} style; pass overwrite=True to retrain it"
            )
    given = {"photos": photos, "content": content, "lut": lut, "posts": posts, "background": background}
    inputs = {name for name, value in given.items() if value is not None}
    if modality == "image" and not {"photos", "lut"} & inputs:
        raise UsageError("Nothing to learn from: give photos=PATH (the influencer's photos) or lut=FILE (a .cube preset)")
    if modality == "image" and {"photos", "lut"} <= inputs:
        raise UsageError("Give either photos=PATH (the influencer's photos) or lut=FILE (a .cube preset), not both")
    if modality == "text" and "posts" not in inputs:
        raise UsageError("Give posts=PATH, a file of the influencer's posts (.txt, .jsonl or .csv)")
    engine_class = _pick_engine(modality, engine, inputs)
    options = validate_options(engine_class, options, "train")
    engine_obj = engine_class()
    # One training per influencer and modality at a time (they share the run folder); the
    # commit merges into the pack as it is then, keeping styles other trainings committed.
    with store.training_lock(influencer, modality):
        work_dir = store.home / "runs" / influencer / modality
        if not resume and work_dir.exists():
            shutil.rmtree(work_dir)
        work_dir.mkdir(parents=True, exist_ok=True)

        data, summary = _train_data(engine_class, photos, content, lut, posts, background, work_dir)
        config = TrainConfig(
            steps=steps, size=size, device=device, seed=seed, resume=resume,
            base_model=Path(base_model) if base_model else None, work_dir=work_dir, options=options, name=influencer,
        )
        with store.staging() as staging:
            mod_dir = staging / influencer / modality
            mod_dir.mkdir(parents=True)
            metrics = engine_obj.train(data, mod_dir, config, progress) or {}
            from .descriptors import write_descriptor

            write_descriptor(
                modality, mod_dir, photos=data.photos, posts=data.posts,
                style=engine_obj.load(mod_dir, device="cpu") if modality == "image" and not data.photos else None,
            )
            from .packfiles import write_metrics

            write_metrics(mod_dir, metrics)  # the core owns metrics.json: engines return, never write it
            return store.commit_modality(
                influencer, modality, mod_dir, engine=engine_obj.name, summary=summary, overwrite=overwrite,
                version=__version__, display_name=display_name, description=description, licence=licence,
                consent=consent,
            )


def _train_data(engine: type[StyleTransfer], photos, content, lut, posts, background,
                work_dir: Path) -> tuple[TrainData, dict[str, Any]]:
    """The inputs read (folders and videos expanded, corpora parsed), checked against the
    engine's minimum data, and their summary for the manifest."""
    if engine.modality == "image":
        if lut is not None:
            lut = Path(lut)
            if not lut.is_file():
                raise UsageError(f"{lut}: no such .cube file")
            return TrainData(lut=lut), {"lut": lut.name, "lut_sha256": sha256_file(lut)}
        photo_paths = _collect_photos(photos, work_dir / "frames", "--photos")
        if len(photo_paths) < engine.min_photos:
            raise TrainingError(
                f"Only {len(photo_paths)} photo(s) in photos=PATH; the '{engine.name}' engine needs at least "
                f"{engine.min_photos}: add more of the influencer's photos"
            )
        if len(photo_paths) < engine.good_photos:
            warnings.warn(
                f"only {len(photo_paths)} photo(s) of the influencer: the '{engine.name}' engine needs "
                f"{engine.good_photos} or more, of different scenes, for a reliable look; with fewer it is uncertain",
                stacklevel=3)
        content_paths = _collect_photos(content, work_dir / "content_frames", "--content") if content else []
        summary = {"photos": len(photo_paths), "photos_sha256": _digest(photo_paths)}
        if content_paths:
            summary.update(content=len(content_paths), content_sha256=_digest(content_paths))
        return TrainData(photos=photo_paths, content=content_paths), summary
    from .corpus import check_count, read_posts

    minimum = max(1, engine.min_posts)
    if isinstance(posts, (str, os.PathLike)):
        post_list = read_posts(posts, minimum=minimum)
    else:
        post_list = check_count([" ".join(str(p).split()) for p in posts if str(p).strip()], minimum, "posts given")
    bg_list = [] if background is None else (read_posts(background, minimum=1) if isinstance(background, (str, os.PathLike)) else [str(b) for b in background])
    digest = hashlib.sha256("\n".join(post_list).encode()).hexdigest()
    summary = {"posts": len(post_list), "posts_sha256": digest}
    if bg_list:
        summary["background"] = len(bg_list)
    return TrainData(posts=post_list, background=bg_list), summary
