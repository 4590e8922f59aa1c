"""Files a training run writes: the pack (weights, config, metrics, preview, .cube) and plots.

Pack files: `config.json`, `model.safetensors` (generator parameters, the baked
33^3 LUT and the vignette coefficients; safetensors only), `metrics.json`,
`preview.png` (before/after grid) and `look.cube` (the colour part as a Cube LUT).
Beside the checkpoints: `samples.png` (before/after) and `loss.png` (loss curves).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from stylekit.lut import write_cube

FORMAT_VERSION = 1
LUT_SIZE = 33


def _atomic(path: Path, write) -> None:
    """Write through a temporary file in the same folder, then replace `path` in one step."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=path.suffix)
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def before_after_grid(photos: Sequence[np.ndarray], graded: Sequence[np.ndarray], cell: int = 192) -> np.ndarray:
    """Two rows (before, after) of photos fitted into `cell`-pixel squares, as uint8 RGB."""
    import cv2

    def fit(im: np.ndarray) -> np.ndarray:
        h, w = im.shape[:2]
        k = cell / max(h, w)
        small = cv2.resize(im, (max(1, round(w * k)), max(1, round(h * k))), interpolation=cv2.INTER_AREA)
        canvas = np.ones((cell, cell, 3), np.float32)
        top, left = (cell - small.shape[0]) // 2, (cell - small.shape[1]) // 2
        canvas[top : top + small.shape[0], left : left + small.shape[1]] = small
        return canvas

    rows = [np.concatenate([fit(p) for p in row], axis=1) for row in (photos, graded)]
    return np.rint(np.clip(np.concatenate(rows, axis=0), 0, 1) * 255).astype(np.uint8)


def _save_png(path: Path, rgb8: np.ndarray) -> None:
    from PIL import Image

    _atomic(path, lambda tmp: Image.fromarray(rgb8, "RGB").save(tmp, format="PNG"))


def write_training_plots(work_dir: Path, gen: Any, photos: Sequence[np.ndarray], history: list[dict[str, float]], size: int) -> None:
    """Write `samples.png` (before/after on a few content photos) and `loss.png` into `work_dir`."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    look = look_from_generator(gen)
    _save_png(work_dir / "samples.png", before_after_grid(photos, [look.apply(p) for p in photos], cell=size))
    if not history:
        return
    fig, ax = plt.subplots(figsize=(6, 3.5), dpi=100)
    steps = [h["step"] for h in history]
    for key in ("loss_d", "loss_g", "adv", "style"):
        ax.plot(steps, [h[key] for h in history], label=key, linewidth=1)
    ax.set_yscale("symlog", linthresh=0.1)
    ax.set_xlabel("step")
    ax.legend(loc="upper right", fontsize=8)
    fig.tight_layout()
    _atomic(work_dir / "loss.png", lambda tmp: fig.savefig(tmp, format="png"))
    plt.close(fig)


def look_from_generator(gen: Any) -> "Any":
    """The generator's look as a `LookTransform` (baked LUT + vignette coefficients)."""
    from .transform import LookTransform

    lut = gen.lut(LUT_SIZE).detach().float().cpu().numpy().astype(np.float32)
    return LookTransform(lut, gen.vignette().detach().float().cpu().numpy().astype(np.float32))


def write_pack(out_dir: Path, gen: Any, metrics: dict[str, Any], preview_photos: Sequence[np.ndarray]) -> None:
    """Write the style's files into `out_dir` (each atomically)."""
    import torch
    from safetensors.torch import save_file

    from stylekit.errors import TrainingError

    out_dir.mkdir(parents=True, exist_ok=True)
    look = look_from_generator(gen)
    tensors = {f"generator.{k}": v.detach().float().cpu().contiguous() for k, v in gen.state_dict().items()}
    tensors["lut"] = torch.from_numpy(look.lut)
    tensors["vignette"] = torch.from_numpy(look.vignette)
    if not all(torch.isfinite(t).all() for t in tensors.values()):
        raise TrainingError("The trained look has non-finite values and was not saved; train again with another --seed.")
    _atomic(out_dir / "model.safetensors", lambda tmp: save_file(tensors, tmp, metadata={"format": "stylekit-gan-look"}))
    config = {
        "engine": "gan",
        "format_version": FORMAT_VERSION,
        "lut_size": LUT_SIZE,
        "generator": "parametric grade: white balance, 3x9-knot tone curves, saturation, vignette",
        "vignette": "gain = exp(-(a r^2 + b r^4)), r^2 = (u^2 + v^2) / 2 in frame-normalised coordinates",
        "settings": metrics.get("settings", {}),
    }
    _atomic(out_dir / "config.json", lambda tmp: Path(tmp).write_text(json.dumps(config, indent=2) + "\n"))
    _atomic(out_dir / "metrics.json", lambda tmp: Path(tmp).write_text(json.dumps(metrics, indent=2, default=float) + "\n"))
    _save_png(out_dir / "preview.png", before_after_grid(preview_photos, [look.apply(p) for p in preview_photos]))
    write_cube(out_dir / "look.cube", look.lut, title="stylekit gan look", overwrite=True)
