"""stylekit: learn an influencer's style from their own photos and posts, apply it to yours.

The public API (`stylize_image`, `stylize_images`, `stylize_text`, `train`, `load_pack`,
`load_style`, `list_packs`, `export_lut`, `inspect_image`, `recommend`, `stylize_frames`, `stylize_video`, `stylize_dataset` on Ray) is imported lazily, so that
plugins importing `stylekit.hookspecs` and `stylekit --help` stay fast. What a plugin
author needs (`hookimpl`, `StyleTransfer`, `LoadedStyle`, `Option`, `ProgressEvent`,
`TrainConfig`, `TrainData`) is importable from here.
"""

from __future__ import annotations

from typing import Any

from ._version import __version__
from .engines import LoadedStyle, Option, ProgressEvent, StyleTransfer, TrainConfig, TrainData
from .hookspecs import hookimpl

_API = {
    "stylize_image",
    "stylize_images",
    "stylize_text",
    "train",
    "load_pack",
    "load_style",
    "list_packs",
    "remove_pack",
    "import_pack",
    "export_pack",
    "export_lut",
    "inspect_image",
    "parse_influencers",
    "BatchResult",
    "recommend",
    "make_post",
    "make_posts",
    "personalise",
    "stylize_frames",
    "stylize_video",
    "stylize_dataset",
}

# What a plugin author needs, importable from the package root (engines.py is light).
_PLUGIN_API = ["hookimpl", "StyleTransfer", "LoadedStyle", "Option", "ProgressEvent", "TrainConfig", "TrainData"]
__all__ = ["__version__", *_PLUGIN_API, *sorted(_API)]


def __getattr__(name: str) -> Any:
    if name == "recommend":
        from .recommendation import recommend

        return recommend
    if name == "stylize_dataset":  # the optional ray extra, imported only when used
        from .distributed import stylize_dataset

        return stylize_dataset
    if name == "stylize_frames":  # frames in, frames out (numpy); PyAV not needed
        from .frames import stylize_frames

        return stylize_frames
    if name == "stylize_video":  # the optional video extra (PyAV), imported when a video is styled
        from .video import stylize_video

        return stylize_video
    if name in ("make_post", "make_posts"):
        from . import post

        return getattr(post, name)
    if name in _API:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'stylekit' has no attribute {name!r}")
