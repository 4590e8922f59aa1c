"""stylekit-duotone: learns an influencer's shadow and highlight colours and maps
every photo's luminance between them. A small, complete example of a stylekit plugin."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from stylekit import LoadedStyle, ProgressEvent, StyleTransfer, hookimpl
from stylekit.errors import TrainingError

LUMA = np.array([0.2126, 0.7152, 0.0722], np.float32)


class DuotoneStyle(LoadedStyle):
    """Two learned colours; luminance picks the blend between them."""

    engine = "duotone"

    def __init__(self, shadow: np.ndarray, highlight: np.ndarray) -> None:
        self.shadow, self.highlight = shadow, highlight

    def apply(self, content, strength=1.0):
        """Map luminance onto the shadow-highlight ramp, then blend by strength (stylekit
        checks strength and refuses options this engine does not declare)."""
        luma = (content @ LUMA)[..., None]
        styled = self.shadow + luma * (self.highlight - self.shadow)
        return content + strength * (styled - content)

    def to_lut(self, size=33):
        """A duotone is a pure colour transform, so it exports as a LUT."""
        from stylekit.lut import identity_lut

        return self.apply(identity_lut(size))


class DuotoneEngine(StyleTransfer):
    """Duotone: the mean colour of each photo's darkest and brightest tenth."""

    name = "duotone"
    modality = "image"
    description = "Two-colour look from the feed's shadows and highlights (example plugin)"
    inputs = frozenset({"photos"})  # what it learns from (--photos)
    min_photos = 1
    can_mix = True  # mix() blends the colours
    can_export_lut = True  # to_lut() gives the whole look

    def train(self, data, out_dir, config, progress=None):
        """Average the darkest and brightest 10 % of every photo's pixels."""
        from safetensors.numpy import save_file

        from stylekit.imageio import load_image

        if not data.photos:
            raise TrainingError("duotone needs photos; pass --photos")
        shadows, highlights = [], []
        for i, path in enumerate(data.photos):
            rgb = load_image(path).rgb.reshape(-1, 3)
            order = np.argsort(rgb @ LUMA)
            tenth = max(1, len(order) // 10)
            shadows.append(rgb[order[:tenth]].mean(axis=0))
            highlights.append(rgb[order[-tenth:]].mean(axis=0))
            if progress:
                progress(ProgressEvent(i + 1, len(data.photos), "measure"))
        tensors = {"shadow": np.mean(shadows, 0).astype(np.float32), "highlight": np.mean(highlights, 0).astype(np.float32)}
        save_file(tensors, str(Path(out_dir) / "model.safetensors"))
        (Path(out_dir) / "config.json").write_text(json.dumps({"engine": self.name}))
        return {k: v.round(4).tolist() for k, v in tensors.items()}

    def load(self, style_dir, device="cpu"):
        """Read the two colours back."""
        from safetensors.numpy import load_file

        tensors = load_file(str(Path(style_dir) / "model.safetensors"))
        return DuotoneStyle(tensors["shadow"], tensors["highlight"])

    def mix(self, styles, weights):
        """Blend the colours of several duotone looks by weight."""
        shadow = sum(w * s.shadow for s, w in zip(styles, weights))
        highlight = sum(w * s.highlight for s, w in zip(styles, weights))
        return DuotoneStyle(np.asarray(shadow, np.float32), np.asarray(highlight, np.float32))


@hookimpl
def register_transfers(register):
    """Offer the duotone engine."""
    register(DuotoneEngine)


@hookimpl
def register_commands(app):
    """Add `stylekit duotone-colors NAME`."""
    import typer

    @app.command("duotone-colors")
    def duotone_colors(name: str) -> None:
        """Print the shadow and highlight colours of a duotone look."""
        import stylekit

        style = stylekit.load_style(name, "image")
        if not isinstance(style, DuotoneStyle):
            raise typer.BadParameter(f"'{name}' is not a duotone look")
        for label, colour in (("shadow", style.shadow), ("highlight", style.highlight)):
            typer.echo(f"{label}: #{''.join(f'{round(float(c) * 255):02x}' for c in colour)}")
