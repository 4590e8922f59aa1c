"""The `gan` image engine: learns an influencer's look adversarially from unpaired photos.

This module imports no torch: training and application import it lazily, so listing
plugins stays instant.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from stylekit.engines import MAX_STRENGTH, LoadedStyle, ProgressFn, StyleTransfer, TrainConfig, TrainData
from stylekit.errors import MixNotSupportedError, PackError, TrainingError, UsageError


class LoadedLook(LoadedStyle):
    """A learned look ready to apply: a colour LUT plus a vignette, scaled by strength."""

    engine = "gan"

    def __init__(self, transform: Any) -> None:
        self.transform = transform

    def apply(self, content: np.ndarray, strength: float = 1.0, **options: Any) -> np.ndarray:
        """Grade a float32 (H, W, 3) sRGB image in [0, 1]; strength 0 returns it unchanged."""
        if options:
            raise UsageError(f"The gan engine takes no apply option(s) {', '.join(sorted(options))}; use --strength.")
        rgb = np.asarray(content)
        if rgb.ndim != 3 or rgb.shape[2] != 3:
            raise UsageError(f"Expected an (H, W, 3) RGB image, got shape {rgb.shape}; convert it to RGB first.")
        if not 0.0 <= strength <= MAX_STRENGTH:
            raise UsageError(f"Strength {strength} is outside 0..{MAX_STRENGTH}; pick a value in that range.")
        if strength == 0:
            return rgb.astype(np.float32, copy=True)
        return self.transform.scaled(strength).apply(rgb)

    def to_lut(self, size: int = 33) -> np.ndarray:
        """The colour part as an (size, size, size, 3) lattice indexed [r, g, b]."""
        from stylekit.lut import identity_lut, sample_lut

        lut = self.transform.lut
        if size == lut.shape[0]:
            return lut.copy()
        return sample_lut(lut, identity_lut(size))


class GanEngine(StyleTransfer):
    """Look GAN: a parametric grade generator against a scene-robust statistics discriminator."""

    name = "gan"
    modality = "image"
    description = "Learns a photo look (colour grade, tone, vignette) adversarially from an influencer's photos."

    def train(self, data: TrainData, out_dir: Path, config: TrainConfig, progress: ProgressFn | None = None) -> dict[str, Any]:
        """Learn the look of `data.photos` against `data.content` (or bundled photos); write the pack files."""
        from .artifacts import write_pack
        from .photos import bundled_content, load_training_photos
        from .train import train_look

        if not data.photos:
            raise TrainingError("No influencer photos given; pass --photos with a folder of their images or a video.")
        feed, content = list(data.photos), list(data.content)
        gen, metrics = train_look(feed, content, config, progress)
        pool = content or bundled_content()
        preview = load_training_photos(pool[:: max(1, len(pool) // 4)][:4], 384, "content")  # spread, not neighbours
        write_pack(Path(out_dir), gen, metrics, preview)
        return metrics

    def load(self, style_dir: Path, device: str = "cpu") -> LoadedLook:
        """Read `model.safetensors` (no torch needed to read; torch is used to apply)."""
        from safetensors.numpy import load_file

        from .transform import LookTransform

        style_dir = Path(style_dir)
        model = style_dir / "model.safetensors"
        if not model.exists():
            raise PackError(f"{style_dir}: no model.safetensors; retrain the look or reinstall the pack.")
        try:
            config = json.loads((style_dir / "config.json").read_text())
            tensors = load_file(str(model))
            lut, vig = tensors["lut"].astype(np.float32), tensors["vignette"].astype(np.float32)
        except (OSError, ValueError, KeyError) as exc:
            raise PackError(f"{style_dir}: unreadable gan look ({exc}); retrain it or reinstall the pack.")
        if config.get("engine") != "gan" or lut.ndim != 4 or lut.shape[-1] != 3 or vig.shape != (2,):
            raise PackError(f"{style_dir}: not a gan look of a known format; retrain it with this stylekit version.")
        if not (np.isfinite(lut).all() and np.isfinite(vig).all()):
            raise PackError(f"{style_dir}: the look has non-finite values; retrain it.")
        return LoadedLook(LookTransform(lut, vig))

    def mix(self, styles: Sequence[LoadedStyle], weights: Sequence[float]) -> LoadedLook:
        """Blend the looks' LUTs and vignettes by weight (transforms, not pixels)."""
        from .transform import mix_transforms

        if not styles or len(styles) != len(weights):
            raise UsageError("Give one weight per influencer to mix, e.g. aurora:0.7,noir:0.3.")
        if not all(isinstance(s, LoadedLook) for s in styles):
            raise MixNotSupportedError("Only gan looks can be mixed with a gan look; use influencers trained with one engine.")
        if len({s.transform.lut.shape for s in styles}) != 1:
            raise MixNotSupportedError("These looks have different LUT sizes; retrain them with the same stylekit version.")
        total = float(sum(weights))
        if any(w < 0 for w in weights) or total <= 0:
            raise UsageError("Mixing weights must be non-negative and not all zero, e.g. aurora:0.7,noir:0.3.")
        return LoadedLook(mix_transforms([s.transform for s in styles], [w / total for w in weights]))
