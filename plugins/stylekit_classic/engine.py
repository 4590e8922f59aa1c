"""The `classic` engine: colour transfers that need no training beyond statistics.

- `reinhard`: match the mean and standard deviation of each CIELAB channel to the
  influencer photos' (Reinhard et al. 2001), per-image statistics averaged over the feed;
- `histogram`: map each RGB channel's quantiles onto the feed's pooled quantiles;
- `lut`: apply an Adobe `.cube` 3D LUT, the way presets are sold.

Reinhard and histogram matching are content-adaptive: they copy the feed's colour
statistics, scene and all, which is why the learned engines are measured against them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

import numpy as np

from stylekit.engines import LoadedStyle, Option, ProgressEvent, StyleTransfer, TrainConfig, TrainData
from stylekit.errors import MixNotSupportedError, PackError, TrainingError, UsageError

METHODS = ("reinhard", "histogram", "lut")
QUANTILES = np.linspace(0.0, 1.0, 257, dtype=np.float32)
STATS_SIDE = 512  # photos are measured at most this large: statistics, not detail
MIX_LUT_SIZE = 33
FORMAT_VERSION = 1  # of config.json + model.safetensors; files without a version read as this one


def _thumbnail(rgb: np.ndarray) -> np.ndarray:
    step = max(1, int(np.ceil(max(rgb.shape[:2]) / STATS_SIDE)))
    return rgb[::step, ::step]


def lab_stats(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and standard deviation of each CIELAB channel of an sRGB image."""
    from skimage.color import rgb2lab

    lab = rgb2lab(_thumbnail(rgb)).reshape(-1, 3)
    return lab.mean(axis=0).astype(np.float32), lab.std(axis=0).astype(np.float32)


def reinhard(rgb: np.ndarray, mean: np.ndarray, std: np.ndarray, src: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """Shift and scale each Lab channel of `rgb` so its mean/std become `mean`/`std`."""
    from skimage.color import lab2rgb, rgb2lab

    src_mean, src_std = src if src is not None else lab_stats(rgb)
    lab = rgb2lab(rgb)
    lab = (lab - src_mean) * (std / np.maximum(src_std, 1e-3)) + mean
    return np.clip(lab2rgb(lab), 0.0, 1.0).astype(np.float32)


def channel_quantiles(rgb: np.ndarray) -> np.ndarray:
    """The 257 quantiles of each RGB channel, shape (3, 257)."""
    flat = _thumbnail(rgb).reshape(-1, 3)
    return np.quantile(flat, QUANTILES, axis=0).T.astype(np.float32)


def histogram_map(rgb: np.ndarray, target: np.ndarray, src: np.ndarray | None = None) -> np.ndarray:
    """Map each channel's quantiles onto `target` quantiles (histogram matching)."""
    src = channel_quantiles(rgb) if src is None else src
    out = np.empty_like(rgb, dtype=np.float32)
    for c in range(3):
        xs, idx = np.unique(src[c], return_index=True)  # np.interp needs increasing x
        out[..., c] = np.interp(rgb[..., c], xs, target[c][idx]) if xs.size > 1 else target[c][128]
    return out


class ClassicStyle(LoadedStyle):
    """A loaded classic look: one method and its parameters."""

    engine = "classic"

    def __init__(self, method: str, params: dict[str, np.ndarray]) -> None:
        if method not in METHODS:
            raise PackError(f"classic style has unknown method '{method}'; expected one of {', '.join(METHODS)}")
        self.method = method
        self.params = params

    def full(self, rgb: np.ndarray, method: str | None = None) -> np.ndarray:
        """The look at strength 1, optionally by another method the pack has data for."""
        method = method or self.method
        if method == "lut":
            from stylekit.lut import sample_lut

            return sample_lut(self.params["lut"], rgb)
        if method == "reinhard":
            return reinhard(rgb, self.params["lab_mean"], self.params["lab_std"])
        return histogram_map(rgb, self.params["quantiles"])

    def apply(self, content: np.ndarray, strength: float = 1.0, method: str | None = None) -> np.ndarray:
        """The look at `strength` (interpolating the transform's output toward the input)."""
        if method is not None and method not in self.available_methods():
            raise UsageError(f"This classic pack supports method(s) {', '.join(self.available_methods())}, not '{method}'")
        if strength == 0:
            return content.copy()
        styled = self.full(content, method)
        return content + strength * (styled - content)

    def available_methods(self) -> list[str]:
        """Methods this pack holds parameters for."""
        return ["lut"] if "lut" in self.params else ["reinhard", "histogram"]

    def lut_for(self, content: np.ndarray, size: int = MIX_LUT_SIZE) -> np.ndarray:
        """This look's transform, as fitted to `content`, sampled on a size^3 lattice."""
        from stylekit.lut import identity_lut

        lattice = identity_lut(size)
        if self.method == "lut":
            return self.to_lut(size)
        if self.method == "reinhard":
            return reinhard(lattice, self.params["lab_mean"], self.params["lab_std"], src=lab_stats(content))
        return histogram_map(lattice, self.params["quantiles"], src=channel_quantiles(content))

    def to_lut(self, size: int = 33) -> np.ndarray | None:
        """The LUT of a `lut` pack; Reinhard and histogram looks depend on the photo, so None."""
        if self.method != "lut":
            return None
        from stylekit.lut import identity_lut, sample_lut

        return sample_lut(self.params["lut"], identity_lut(size))


class MixedClassicStyle(LoadedStyle):
    """Several classic looks blended as transforms: their per-photo LUTs, weighted."""

    engine = "classic"

    def __init__(self, styles: Sequence[ClassicStyle], weights: Sequence[float]) -> None:
        self.styles, self.weights = list(styles), [float(w) for w in weights]

    def apply(self, content: np.ndarray, strength: float = 1.0, method: str | None = None) -> np.ndarray:
        """Blend the styles' transforms for this photo, then apply at `strength`."""
        from stylekit.lut import identity_lut, sample_lut

        if method is not None:
            raise UsageError("Mixed classic looks apply each look's own method; drop -O method")
        lut = sum(w * s.lut_for(content) for s, w in zip(self.styles, self.weights) if w > 0)
        identity = identity_lut(lut.shape[0])
        return sample_lut(identity + strength * (lut - identity), content)


class ClassicEngine(StyleTransfer):
    """Reinhard Lab transfer, histogram matching, or a `.cube` LUT preset."""

    name = "classic"
    modality = "image"
    description = "Non-learned colour transfer: Reinhard (Lab mean/std), histogram matching, .cube LUTs"
    inputs = frozenset({"photos", "lut"})
    default_priority = 10  # below the learned look; the only engine for a .cube preset
    can_mix = True
    can_export_lut = True  # for looks made from a .cube preset
    train_options = {
        "method": Option(str, None, "reinhard or histogram for photos (default reinhard); lut for a .cube preset",
                         METHODS),
    }
    apply_options = {
        "method": Option(str, None, "apply another method the pack holds data for (reinhard <-> histogram)", METHODS),
    }

    def train(self, data: TrainData, out_dir: Path, config: TrainConfig, progress=None) -> dict[str, Any]:
        """Measure the feed's colour statistics (or read a LUT) and write them as safetensors."""
        from stylekit.imageio import load_image
        from stylekit.lut import read_cube
        from stylekit.packfiles import write_config, write_weights

        method = config.options.get("method") or ("lut" if data.lut else "reinhard")
        if data.lut is not None:
            if method != "lut":
                raise UsageError("A --lut preset trains the 'lut' method only")
            lut = read_cube(data.lut)
            tensors = {"lut": lut}  # the one copy of the LUT; `stylekit export-lut` writes a .cube
            metrics: dict[str, Any] = {"method": "lut", "lut_size": int(lut.shape[0])}
            if progress:
                progress(ProgressEvent(1, 1, "read", {}))
        else:
            if method not in ("reinhard", "histogram"):
                raise UsageError(f"Method '{method}' needs --lut; photos train 'reinhard' or 'histogram'")
            if not data.photos:
                raise TrainingError("The classic engine needs at least one photo to measure")
            means, stds, quantiles = [], [], []
            for index, path in enumerate(data.photos):
                rgb = load_image(path).rgb
                mean, std = lab_stats(rgb)
                means.append(mean)
                stds.append(std)
                quantiles.append(channel_quantiles(rgb))
                if progress:
                    progress(ProgressEvent(index + 1, len(data.photos), "measure", {}))
            tensors = {
                "lab_mean": np.mean(means, axis=0).astype(np.float32),
                "lab_std": np.mean(stds, axis=0).astype(np.float32),
                "quantiles": np.mean(quantiles, axis=0).astype(np.float32),
            }
            metrics = {"method": method, "photos": len(data.photos)}
        write_weights(out_dir, tensors)
        write_config(out_dir, self.name, FORMAT_VERSION, method=method)
        style = ClassicStyle(method, tensors)
        from stylekit.preview import write_preview

        write_preview(out_dir / "preview.png", lambda rgb: style.apply(rgb))
        return metrics

    def load(self, style_dir: Path, device: str = "cpu") -> ClassicStyle:
        """Read `config.json` and `model.safetensors` (styles written before format versions
        were recorded read the same way)."""
        from stylekit.packfiles import read_config, read_weights

        config = read_config(style_dir, self.name, FORMAT_VERSION)
        return ClassicStyle(config.get("method", "reinhard"), read_weights(style_dir))

    def mix(self, styles: Sequence[LoadedStyle], weights: Sequence[float]) -> LoadedStyle:
        """Blend looks: parameters when all share a method, else per-photo LUTs."""
        if not all(isinstance(s, ClassicStyle) for s in styles):
            raise MixNotSupportedError("Only classic looks can be mixed with classic looks")
        methods = {s.method for s in styles}
        if methods == {"lut"}:  # tables may differ in size: blend them on one lattice
            return ClassicStyle("lut", {"lut": sum(w * s.to_lut(MIX_LUT_SIZE) for s, w in zip(styles, weights)).astype(np.float32)})
        if len(methods) == 1:
            keys = styles[0].params.keys()
            params = {k: sum(w * s.params[k] for s, w in zip(styles, weights)).astype(np.float32) for k in keys}
            return ClassicStyle(styles[0].method, params)
        return MixedClassicStyle(styles, weights)
