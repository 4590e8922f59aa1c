"""What the web app's pages show, without the UI library: the installed looks and voices,
the recipe a page's controls describe, previews and thumbnails.

Everything here goes through stylekit's public API (`stylekit.list_packs`,
`stylekit.load_style`, `stylekit.personalise`, `stylekit.recipes`, `stylekit.edits`).
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

PREVIEW_SIDE = 800  # the live preview's longer side, in pixels
THUMB_SIDE = 256
# How a photo editor groups its sliders; registered edits not named here join "Effects".
EDIT_GROUPS = {
    "Light": ("exposure", "brightness", "contrast", "gamma"),
    "Colour": ("temperature", "tint", "saturation", "vibrance", "hue_shift"),
    "Effects": ("sharpness", "blur", "vignette", "grain"),
}
MASK_TINT = np.array([0.85, 0.1, 0.35], np.float32)


def installed(modality: str | None = None) -> list[Any]:
    """Installed packs in good order (bundled first, then by name), with a style of `modality` if given."""
    import stylekit

    packs = [p for p in stylekit.list_packs() if not p.problem and (modality is None or modality in p.modalities)]
    return sorted(packs, key=lambda p: (not p.bundled, p.name))


def known(name: str, modality: str | None = None) -> str:
    """`name` if it is an installed influencer (with a style of `modality`); a name from the
    page is never taken as a path to a pack folder."""
    from ..errors import UnknownInfluencerError

    names = [p.name for p in installed(modality)]
    if name not in names:
        what = {"image": "look", "text": "voice"}.get(modality or "", "influencer")
        raise UnknownInfluencerError(f"Unknown {what} '{name}'; installed: {', '.join(names) or 'none'}")
    return name


def pack_signature(names: Sequence[str]) -> tuple:
    """What changes when one of these packs is retrained, imported or removed."""
    packs = {p.name: p for p in installed()}
    return tuple((n, repr(packs[n].modalities) if n in packs else None) for n in names)


def influencer_spec(look: str, mix_with: str | None = None, weight: float = 0.0) -> str:
    """`look`, or `look:1-w,mix_with:w` when a second look is mixed in with weight w (0..1)."""
    if not look:
        return ""
    if not mix_with or weight <= 0:
        return look
    weight = min(float(weight), 1.0)
    if weight >= 1:
        return mix_with
    return f"{look}:{1 - weight:.4g},{mix_with}:{weight:.4g}"


@dataclass
class Controls:
    """The Apply page's settings (what `stylekit image` would take as flags)."""

    influencer: str = ""
    strength: float = 1.0
    edits: dict[str, float] | None = None  # shortcut edit name -> value of its first parameter
    caption: str = ""
    sticker: str = ""  # a file in the session folder
    frame_width: float = 0.0
    frame_radius: float = 0.0
    frame_color: str = "white"
    avatar: bool = False
    circle: bool = False
    avatar_size: int = 512
    fallback: str = "center"
    region: str = ""


def shortcut_edits() -> list[Any]:
    """The registered shortcut edits whose first parameter a slider can set (a number with a range)."""
    from ..edits import get_shortcut_edits

    return [e for e in get_shortcut_edits() if e.kind == "adjust" and e.params[0].kind in ("float", "int")
            and e.params[0].minimum is not None and e.params[0].maximum is not None]


def grouped_edits() -> dict[str, list[Any]]:
    """Shortcut edits by photo-editor group (Light, Colour, Effects), in registration order."""
    edits = shortcut_edits()
    groups: dict[str, list[Any]] = {name: [] for name in EDIT_GROUPS}
    for edit in edits:
        group = next((g for g, names in EDIT_GROUPS.items() if edit.name in names), "Effects")
        groups[group].append(edit)
    return {g: items for g, items in groups.items() if items}


def build_recipe(controls: Controls) -> Any:
    """The `stylekit.recipes.Recipe` of these controls; only edits moved off neutral are in it,
    in the order `stylekit image` applies its shortcut flags."""
    from ..recipes import Recipe, Step

    values = controls.edits or {}
    steps = []
    for edit in shortcut_edits():
        first = edit.params[0]
        value = values.get(edit.name)
        if value is not None and float(value) != float(first.neutral):
            steps.append(Step(edit.name, {first.name: int(value) if first.kind == "int" else float(value)}))
    overlays = [Step("caption", {"text": controls.caption})] if controls.caption.strip() else []
    if controls.sticker:
        overlays.append(Step("sticker", {"path": controls.sticker}))
    if controls.frame_width > 0 or controls.frame_radius > 0:
        overlays.append(Step("frame", {"width": float(controls.frame_width), "radius": float(controls.frame_radius),
                                       "color": controls.frame_color or "white"}))
    avatar = ({"size": int(controls.avatar_size), "circle": bool(controls.circle), "fallback": controls.fallback}
              if controls.avatar else None)
    return Recipe(influencer=controls.influencer, strength=float(controls.strength),
                  region=controls.region if controls.influencer else "", edits=steps, overlays=overlays, avatar=avatar)


def has_work(recipe: Any) -> bool:
    """True when the recipe changes the photo at all."""
    return bool(recipe.influencer or recipe.edits or recipe.overlays or recipe.avatar is not None)


class StyleCache:
    """Loaded looks, reused while their packs are unchanged (the live preview loads none twice)."""

    def __init__(self, size: int = 8):
        self._styles: OrderedDict[tuple, Any] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, influencer: str) -> Any:
        """The loaded look of `influencer` (a name or a mix)."""
        import stylekit

        key = (influencer, pack_signature([n for n, _ in stylekit.parse_influencers(influencer)]))
        with self._lock:
            if key in self._styles:
                self._styles.move_to_end(key)
                return self._styles[key]
        style = stylekit.load_style(influencer, "image")
        with self._lock:
            self._styles[key] = style
            while len(self._styles) > self._size:
                self._styles.popitem(last=False)
        return style


def small_image(path: str | os.PathLike, side: int = PREVIEW_SIDE) -> tuple[np.ndarray, np.ndarray | None]:
    """A photo read safely by stylekit and scaled to at most `side` pixels: float RGB and alpha."""
    from PIL import Image

    from ..imageio import load_image, to_pil

    loaded = load_image(path)
    img = to_pil(loaded.rgb, loaded.alpha)
    if max(img.size) > side:
        img.thumbnail((side, side), Image.LANCZOS)
    pixels = np.asarray(img, dtype=np.float32) / 255.0
    if pixels.shape[2] == 4:
        return np.ascontiguousarray(pixels[..., :3]), np.ascontiguousarray(pixels[..., 3])
    return pixels, None


def to_display(rgb: np.ndarray, alpha: np.ndarray | None = None) -> np.ndarray:
    """uint8 pixels for the browser (RGBA when there is transparency)."""
    from ..imageio import to_uint8

    image = rgb if alpha is None else np.dstack([rgb, alpha])
    return to_uint8(np.clip(image, 0.0, 1.0))


def render(rgb: np.ndarray, alpha: np.ndarray | None, recipe: Any, styles: StyleCache) -> tuple[np.ndarray, np.ndarray | None]:
    """The recipe run on a (small) photo, as `stylekit image` runs it on the full one."""
    import stylekit

    if not has_work(recipe):
        return rgb, alpha
    style = styles.get(recipe.influencer) if recipe.influencer else None
    return stylekit.personalise(rgb, recipe, style=style, alpha=alpha)


def region_mask(rgb: np.ndarray, region: str) -> np.ndarray:
    """The mask of a registered region edit on `rgb`, float in [0, 1] (1 = styled)."""
    from ..edits import get_regions

    return np.clip(get_regions()[region](rgb), 0.0, 1.0).astype(np.float32)


def region_overlay(rgb: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The photo with everything outside `mask` tinted, so the user sees what the look will touch."""
    tinted = rgb * 0.35 + MASK_TINT * 0.65
    return rgb * mask[..., None] + tinted * (1.0 - mask[..., None])


def thumbnails(rgb: np.ndarray | None, packs: Sequence[Any], styles: StyleCache) -> list[tuple[np.ndarray | str, str]]:
    """(image, caption) for each look: `rgb` styled by it, or the pack's own preview without a photo."""
    import stylekit

    items: list[tuple[np.ndarray | str, str]] = []
    small = None
    if rgb is not None:
        from PIL import Image

        img = Image.fromarray(to_display(rgb))
        img.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.LANCZOS)
        small = np.asarray(img, dtype=np.float32) / 255.0
    for pack in packs:
        label = pack.display_name or pack.name
        if small is not None:
            try:
                out = stylekit.personalise(small, _look_only(pack.name), style=styles.get(pack.name))[0]
            except stylekit_errors():  # a look that cannot load: a plain tile keeps the gallery in pack order
                out = np.full(small.shape, 0.8, np.float32)
            items.append((to_display(out), label))
        else:
            preview = pack.modality_dir("image") / "preview.png"
            try:
                items.append((to_display(small_image(preview, THUMB_SIDE)[0]), label))
            except stylekit_errors():  # no preview in this pack: a plain tile
                items.append((to_display(np.full((THUMB_SIDE, THUMB_SIDE, 3), 0.8, np.float32)), label))
    return items


def _look_only(name: str) -> Any:
    from ..recipes import Recipe

    return Recipe(influencer=name)


def stylekit_errors() -> tuple[type[Exception], ...]:
    """The errors stylekit raises on purpose (shown to the user as messages)."""
    from ..errors import StylekitError

    return (StylekitError,)
