"""The `gan` image engine: learns an influencer's look adversarially from unpaired photos.

This module imports no torch, and neither do loading and applying a look (a baked LUT
plus a vignette, applied with numpy and OpenCV): only training imports it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

import numpy as np

from stylekit.engines import LoadedStyle, Option, ProgressFn, StyleTransfer, TrainConfig, TrainData
from stylekit.errors import MixNotSupportedError, PackError, TrainingError, UsageError

from .report import MIN_FEED


class LoadedLook(LoadedStyle):
    """A learned look ready to apply: a colour LUT plus a vignette, scaled by strength."""

    engine = "gan"

    def __init__(self, transform: Any) -> None:
        self.transform = transform
        self._scaled: tuple[float, Any] | None = None

    def apply(self, content: np.ndarray, strength: float = 1.0, **options: Any) -> np.ndarray:
        """Grade a float32 (H, W, 3) sRGB image in [0, 1], torch-free; strength 0 returns it unchanged
        (strength and options arrive checked by the core)."""
        rgb = np.asarray(content)
        if rgb.ndim != 3 or rgb.shape[2] != 3:
            raise UsageError(f"Expected an (H, W, 3) RGB image, got shape {rgb.shape}; convert it to RGB first.")
        if strength == 0:
            return rgb.astype(np.float32, copy=True)
        if self._scaled is None or self._scaled[0] != strength:  # batches reuse one strength
            self._scaled = (strength, self.transform.scaled(strength))
        return self._scaled[1].apply(rgb)

    def frame_applier(self, height: int, width: int, strength: float = 1.0, **options: Any) -> Any:
        """The look for uint8 video frames: a baked 256^3 table, local tone on the luma plane
        and the vignette map of this frame size (see `frames.py`)."""
        from .frames import look_frame_applier

        return look_frame_applier(self.transform.scaled(strength), height, width)

    def lut_leaves_out(self) -> list[str]:
        """The parts of the look beyond colour, which a `.cube` file cannot hold."""
        t = self.transform
        parts = []
        if np.any(t.vignette > 1e-3):
            parts.append("vignette")
        if abs(float(t.local[0])) > 1e-3:
            parts.append("clarity (local contrast)")
        if np.any(np.abs(t.local[1:]) > 1e-3):
            parts.append("tone compression")
        return parts

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
    inputs = frozenset({"photos", "content"})
    default_priority = 100
    min_photos = 1
    good_photos = MIN_FEED  # below it the training report also calls the look uncertain
    can_mix = True
    can_export_lut = True
    train_options = {  # the names and defaults of train.Settings (kept in step by a test)
        "lr_g": Option(float, 0.01, "generator learning rate"),
        "lr_d": Option(float, 0.002, "discriminator learning rate"),
        "batch": Option(int, 16, "crops per step"),
        "feed_augs": Option(int, 4, "augmented crops per feed photo"),
        "adv": Option(float, 0.1, "weight of the adversarial loss"),
        "alpha": Option(float, 1.0, "weight of the content loss"),
        "beta": Option(float, 1.0, "weight of the style loss"),
        "reg": Option(float, 1.0, "weight of the grade regulariser"),
        "prior": Option(float, 10.0, "weight of the pull toward the look prior's estimate"),
        "prior_scale": Option(float, 0.1, "scale of the prior"),
        "r1": Option(float, 1.0, "R1 gradient penalty of the discriminator"),
        "se_floor": Option(float, 1.0, "floor of the statistics' standard errors"),
        "robust": Option(bool, False, "robust (median) statistics"),
        "population_k": Option(float, 15.0, "pseudo-count shrinking the content statistics toward ordinary photos"),
        "stats": Option(str, None, "comma-separated statistics the discriminator sees (default: all)"),
        "checkpoint_every": Option(int, 50, "steps between checkpoints"),
        "max_bad_steps": Option(int, 3, "non-finite steps in a row before a rollback"),
        "max_rollbacks": Option(int, 5, "rollbacks before training stops"),
        "use_prior": Option(bool, True, "start from and regularise toward the shipped look prior's estimate"),
        "quick": Option(bool, False, "the look prior's estimate alone, in about a second (no adversarial stage)"),
        "guard": Option(bool, True, "keep the adversarial refinement only where the prior judges it closer to the feed's look"),
    }

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

    def estimate_look(self, photos: Sequence[np.ndarray]) -> LoadedLook | None:
        """The look prior's estimate of the look the photos carry (no training), baked like a pack."""
        from .artifacts import look_from_generator
        from .model import GradeGenerator
        from .photos import resize_long
        from .prior import load_prior

        prior = load_prior()
        if prior is None or not len(photos):
            return None
        theta = prior.estimate([resize_long(np.asarray(p, np.float32), 256) for p in photos])
        return LoadedLook(look_from_generator(GradeGenerator(init=theta)))

    def load(self, style_dir: Path, device: str = "cpu") -> LoadedLook:
        """Read the baked look (`config.json`, `model.safetensors`); applying it needs no torch."""
        from stylekit.packfiles import read_config, read_weights

        from .artifacts import FORMAT_VERSION
        from .transform import LookTransform

        style_dir = Path(style_dir)
        read_config(style_dir, "gan", FORMAT_VERSION)  # refuses other engines' and newer files
        tensors = read_weights(style_dir)
        try:
            lut, vig = tensors["lut"].astype(np.float32), tensors["vignette"].astype(np.float32)
        except KeyError as exc:
            raise PackError(f"{style_dir}: the gan look has no {exc} array; retrain it or reinstall the pack.") from None
        if lut.ndim != 4 or lut.shape[:3] != (lut.shape[0],) * 3 or lut.shape[-1] != 3 or vig.shape != (2,):
            raise PackError(f"{style_dir}: not a gan look of a known shape; retrain it with this stylekit version.")
        if not (np.isfinite(lut).all() and np.isfinite(vig).all()):
            raise PackError(f"{style_dir}: the look has non-finite values; retrain it.")
        local = tensors.get("local", np.zeros(3, np.float32)).astype(np.float32)  # looks before local tone: none
        if local.shape != (3,) or not np.isfinite(local).all():
            raise PackError(f"{style_dir}: the look's local tone is not 3 finite numbers; retrain it.")
        return LoadedLook(LookTransform(lut, vig, local))

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
