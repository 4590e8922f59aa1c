"""`stylekit image`: apply an influencer's look to photos."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .common import err, parse_options, progress_bar


def register(app: typer.Typer) -> None:
    """Add the `image` command."""

    @app.command("image")
    def image(
        inputs: Annotated[list[Path], typer.Argument(help="Photos or folders of photos.", show_default=False)],
        influencer: Annotated[str, typer.Option("--influencer", "-i", help="Pack name, or a mix like aurora:0.7,noir:0.3.")],
        strength: Annotated[float, typer.Option("--strength", "-s", help="0 = unchanged, 1 = the look, up to 1.5 exaggerates.")] = 1.0,
        out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Output file (one input only).")] = None,
        out_dir: Annotated[Optional[Path], typer.Option("--out-dir", help="Folder for outputs (default: beside each input).")] = None,
        overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace existing output files.")] = False,
        device: Annotated[str, typer.Option("--device", help="auto, cpu or cuda.")] = "auto",
        option: Annotated[Optional[list[str]], typer.Option("--option", "-O", help="Engine option KEY=VALUE (repeatable).")] = None,
    ) -> None:
        """Apply an influencer's look to photos; outputs are `<name>_<influencer>.<ext>` unless -o/--out-dir."""
        import stylekit

        with progress_bar("stylising", enabled=len(inputs) > 1 or inputs[0].is_dir()) as update:
            result = stylekit.stylize_images(
                inputs, influencer, strength, out=out, out_dir=out_dir, overwrite=overwrite,
                device=device, progress=update, **parse_options(option),
            )
        for src, dest in result.written:
            typer.echo(f"wrote {dest}")
        for src, reason in result.failed:
            err(f"failed: {reason}")
        if result.failed:
            err(f"{len(result.failed)} of {len(result.failed) + len(result.written)} input(s) failed.")
            raise typer.Exit(code=1)
