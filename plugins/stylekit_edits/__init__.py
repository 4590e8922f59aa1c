"""stylekit's built-in personalisation edits, registered like any third-party plugin.

Adjustments (adjust.py), overlays (overlays.py) and the avatar crop (avatar.py) are
registered through the `register_edits` hook; region masks for region-limited transfer
live in regions.py. Modules are imported inside the hook so that merely loading this
plugin (e.g. for `stylekit plugins`) imports nothing heavy.
"""

from __future__ import annotations

from typing import Any

from stylekit.hookspecs import hookimpl


@hookimpl
def register_edits(register: Any) -> None:
    """Register every built-in edit: adjustments, then overlays, then the avatar crop."""
    from . import adjust, avatar, overlays

    for edit in (*adjust.EDITS, *overlays.EDITS, *avatar.EDITS):
        register(edit)
