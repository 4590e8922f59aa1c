"""Personalisation edits: the `Edit` and `Param` types, and the registry plugins fill.

An edit is a named function `function(image, **params) -> image` over float32 pixels in
[0, 1], shape (H, W, 3) RGB or (H, W, 4) RGBA (alpha not premultiplied). Each parameter
is typed and range-checked and has a neutral value; with every parameter neutral an edit
returns its input unchanged. Plugins add edits through the `register_edits(register)`
hook, built-ins included, so `get_edits()` is the one place to look them up.

Text forms (what the CLI and recipes pass around), parsed by `parse_edit`:
``contrast`` (all neutral), ``contrast=1.1`` (the first parameter) and
``vignette:amount=0.4,radius=0.6`` (named parameters).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence

from .errors import UnknownEditError, UsageError

if TYPE_CHECKING:
    import numpy as np

PARAM_KINDS = ("float", "int", "bool", "choice", "text", "color", "path")
EDIT_KINDS = ("adjust", "overlay", "avatar", "region")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class Param:
    """One typed parameter of an edit.

    kind: float | int | bool | choice | text | color | path. Numbers are checked against
    [minimum, maximum] (either may be None); choices against `choices`; colours are
    anything Pillow's `ImageColor` reads ("#ff8800", "#ff880080", "white"). `neutral` is
    the value that leaves the image unchanged (or, for secondary parameters such as a
    seed, the default).
    """

    name: str
    kind: str
    neutral: Any
    description: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[Any, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in PARAM_KINDS:
            raise ValueError(f"Param '{self.name}': kind must be one of {PARAM_KINDS}, not {self.kind!r}")

    def range_text(self) -> str:
        """The allowed values in words, e.g. "0 to 3" or "one of: top, bottom"."""
        if self.choices:
            return "one of: " + ", ".join(str(c) for c in self.choices)
        if self.kind in ("float", "int"):
            low = "-inf" if self.minimum is None else _fmt(self.minimum)
            high = "inf" if self.maximum is None else _fmt(self.maximum)
            return f"{low} to {high}"
        return {"bool": "true or false", "text": "any text", "color": "a colour such as #ff8800 or white",
                "path": "a file path ('' for none)"}.get(self.kind, self.kind)

    def coerce(self, value: Any, edit: str = "") -> Any:
        """`value` (a Python value or a string from the command line) as this parameter's
        type; `UsageError` naming the edit, the parameter, the value and the allowed range."""
        where = f"{edit}.{self.name}" if edit else self.name

        def bad(reason: str = "") -> UsageError:
            detail = reason or f"allowed: {self.range_text()}"
            return UsageError(f"Edit parameter {where}={value} is out of range; {detail}.")

        if self.kind == "bool":
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in _TRUE:
                return True
            if text in _FALSE:
                return False
            raise bad()
        if self.kind in ("float", "int"):
            if isinstance(value, bool):
                raise bad(f"expected a number, allowed: {self.range_text()}")
            try:
                number = float(value)
            except (TypeError, ValueError):
                raise bad(f"expected a number, allowed: {self.range_text()}") from None
            if not math.isfinite(number):
                raise bad()
            if self.kind == "int":
                if number != int(number):
                    raise bad(f"expected a whole number, allowed: {self.range_text()}")
                number = int(number)
            if (self.minimum is not None and number < self.minimum) or (
                self.maximum is not None and number > self.maximum
            ):
                raise bad()
            if self.choices and number not in self.choices:
                raise bad()
            return number
        if self.kind == "choice":
            text = str(value).strip().lower()
            for choice in self.choices:
                if str(choice).lower() == text:
                    return choice
            raise bad()
        if self.kind == "color":
            from PIL import ImageColor

            try:
                ImageColor.getrgb(str(value))
            except ValueError:
                raise bad() from None
            return str(value)
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise bad(f"expected {self.range_text()}")
        return str(value)  # text, path


@dataclass(frozen=True)
class Edit:
    """A personalisation operation: a name, a function, its parameters and one line saying what it does.

    kind: "adjust" (tone, colour, geometry), "overlay" (drawn on top), "avatar", or
    "region": a mask that limits a look to part of a photo, whose function returns a
    float32 (H, W) mask in [0, 1] (1 = styled) instead of an image.
    shortcut: offer the edit as a `--NAME VALUE` flag of `stylekit image` (its first
    parameter); shortcut flags apply in registration order, before any `--edit`.
    Call it like a function: `edit(image, amount=1.2)`; missing parameters take their
    neutral values, every given one is checked first.
    """

    name: str
    function: Callable[..., "np.ndarray"]
    params: tuple[Param, ...]
    description: str
    kind: str = "adjust"
    shortcut: bool = False
    _by_name: dict[str, Param] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.kind not in EDIT_KINDS:
            raise ValueError(f"Edit '{self.name}': kind must be one of {EDIT_KINDS}, not {self.kind!r}")
        object.__setattr__(self, "_by_name", {p.name: p for p in self.params})

    def neutral_params(self) -> dict[str, Any]:
        """Every parameter at its neutral value."""
        return {p.name: p.neutral for p in self.params}

    def validate(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """Every parameter, checked and typed, with neutral values filled in for missing ones."""
        unknown = [k for k in params if k not in self._by_name]
        if unknown:
            known = ", ".join(self._by_name) or "none"
            raise UsageError(f"Edit '{self.name}' has no parameter '{unknown[0]}'; its parameters: {known}.")
        full = self.neutral_params()
        full.update({k: self._by_name[k].coerce(v, self.name) for k, v in params.items()})
        return full

    def __call__(self, image: "np.ndarray", **params: Any) -> "np.ndarray":
        """Apply this edit to `image` with checked parameters; returns a new array (a mask for a region)."""
        return self.function(image, **self.validate(params))


def get_edits() -> dict[str, Edit]:
    """Every edit registered by loaded plugins, by name (sorted)."""
    return dict(sorted((edit.name, edit) for edit in _registered()))


def _registered() -> list[Edit]:
    """Registered edits in registration order (a later one of the same name wins)."""
    from .plugins import hook_results

    edits: dict[str, Edit] = {}
    for edit in hook_results("register_edits"):
        if not isinstance(edit, Edit):
            raise TypeError(f"register_edits: expected an Edit, got {type(edit).__name__}")
        edits.pop(edit.name, None)
        edits[edit.name] = edit
    return list(edits.values())


def get_shortcut_edits() -> list[Edit]:
    """Edits offered as shortcut flags (`stylekit image --contrast 1.1`), in the order
    they apply: registration order. A shortcut sets the edit's first parameter."""
    return [edit for edit in _registered() if edit.shortcut and edit.params]


def get_regions() -> dict[str, Edit]:
    """The `region` edits (masks that limit a look to part of a photo), by name."""
    return {name: edit for name, edit in get_edits().items() if edit.kind == "region"}


def get_edit(name: str, edits: Mapping[str, Edit] | None = None) -> Edit:
    """The edit called `name`; `UnknownEditError` lists the installed ones."""
    edits = get_edits() if edits is None else edits
    key = name.strip().lower().replace("-", "_")
    if key not in edits:
        installed = ", ".join(edits) or "none"
        raise UnknownEditError(f"Unknown edit '{name}'; installed: {installed} (see `stylekit edits`).")
    return edits[key]


def parse_edit(text: str, edits: Mapping[str, Edit] | None = None) -> tuple[str, dict[str, Any]]:
    """("name", {param: value}) from "name", "name=value" (first parameter) or
    "name:p=v,q=w"; values are checked against the edit's parameters."""
    text = text.strip()
    if not text:
        raise UsageError("Empty edit; write it as NAME, NAME=VALUE or NAME:PARAM=VALUE,PARAM=VALUE.")
    if ":" in text and ("=" not in text or text.index(":") < text.index("=")):
        name, _, rest = text.partition(":")
        edit = get_edit(name, edits)
        raw: dict[str, str] = {}
        for item in rest.split(","):
            key, sep, value = item.partition("=")
            if not sep or not key.strip():
                raise UsageError(f"Cannot read edit '{text}': '{item}' should be PARAM=VALUE.")
            raw[key.strip()] = value.strip()
    else:
        name, sep, value = text.partition("=")
        edit = get_edit(name, edits)
        if sep and not edit.params:
            raise UsageError(f"Edit '{edit.name}' takes no value; write just '{edit.name}'.")
        raw = {edit.params[0].name: value.strip()} if sep else {}
    checked = edit.validate(raw)
    return edit.name, {k: checked[k] for k in raw}


def format_edit(name: str, params: Mapping[str, Any]) -> str:
    """The text form of one edit step, the inverse of `parse_edit` for simple values."""
    if not params:
        return name
    return name + ":" + ",".join(f"{k}={_fmt(v)}" for k, v in params.items())


def apply_edits(
    image: "np.ndarray",
    steps: Sequence[tuple[str, Mapping[str, Any]]],
    edits: Mapping[str, Edit] | None = None,
) -> "np.ndarray":
    """Apply (name, params) steps in order; every step is checked before any runs."""
    edits = get_edits() if edits is None else edits
    checked = []
    for name, params in steps:
        edit = get_edit(name, edits)
        checked.append((edit, edit.validate(params)))
    for edit, params in checked:
        image = edit.function(image, **params)
    return image


def describe_edits(edits: Mapping[str, Edit] | None = None) -> list[dict[str, Any]]:
    """A JSON-ready listing of edits with their parameters and ranges (what `stylekit edits` prints)."""
    edits = get_edits() if edits is None else edits
    return [
        {
            "name": e.name,
            "kind": e.kind,
            "description": e.description,
            "params": [
                {"name": p.name, "kind": p.kind, "neutral": p.neutral, "range": p.range_text(),
                 "description": p.description}
                for p in e.params
            ],
        }
        for e in edits.values()
    ]


def _fmt(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
