"""The files an engine writes into a style pack's modality folder, written one way.

Every engine's folder holds a `config.json` (the engine's name, the `format_version` of
its files, and whatever settings it needs to read them back), its weights as
`*.safetensors`, and a `metrics.json` that the core writes from what `train` returns.
Each file is written atomically (a temporary file, then one rename), so a crash never
leaves half a file behind. An engine whose folder must keep another library's
`config.json` (a transformers model) passes another file name, e.g. `engine.json`.

Readers refuse files newer than they know with one line that says to upgrade, and read
folders written before versions were recorded as version 0 (the engine migrates them).
No torch here: safetensors is read and written through numpy.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from .errors import PackError

CONFIG_FILE = "config.json"
METRICS_FILE = "metrics.json"
WEIGHTS_FILE = "model.safetensors"


def _atomic_text(path: Path, text: str) -> Path:
    from .imageio import atomic_write

    return atomic_write(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"), overwrite=True) or path


def write_config(folder: str | os.PathLike, engine: str, format_version: int, name: str = CONFIG_FILE, **fields: Any) -> Path:
    """Write `{"engine", "format_version", **fields}` as `folder/name`, atomically."""
    config = {"engine": engine, "format_version": int(format_version), **fields}
    return _atomic_text(Path(folder) / name, json.dumps(config, indent=2, default=_jsonable) + "\n")


def read_config(folder: str | os.PathLike, engine: str, supported: int, name: str = CONFIG_FILE) -> dict[str, Any]:
    """Read `folder/name`, check it belongs to `engine` and is at most `supported`.

    A file without `format_version` (written before versions were recorded) reads as
    version 0; the caller decides how to migrate it. `PackError` names the file otherwise.
    """
    path = Path(folder) / name
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PackError(f"{path}: missing; this is not a {engine} style, retrain or re-import it") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise PackError(f"{path}: unreadable ({exc}); retrain or re-import the style") from None
    if not isinstance(config, dict):
        raise PackError(f"{path}: expected a JSON object; retrain or re-import the style")
    if config.get("engine") != engine:
        raise PackError(f"{path}: written by engine {config.get('engine')!r}, not {engine!r}; check the pack's stylepack.toml")
    version = config.get("format_version", config.get("format", 0))
    if isinstance(version, bool) or not isinstance(version, int) or version < 0:
        raise PackError(f"{path}: format_version {version!r} is not a version number; retrain or re-import the style")
    if version > supported:
        raise PackError(
            f"{path}: {engine} files of format_version {version}; this stylekit reads up to {supported}, upgrade stylekit"
        )
    config["format_version"] = version
    return config


def write_weights(
    folder: str | os.PathLike, tensors: Mapping[str, np.ndarray], name: str = WEIGHTS_FILE, metadata: dict[str, str] | None = None
) -> Path:
    """Write numpy arrays as `folder/name` (safetensors), atomically; non-finite values are refused."""
    from safetensors.numpy import save_file

    arrays = {k: np.ascontiguousarray(v) for k, v in tensors.items()}
    bad = [k for k, v in arrays.items() if v.dtype.kind == "f" and not np.isfinite(v).all()]
    if bad:
        raise PackError(f"{Path(folder) / name}: not written, {', '.join(sorted(bad))} has non-finite values")
    from .imageio import atomic_write

    path = Path(folder) / name
    atomic_write(path, lambda tmp: save_file(arrays, str(tmp), metadata=metadata), overwrite=True)
    return path


def read_weights(folder: str | os.PathLike, name: str = WEIGHTS_FILE) -> dict[str, np.ndarray]:
    """The arrays in `folder/name`; `PackError` naming the file if it is missing or unreadable."""
    from safetensors.numpy import load_file

    path = Path(folder) / name
    if not path.is_file():
        raise PackError(f"{path}: missing; retrain or re-import the style")
    try:
        return load_file(str(path))
    except Exception as exc:  # safetensors raises its own error types for damaged files
        raise PackError(f"{path}: unreadable safetensors ({exc}); retrain or re-import the style") from None


def write_metrics(folder: str | os.PathLike, metrics: Mapping[str, Any]) -> Path:
    """Write what training reported as `folder/metrics.json`, atomically (the core's job)."""
    return _atomic_text(Path(folder) / METRICS_FILE, json.dumps(dict(metrics), indent=2, default=_jsonable) + "\n")


def _jsonable(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, Path):
        return str(value)
    return str(value)
