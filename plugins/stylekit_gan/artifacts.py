"""Files a training run writes: the pack (config, weights, preview) and plots.

Pack files, in the one convention of `stylekit.packfiles`: `config.json` (engine,
`format_version`, the names of the look's arrays, the training settings) and
`model.safetensors` holding the baked look, the only copy of it: `lut` (the 33^3
colour LUT), `vignette` (two coefficients), any further look arrays named in the
config's `look_arrays`, and the generator's parameters (`generator.*`, for the
record). Plus `preview.png` (before/after grid); the core adds `metrics.json`.
`stylekit export-lut` writes the colour part as a `.cube` file when asked.
Beside the checkpoints: `samples.png` (before/after) and `loss.png` (loss curves).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np

from stylekit.imageio import atomic_write

FORMAT_VERSION = 1  # readers refuse a newer version; version 1 looks are `lut` + `vignette`
LUT_SIZE = 33
SAMPLE_CELL = 256  # pixels per photo in samples.png, at least


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


def label_rows(grid: np.ndarray, labels: Sequence[str], width: int = 96) -> np.ndarray:
    """`grid` (uint8 RGB, one row of cells per label) with a white column on its left naming
    each row ("before", "after"), so a grid read alone says which is which."""
    from PIL import Image, ImageDraw, ImageFont

    h = grid.shape[0]
    canvas = Image.new("RGB", (width + grid.shape[1], h), "white")
    canvas.paste(Image.fromarray(grid, "RGB"), (width, 0))
    draw = ImageDraw.Draw(canvas)
    row_h = h / len(labels)
    try:
        font = ImageFont.load_default(size=max(12, min(24, int(row_h / 8))))
    except TypeError:  # Pillow without FreeType sizes
        font = ImageFont.load_default()
    for i, label in enumerate(labels):
        draw.text((width / 2, (i + 0.5) * row_h), label, fill=(34, 34, 34), font=font, anchor="mm")
    return np.asarray(canvas)


def _save_png(path: Path, rgb8: np.ndarray) -> None:
    from PIL import Image

    atomic_write(path, lambda tmp: Image.fromarray(rgb8, "RGB").save(tmp, format="PNG"), overwrite=True)


def write_training_plots(work_dir: Path, gen: Any, photos: Sequence[np.ndarray], history: list[dict[str, float]], size: int) -> None:
    """Write `samples.png` (before/after on a few content photos) and `loss.png` into `work_dir`."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    look = look_from_generator(gen)
    grid = before_after_grid(photos, [look.apply(p) for p in photos], cell=max(SAMPLE_CELL, size))
    _save_png(work_dir / "samples.png", label_rows(grid, ("before", "after")))
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
    atomic_write(work_dir / "loss.png", lambda tmp: fig.savefig(tmp, format="png"), overwrite=True)
    plt.close(fig)


def look_from_generator(gen: Any) -> "Any":
    """The generator's look as a `LookTransform` (baked LUT + vignette coefficients)."""
    from .transform import LookTransform

    lut = gen.lut(LUT_SIZE).detach().float().cpu().numpy().astype(np.float32)
    vig = gen.vignette().detach().float().cpu().numpy().astype(np.float32)
    local = gen.local.detach().float().cpu().numpy().astype(np.float32) if hasattr(gen, "local") else np.zeros(3, np.float32)
    return LookTransform(lut, vig, local)


def write_pack(
    out_dir: Path,
    gen: Any,
    metrics: dict[str, Any],
    preview_photos: Sequence[np.ndarray],
    extra_arrays: Mapping[str, np.ndarray] | None = None,
) -> None:
    """Write the look's files into `out_dir` (each atomically); `extra_arrays` are further
    look arrays (recorded in the config's `look_arrays`) for looks that carry more than a
    LUT and a vignette."""
    from stylekit.errors import PackError, TrainingError
    from stylekit.packfiles import write_config, write_weights

    out_dir.mkdir(parents=True, exist_ok=True)
    look = look_from_generator(gen)
    arrays = {"lut": look.lut, "vignette": look.vignette, "local": look.local, **dict(extra_arrays or {})}
    tensors = {f"generator.{k}": v.detach().float().cpu().numpy() for k, v in gen.state_dict().items()}
    tensors.update({k: np.asarray(v, np.float32) for k, v in arrays.items()})
    try:
        write_weights(out_dir, tensors, metadata={"format": "stylekit-gan-look"})
    except PackError:
        raise TrainingError("The trained look has non-finite values and was not saved; train again with another --seed.") from None
    write_config(
        out_dir, "gan", FORMAT_VERSION,
        lut_size=LUT_SIZE,
        look_arrays=list(arrays),
        generator="parametric grade: white balance, 3x9-knot tone curves, saturation, vignette",
        vignette="gain = exp(-(a r^2 + b r^4)), r^2 = (u^2 + v^2) / 2 in frame-normalised coordinates",
        settings=metrics.get("settings", {}),
    )
    _save_png(out_dir / "preview.png", before_after_grid(preview_photos, [look.apply(p) for p in preview_photos]))
