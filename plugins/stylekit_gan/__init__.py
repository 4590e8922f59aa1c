"""stylekit's `gan` image engine: learn an influencer's photo look from unpaired photos.

Importing this package does not import torch; the engine does when it trains or applies.
"""

from __future__ import annotations

from typing import Any

from stylekit.hookspecs import hookimpl

from .engine import GanEngine, LoadedLook

__all__ = ["GanEngine", "LoadedLook", "register_transfers"]


@hookimpl
def register_transfers(register: Any) -> None:
    """Register the `gan` image engine."""
    register(GanEngine)
