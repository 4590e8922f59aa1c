"""Recipes: the transfer settings, edits, overlays and avatar of one command, as TOML.

A recipe replays exactly: the same recipe on the same photo gives the same pixels
(random edits such as grain carry their seed). Layout of the file:

    format_version = 1

    [transfer]
    influencer = "aurora:0.7,noir:0.3"   # "" = no style transfer
    strength = 0.8
    region = "clothes"                   # or mask = "mask.png"; "" = whole photo

    [[edits]]                            # adjustments, applied in this order
    name = "contrast"
    amount = 1.1

    [[overlays]]                         # drawn after the avatar crop, in this order
    name = "caption"
    text = "weekend! 周末 🎉"

    [avatar]                             # optional
    size = 512
    circle = true

`apply_recipe_edits` runs the part after the style transfer, in this fixed order:
1. the edits, in file order; 2. the avatar crop (if any); 3. the overlays, in file order
(so a caption or frame lands on the avatar, not cropped away). Relative paths inside a
recipe (mask, sticker, font) are relative to the recipe file.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from .edits import Edit, get_edit, get_edits
from .engines import check_strength
from .errors import StylekitError, UsageError

if TYPE_CHECKING:
    import numpy as np

FORMAT_VERSION = 1
MAX_RECIPE_BYTES = 1 << 20
TRANSFER_KEYS = {"influencer", "strength", "region", "mask"}


@dataclass
class Step:
    """One edit or overlay in a recipe: the edit's name and the parameters given (others neutral)."""

    name: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class Recipe:
    """Everything needed to redo one personalisation: transfer settings, ordered edits,
    ordered overlays and the avatar parameters (None for no avatar)."""

    influencer: str = ""
    strength: float = 1.0
    region: str = ""
    mask: str = ""
    edits: list[Step] = field(default_factory=list)
    overlays: list[Step] = field(default_factory=list)
    avatar: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        """The TOML-ready form (see the module docstring for the layout)."""
        data: dict[str, Any] = {
            "format_version": FORMAT_VERSION,
            "transfer": {"influencer": self.influencer, "strength": float(self.strength),
                         "region": self.region, "mask": self.mask},
        }
        if self.edits:
            data["edits"] = [{"name": s.name, **s.params} for s in self.edits]
        if self.overlays:
            data["overlays"] = [{"name": s.name, **s.params} for s in self.overlays]
        if self.avatar is not None:
            data["avatar"] = dict(self.avatar)
        return data


def validate_recipe(recipe: Recipe, edits: Mapping[str, Edit] | None = None, where: str = "") -> Recipe:
    """A checked copy of `recipe`: every edit exists and is of the right kind, every
    parameter typed and in range; `UsageError` otherwise, starting with `where` (the recipe
    file) when given."""
    edits = get_edits() if edits is None else edits

    def check(step: Step, kinds: tuple[str, ...], section: str) -> Step:
        edit = get_edit(step.name, edits)
        if edit.kind not in kinds:
            article = "a" if edit.kind == "region" else "an"
            raise UsageError(f"'{edit.name}' is {article} {edit.kind} edit and cannot go in [[{section}]].")
        checked = edit.validate(step.params)
        return Step(edit.name, {k: checked[k] for k in step.params})

    try:
        if recipe.region and recipe.mask:
            raise UsageError("give either transfer.region or transfer.mask, not both")
        regions = sorted(name for name, edit in edits.items() if edit.kind == "region")
        if recipe.region and recipe.region not in regions:
            raise UsageError(f"transfer.region='{recipe.region}' is unknown; use one of {', '.join(regions) or 'none installed'}, or ''")
        strength = check_strength(recipe.strength, "transfer.strength")
        avatar = None
        if recipe.avatar is not None:
            avatar = check(Step("avatar", dict(recipe.avatar)), ("avatar",), "avatar").params
        return Recipe(
            influencer=str(recipe.influencer), strength=strength, region=str(recipe.region), mask=str(recipe.mask),
            edits=[check(s, ("adjust",), "edits") for s in recipe.edits],
            overlays=[check(s, ("overlay",), "overlays") for s in recipe.overlays],
            avatar=avatar,
        )
    except StylekitError as exc:
        message = str(exc)
        raise type(exc)(message if not where or message.startswith(where) else f"{where}: {message}") from None


def save_recipe(recipe: Recipe, path: str | Path, edits: Mapping[str, Edit] | None = None,
                overwrite: bool = False) -> Path:
    """Check `recipe` and write it to `path` as TOML, atomically; an existing file raises
    `OutputExistsError` unless `overwrite`. File paths in it (mask, sticker, font; relative
    ones taken from the current folder) are written relative to the recipe's folder, so
    recipe and files can move together."""
    import tomli_w

    from .imageio import atomic_write

    path = Path(path)
    edits = get_edits() if edits is None else edits
    checked = _relative_paths(validate_recipe(recipe, edits, where=f"Recipe {path}"), path.parent, edits)
    text = tomli_w.dumps(checked.to_dict())
    atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"), overwrite=overwrite)
    return path


def load_recipe(path: str | Path, edits: Mapping[str, Edit] | None = None) -> Recipe:
    """Read and check a recipe file; one-line `UsageError`s name the file and the problem.
    Relative mask, sticker and font paths are resolved against the recipe's folder."""
    path = Path(path)
    where = f"Recipe {path}"
    if path.exists() and not path.is_file():  # a folder, FIFO or device: never read (a FIFO would block)
        raise UsageError(f"{where} is not a regular file; pass a recipe .toml file.")
    try:
        if path.is_file() and path.stat().st_size > MAX_RECIPE_BYTES:
            raise UsageError(f"{where} is over {MAX_RECIPE_BYTES:,} bytes; a recipe is a short TOML file.")
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except RecursionError:
        raise UsageError(f"{where} is not valid TOML (nested too deeply); fix the file or save it again.") from None
    except FileNotFoundError:
        raise UsageError(f"{where} not found; check the path.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{where} cannot be read ({exc}).") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{where} is not valid TOML ({exc}); fix the file or save it again.") from None
    recipe = _from_dict(data, where)
    checked = validate_recipe(recipe, edits, where=where)
    return _resolve_paths(checked, path.parent, edits if edits is not None else get_edits())


def _from_dict(data: dict[str, Any], where: str) -> Recipe:
    version = data.get("format_version")
    if version != FORMAT_VERSION:
        raise UsageError(f"{where}: format_version is {version!r}, this stylekit reads {FORMAT_VERSION}; "
                         "save the recipe again with this version.")
    unknown = set(data) - {"format_version", "transfer", "edits", "overlays", "avatar"}
    if unknown:
        raise UsageError(f"{where}: unknown section '{sorted(unknown)[0]}'; allowed: transfer, edits, overlays, avatar.")
    transfer = data.get("transfer", {})
    if not isinstance(transfer, dict) or set(transfer) - TRANSFER_KEYS:
        extra = sorted(set(transfer) - TRANSFER_KEYS) if isinstance(transfer, dict) else ["(not a table)"]
        raise UsageError(f"{where}: unknown transfer setting '{extra[0]}'; allowed: {', '.join(sorted(TRANSFER_KEYS))}.")
    avatar = data.get("avatar")
    if avatar is not None and not isinstance(avatar, dict):
        raise UsageError(f"{where}: [avatar] must be a table of settings such as size = 512.")
    return Recipe(
        influencer=transfer.get("influencer", ""), strength=transfer.get("strength", 1.0),
        region=transfer.get("region", ""), mask=transfer.get("mask", ""),
        edits=_steps(data.get("edits", []), "edits", where),
        overlays=_steps(data.get("overlays", []), "overlays", where),
        avatar=avatar,
    )


def _steps(items: Any, section: str, where: str) -> list[Step]:
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise UsageError(f"{where}: [[{section}]] must be a list of tables, each with a name.")
    steps = []
    for number, item in enumerate(items, 1):
        if not isinstance(item.get("name"), str):
            raise UsageError(f"{where}: {section} entry {number} has no name; add name = \"...\".")
        steps.append(Step(item["name"], {k: v for k, v in item.items() if k != "name"}))
    return steps


def _map_paths(recipe: Recipe, edits: Mapping[str, Edit], change: Any) -> Recipe:
    """`recipe` with `change` applied to every non-empty file path in it."""
    for step in (*recipe.edits, *recipe.overlays):
        path_params = {p.name for p in get_edit(step.name, edits).params if p.kind == "path"}
        step.params = {k: change(v) if k in path_params and v else v for k, v in step.params.items()}
    recipe.mask = change(recipe.mask) if recipe.mask else ""
    return recipe


def _resolve_paths(recipe: Recipe, base: Path, edits: Mapping[str, Edit]) -> Recipe:
    def resolve(value: str) -> str:
        return value if Path(value).expanduser().is_absolute() else str(base / value)

    return _map_paths(recipe, edits, resolve)


def _relative_paths(recipe: Recipe, base: Path, edits: Mapping[str, Edit]) -> Recipe:
    def relative(value: str) -> str:
        try:
            return Path(os.path.relpath(Path(value).expanduser().resolve(), base.resolve())).as_posix()
        except ValueError:  # another drive on Windows: keep it absolute
            return str(Path(value).expanduser().resolve())

    return _map_paths(recipe, edits, relative)


def apply_recipe_edits(image: "np.ndarray", recipe: Recipe, edits: Mapping[str, Edit] | None = None) -> "np.ndarray":
    """Apply the recipe's post-transfer part: edits in order, then the avatar crop, then
    overlays in order. Deterministic: the same recipe and image give the same pixels."""
    edits = get_edits() if edits is None else edits
    recipe = validate_recipe(recipe, edits)
    for step in recipe.edits:
        image = get_edit(step.name, edits)(image, **step.params)
    if recipe.avatar is not None:
        image = get_edit("avatar", edits)(image, **recipe.avatar)
    for step in recipe.overlays:
        image = get_edit(step.name, edits)(image, **step.params)
    return image
