"""stylekit's built-in personalisation edits, registered like any third-party plugin.

Adjustments (adjust.py), overlays (overlays.py), the avatar crop (avatar.py) and the
region masks for region-limited transfer (regions.py) are registered through the
`register_edits` hook. Modules are imported inside the hook (OpenCV only when used), so
that merely loading this plugin imports nothing heavy.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from stylekit.hookspecs import hookimpl

# Adjustments offered as `stylekit image --NAME VALUE` flags, in the order they apply.
SHORTCUTS = ("exposure", "brightness", "contrast", "saturation", "vibrance", "temperature", "tint", "hue_shift",
             "gamma", "sharpness", "blur", "vignette", "grain")
REGION_HELP = {
    "face": "The main face (an ellipse from forehead to chin).",
    "person": "The main person (GrabCut seeded by the face).",
    "background": "Everything but the main person.",
    "clothes": "The person below the chin, without face, hair and neck.",
}


def _region(name: str, description: str) -> Any:
    from stylekit.edits import Edit, Param

    def mask(image: Any, softness: float = 0.01) -> Any:
        from .regions import region_mask

        return region_mask(image, name, softness=softness)  # finds the face itself

    softness = Param("softness", "float", 0.01, "edge feather as a fraction of the shorter side", 0.0, 0.2)
    return Edit(name, mask, (softness,), description, kind="region")


@hookimpl
def register_edits(register: Any) -> None:
    """Register every built-in edit: adjustments (the common ones as shortcut flags), then
    overlays, the avatar crop and the region masks."""
    from . import adjust, avatar, overlays, regions

    for edit in adjust.EDITS:
        register(replace(edit, shortcut=True) if edit.name in SHORTCUTS else edit)
    for edit in (*overlays.EDITS, *avatar.EDITS):
        register(edit)
    for name in regions.REGIONS:
        register(_region(name, REGION_HELP[name]))
