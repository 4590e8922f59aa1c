"""`stylekit post`: a ready-to-share post card in an influencer's look and voice."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer()


@app.command("post")
def post(
    photo: Annotated[Path, typer.Argument(help="Your photo.")],
    influencer: Annotated[str, typer.Option("--influencer", "-i", help="Pack name (or a mix for the look).")],
    caption: Annotated[str, typer.Option("--caption", help="Your caption; it is rewritten in the influencer's voice.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output image (.jpg or .png).")],
    layout: Annotated[str, typer.Option("--layout", help="square (1080x1080), story (1080x1920) or both.")] = "square",
    strength: Annotated[float, typer.Option("--strength", "-s", help="Strength of look and voice.")] = 1.0,
    seed: Annotated[int, typer.Option("--seed", help="Random seed for the caption.")] = 0,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace existing output files.")] = False,
    device: Annotated[str, typer.Option("--device", help="auto, cpu or cuda.")] = "auto",
) -> None:
    """Stylise a photo, rewrite its caption in the influencer's voice, compose a post card; print the caption."""
    import stylekit

    layouts = ["square", "story"] if layout == "both" else [layout]
    cards = stylekit.make_posts(photo, influencer, caption, layouts=layouts, strength=strength, seed=seed,
                                device=device, out=out, overwrite=overwrite)
    for card in cards:
        typer.echo(f"wrote {card.path}", err=True)
    typer.echo(cards[-1].caption)
