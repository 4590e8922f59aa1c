"""`stylekit inspect`: show the provenance stylekit wrote into an image."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .common import print_json

app = typer.Typer()


@app.command("inspect")
def inspect(
    file: Annotated[Path, typer.Argument(help="An image stylekit wrote.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    watermark: Annotated[bool, typer.Option("--watermark", help="Also look for the invisible stylekit mark.")] = False,
) -> None:
    """Show the provenance metadata (tool, version, influencer, engine, strength) of an image."""
    import stylekit

    info = stylekit.inspect_image(file, watermark=watermark)
    if as_json:
        print_json(info)
        return
    typer.echo(f"{info['file']}: {info['format']} {info['size'][0]}x{info['size'][1]} {info['mode']}")
    if watermark:
        typer.echo(f"invisible watermark: {'stylekit' if info['watermark'] else 'not found'}")
    meta = info["stylekit"]
    if meta is None:
        typer.echo("no stylekit metadata")
        raise typer.Exit(code=1)
    for key in ("tool", "version", "influencer", "strength", "source", "created"):
        if key in meta:
            typer.echo(f"  {key}: {meta[key]}")
    for pack in meta.get("packs", []):
        typer.echo(f"  pack: {pack['name']} (engine {pack.get('engine')}, weight {pack.get('weight')})")
    for key, value in sorted(meta.items()):
        if key not in ("tool", "version", "influencer", "strength", "source", "created", "packs"):
            typer.echo(f"  {key}: {value}")
